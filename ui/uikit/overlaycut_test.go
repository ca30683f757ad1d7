package uikit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// placeOverlayByTruncation is PlaceOverlay as it was: each background
// line cut twice with ansi's truncations, every width measured again.
func placeOverlayByTruncation(bg, fg string, width, height int) string {
	bgLines := strings.Split(bg, "\n")
	fgLines := strings.Split(fg, "\n")
	fw := lipgloss.Width(fg)
	x := max(0, (width-fw)/2)
	y := max(0, (height-len(fgLines))/2)
	for i, fl := range fgLines {
		row := y + i
		if row >= len(bgLines) {
			bgLines = append(bgLines, "")
		}
		b := bgLines[row]
		left := ansi.Truncate(b, x, "")
		if w := lipgloss.Width(left); w < x {
			left += strings.Repeat(" ", x-w)
		}
		right := ansi.TruncateLeft(b, x+lipgloss.Width(fl), "")
		bgLines[row] = left + fl + right
	}
	return strings.Join(bgLines, "\n")
}

// The one-pass cut gives what ansi's two truncations give, on styled
// lines, wide characters straddling either edge, emoji, control
// characters and lines shorter than the dialog's edge.
func TestCutAroundMatchesTruncation(t *testing.T) {
	red, reset := "\x1b[31m", "\x1b[0m"
	lines := []string{
		"",
		"short",
		strings.Repeat("abcdefghij", 8),
		red + "╭─ local ─" + reset + strings.Repeat("─", 30) + red + "╮" + reset,
		"│ " + red + "file-0000001.dat" + reset + "   12 KiB │ │ 日本語のファイル名.txt │",
		"ab日本語cd日本語ef" + strings.Repeat("x", 20) + "日本",
		"👍🏽 thumbs\tand\x07bell 🇫🇷 flag " + red + "é combining e\u0301" + reset,
		red + strings.Repeat("日", 25) + reset,
		"\x1b]8;;http://127.0.0.1/\x1b\\link\x1b]8;;\x1b\\ after the link" + strings.Repeat(".", 30),
	}
	for _, l := range lines {
		for x := 0; x <= 42; x++ {
			for _, w := range []int{0, 1, 2, 3, 7, 20} {
				wantL := ansi.Truncate(l, x, "")
				wantR := l
				if x+w > 0 {
					wantR = ansi.TruncateLeft(l, x+w, "")
				}
				gotL, lw, gotR := cutAround(l, x, x+w)
				if gotL != wantL || gotR != wantR || lw != ansi.StringWidth(wantL) {
					t.Fatalf("cut %q at %d..%d:\nleft  %q (%d cells)\nwant  %q\nright %q\nwant  %q", l, x, x+w, gotL, lw, wantL, gotR, wantR)
				}
			}
		}
	}
}

// A dialog drawn over a screen comes out as it did with the two
// truncations, whatever its size and place.
func TestPlaceOverlayAsBefore(t *testing.T) {
	var bg []string
	for i := 0; i < 30; i++ {
		bg = append(bg, fmt.Sprintf("\x1b[3%dm│ row %02d 日本語 %s│\x1b[0m", i%8, i, strings.Repeat("·", i*2)))
	}
	for _, fg := range []string{"x", "╭──╮\n│日│\n╰──╯", strings.Repeat("wide line\n", 12) + "last", strings.Repeat("y", 90)} {
		for _, size := range [][2]int{{80, 24}, {81, 25}, {40, 10}, {20, 40}} {
			want := placeOverlayByTruncation(strings.Join(bg, "\n"), fg, size[0], size[1])
			if got := PlaceOverlay(strings.Join(bg, "\n"), fg, size[0], size[1]); got != want {
				t.Fatalf("%dx%d, %q:\ngot\n%s\nwant\n%s", size[0], size[1], fg, got, want)
			}
		}
	}
}
