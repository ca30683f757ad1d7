package uikit

import (
	"fmt"
	"testing"
)

// The characters a filter matched are the ones drawn highlighted (the
// panes' TestFilterHighlightsMatches checks how).
func TestFuzzyPositions(t *testing.T) {
	if got := fuzzyPositions("pe", "photo-e.jpg"); fmt.Sprint(got) != "[0 6]" {
		t.Fatalf("positions %v", got)
	}
}
