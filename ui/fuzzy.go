package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fuzzyScore matches pattern as a case-insensitive subsequence of s and
// scores it: consecutive runs and matches at word starts score higher.
// ok is false when pattern is not a subsequence.
func fuzzyScore(pattern, s string) (score int, ok bool) {
	if pattern == "" {
		return 0, true
	}
	p := []rune(strings.ToLower(pattern))
	pi, run := 0, 0
	prev := ' '
	for _, r := range s {
		if pi == len(p) {
			break
		}
		lr := unicode.ToLower(r)
		if lr == p[pi] {
			pi++
			run++
			score += 1 + run*2
			if isBoundary(prev, r) {
				score += 5
			}
		} else {
			run = 0
		}
		prev = r
	}
	if pi < len(p) {
		return 0, false
	}
	return score - utf8.RuneCountInString(s)/8, true
}

func isBoundary(prev, r rune) bool {
	return prev == ' ' || prev == '_' || prev == '-' || prev == '.' || prev == '/' ||
		(unicode.IsLower(prev) && unicode.IsUpper(r))
}
