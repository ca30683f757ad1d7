package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// What a key started holds the keys typed after it a moment at most: a
// slow answer (a listing, a request) comes later, whole.
func TestTypeAheadWaitIsBounded(t *testing.T) {
	release := make(chan struct{})
	slow := func() tea.Msg { <-release; return "slow" }
	quick := func() tea.Msg { return "quick" }
	start := time.Now()
	msg := bounded(tea.Batch(quick, slow), 50*time.Millisecond)()
	batch, ok := msg.(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("got %T %v", msg, msg)
	}
	if got := batch[0](); got != "quick" {
		t.Fatalf("quick answered %v", got)
	}
	late, ok := batch[1]().(lateMsg)
	if !ok || time.Since(start) > 5*time.Second {
		t.Fatalf("the slow command held the keys: %T after %v", late, time.Since(start))
	}
	close(release)
	m := &Model{}
	if got := m.update(late)(); got != "slow" {
		t.Fatalf("the late answer was %v", got)
	}
}
