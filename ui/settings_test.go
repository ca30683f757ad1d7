package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Keys that arrive together ("jju") act one by one.
func TestBurstOfKeysIsSplit(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = mm.(*Model)
	m = drain(t, m, m.Init())
	mm, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if m := mm.(*Model); localCursor(m) != 2 {
		got := localCursor(m)
		t.Fatalf("cursor %d after \"jj\", want 2", got)
	}
}
