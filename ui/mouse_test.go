package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// A double click opens a directory; the wheel scrolls the pane under the
// pointer, not the focused one.
func TestMouseDoubleClickAndWheel(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 20)
	clock := fixedNow
	d := e.deps(fixtureTree(t))
	d.Now = func() time.Time { return clock }
	m := startModel(t, d)
	click := tea.MouseMsg{X: 5, Y: 4, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
	mm, cmd := m.Update(click)
	m = drain(t, mm.(*Model), cmd)
	clock = clock.Add(200 * time.Millisecond)
	mm, cmd = m.Update(click)
	m = drain(t, mm.(*Model), cmd)
	if !strings.HasSuffix(m.local.Dir(), "photos") {
		t.Fatalf("double click on photos/ left the pane in %s", m.local.Dir())
	}
	mm, _ = m.Update(tea.MouseMsg{X: 70, Y: 8, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	m = mm.(*Model)
	if m.focus != focusLocal || remoteCursor(m) != 3 {
		t.Fatalf("wheel over the remote pane: focus %v, remote cursor %d", m.focus, remoteCursor(m))
	}
}

func TestMouse(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 3)
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drain(t, mm.(*Model), m.Init())
	mm, _ = m.Update(tea.MouseMsg{X: 70, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	m = mm.(*Model)
	if m.focus != focusRemote || remoteCursor(m) != 1 {
		t.Fatalf("click: focus %v cursor %d", m.focus, remoteCursor(m))
	}
	mm, _ = m.Update(tea.MouseMsg{X: 10, Y: 10, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m := mm.(*Model); localCursor(m) != 3 {
		t.Fatalf("wheel: cursor %d", localCursor(m))
	}
}
