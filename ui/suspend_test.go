package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// ctrl+z suspends wherever the focus is: in a pane, in the filter box
// (which takes typed text) and under a dialog.
func TestCtrlZSuspends(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	fresh := func() *Model { return startModel(t, e.deps(fixtureTree(t))) }
	m := fresh()
	suspends := func(where string, m *Model) {
		t.Helper()
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlZ})
		if cmd == nil {
			t.Fatalf("%s: ctrl+z returned no command", where)
		}
		if _, ok := cmd().(tea.SuspendMsg); !ok {
			t.Fatalf("%s: ctrl+z is not tea.Suspend", where)
		}
	}
	suspends("local pane", m)
	suspends("filter box", press(t, fresh(), keyRunes("/"), keyRunes("a")))
	helped := press(t, fresh(), keyRunes("?"))
	if helped.overlay == nil {
		t.Fatal("? opened no help")
	}
	suspends("help dialog", helped)
	if mm, _ := helped.Update(tea.ResumeMsg{}); mm.(*Model).overlay == nil {
		t.Fatal("resuming closed the dialog")
	}
}
