package uikit

import (
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
)

// FuzzyScore matches pattern as a case-insensitive subsequence of s and
// scores it: consecutive runs and matches at word starts score higher.
// ok is false when pattern is not a subsequence.
func FuzzyScore(pattern, s string) (score int, ok bool) {
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
	// The name itself, or the name without its extension, ranks first
	// (notes.txt before notes (1).txt for "notes" and for "notes.txt").
	switch {
	case strings.EqualFold(s, pattern):
		score += 1000
	case strings.EqualFold(strings.TrimSuffix(s, filepath.Ext(s)), pattern):
		score += 500
	}
	return score - utf8.RuneCountInString(s)/8, true
}

func isBoundary(prev, r rune) bool {
	return prev == ' ' || prev == '_' || prev == '-' || prev == '.' || prev == '/' ||
		(unicode.IsLower(prev) && unicode.IsUpper(r))
}

// fuzzyPositions are the rune indices of s that match pattern, found as
// fuzzyScore walks it (nil when it does not match).
func fuzzyPositions(pattern, s string) []int {
	p := []rune(strings.ToLower(pattern))
	if len(p) == 0 {
		return nil
	}
	var out []int
	i := 0
	for _, r := range s {
		if len(out) < len(p) && unicode.ToLower(r) == p[len(out)] {
			out = append(out, i)
		}
		i++
	}
	if len(out) < len(p) {
		return nil
	}
	return out
}

// HighlightRow draws a row: prefix, then name with the characters the
// filter matched underlined, then rest, each piece in the row's style (no
// piece nests in another, so one's reset never ends the next's style).
func HighlightRow(base lipgloss.Style, prefix, name, rest, pattern string) string {
	at := fuzzyPositions(pattern, name)
	if len(at) == 0 {
		return base.Render(prefix + name + rest)
	}
	hi := base.Underline(true).Bold(true)
	var b strings.Builder
	b.WriteString(base.Render(prefix))
	runes := []rune(name)
	start := 0
	for k := 0; k < len(at); {
		end := k
		for end+1 < len(at) && at[end+1] == at[end]+1 {
			end++
		}
		b.WriteString(base.Render(string(runes[start:at[k]])))
		b.WriteString(hi.Render(string(runes[at[k] : at[end]+1])))
		start = at[end] + 1
		k = end + 1
	}
	b.WriteString(base.Render(string(runes[start:]) + rest))
	return b.String()
}

// FuzzyOrder keeps the natural order without a pattern, else the matches
// sorted by score.
func FuzzyOrder(n int, name func(int) string, pattern string) []int {
	order := make([]int, 0, n)
	if pattern == "" {
		for i := 0; i < n; i++ {
			order = append(order, i)
		}
		return order
	}
	scores := map[int]int{}
	for i := 0; i < n; i++ {
		if s, ok := FuzzyScore(pattern, name(i)); ok {
			order = append(order, i)
			scores[i] = s
		}
	}
	// Equal scores: the shorter name first (the closer match), then the
	// order the list had.
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if scores[x] != scores[y] {
			return scores[x] > scores[y]
		}
		return utf8.RuneCountInString(name(x)) < utf8.RuneCountInString(name(y))
	})
	return order
}
