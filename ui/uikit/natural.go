package uikit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NaturalCompare orders names as a person reads them (yazi's and lf's
// natural sort): case ignored, and runs of digits compared as numbers, so
// file_2 comes before file_10. Names equal that way (a.txt and A.txt,
// 07 and 7) fall back to byte order, so the order is total.
func NaturalCompare(a, b string) int {
	x, y := a, b
	for x != "" && y != "" {
		if isDigit(x[0]) && isDigit(y[0]) {
			dx, dy := digitRun(x), digitRun(y)
			if c := compareNumbers(x[:dx], y[:dy]); c != 0 {
				return c
			}
			x, y = x[dx:], y[dy:]
			continue
		}
		rx, nx := utf8.DecodeRuneInString(x)
		ry, ny := utf8.DecodeRuneInString(y)
		if lx, ly := unicode.ToLower(rx), unicode.ToLower(ry); lx != ly {
			if lx < ly {
				return -1
			}
			return 1
		}
		x, y = x[nx:], y[ny:]
	}
	if x != y { // one is a prefix of the other: the shorter first
		if x == "" {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// compareNumbers compares two runs of ASCII digits by value, however
// long (no overflow): leading zeros aside, the longer is larger.
func compareNumbers(a, b string) int {
	ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(ta) != len(tb) {
		if len(ta) < len(tb) {
			return -1
		}
		return 1
	}
	return strings.Compare(ta, tb)
}
