package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// titleLine is the line of the screen holding both pane titles.
func titleLine(m *Model) string { return strings.Split(m.View(), "\n")[2] }

// The user test: d in the remote pane opens the transfers panel; tab
// (once or twice, or shift+tab) must only ever switch between the two
// panes, so a d meant for the remote pane never reaches the local one
// unseen; the panel is focused with its own key, and tab leaves it for
// the pane it was opened from. The pane with the keys is marked in its
// title, also without colour.
func TestTabSwitchesOnlyBetweenPanes(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 1)
	m := startModel(t, e.deps(t.TempDir()))
	tab, backTab := tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyShiftTab}
	if l := titleLine(m); !strings.Contains(l, "▶ Local") || strings.Contains(l, "▶ Remote") {
		t.Fatalf("local pane not marked as focused: %q", l)
	}
	m = press(t, m, tab)
	if l := titleLine(m); !strings.Contains(l, "▶ Remote") || strings.Contains(l, "▶ Local") {
		t.Fatalf("remote pane not marked as focused: %q", l)
	}
	m = press(t, m, keyRunes("d")) // download: the panel shows
	if !m.showXfers {
		t.Fatal("download did not show the transfers panel")
	}
	want := []focusArea{focusLocal, focusRemote, focusLocal, focusRemote}
	for i, k := range []tea.KeyMsg{tab, tab, backTab, backTab} {
		m = press(t, m, k)
		if m.focus != want[i] {
			t.Fatalf("key %d (%s): focus %d, want %d", i+1, k, m.focus, want[i])
		}
	}
	m = press(t, m, keyRunes("w"))
	if m.focus != focusTransfers || !strings.Contains(m.transfers.View(), "▶ Transfers") {
		t.Fatalf("w did not focus and mark the panel (focus %d):\n%s", m.focus, m.transfers.View())
	}
	if strings.Contains(titleLine(m), "▶") {
		t.Fatalf("a pane is still marked while the panel has the keys: %q", titleLine(m))
	}
	m = press(t, m, tab)
	if m.focus != focusRemote {
		t.Fatalf("tab from the panel went to %d, want the remote pane it was opened from", m.focus)
	}
	m.Shutdown(5 * time.Second)
}

// From the remote pane, w then w returns to the remote pane.
func TestTransfersToggleReturnsFocus(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := startModel(t, e.deps(fixtureTree(t)))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("w"))
	if m.focus != focusTransfers {
		t.Fatalf("w focused %v", m.focus)
	}
	m = press(t, m, keyRunes("w"))
	if m.focus != focusRemote || m.showXfers {
		t.Fatalf("after w w: focus %v, panel shown %v", m.focus, m.showXfers)
	}
}
