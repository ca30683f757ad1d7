package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Names and types from the server are drawn sanitised in the remote pane,
// the details dialog and the status line.
func TestRemoteHostileNames(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "\x1b]52;c;cHduZWQ=\x07\x1b[2Jx.jpg",
		Mimetype: "image/\x1b[31mjpeg", Added: fixedNow})
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	m = drain(t, mm.(*Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	m = press(t, m, keyRunes("Y"))
	m.status.Update(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "upload of \x1b[2J failed"})
	for _, v := range []string{m.remote.View(), m.View()} {
		for _, r := range v {
			if r == 0x1b || r == 0x07 {
				t.Fatalf("control %U reached the screen:\n%q", r, v)
			}
		}
	}
	if !strings.Contains(m.remote.View(), "␛]52;c;cHduZWQ=␇") {
		t.Fatalf("name not shown visibly:\n%s", m.remote.View())
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
