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
	m = drain(t, mm.(Model), m.Init())
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

func TestRemotePaneDirectUpdate(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 5)
	p := NewRemotePane(testEnvOf(e.deps(t.TempDir())))
	p.SetSize(80, 20)
	p.Focus()
	p, _ = p.Update(listLedger(e.ledger, e.scope, 1)())
	if p.Len() != 0 {
		t.Fatal("a reply with a stale id was applied")
	}
	cmd := p.Reload()
	p, _ = p.Update(cmd())
	if p.Len() != 5 || p.Entries()[0].Filename != "photo-a.jpg" {
		t.Fatalf("newest first: %+v", p.Entries())
	}
	p, _ = p.Update(key1("space"))
	p, _ = p.Update(key1("space"))
	if len(p.Selected()) != 2 {
		t.Fatalf("marks: %d", len(p.Selected()))
	}
	_, cmd = p.Update(key1("X"))
	if msg, ok := cmd().(uikit.OpenMsg); !ok || !strings.Contains(msg.Overlay.View(), "Forget 2 files?") {
		t.Fatalf("forget asks about both: %#v", cmd())
	}
	p.SetFilter("photo-e")
	if len(p.Entries()) != 1 || p.Entries()[0].Filename != "photo-e.jpg" {
		t.Fatalf("filter: %+v", p.Entries())
	}
	p.SetFilter("")
	p.SetSort(rsortSize, true)
	if p.Entries()[0].Size != 5000 {
		t.Fatalf("sort by size desc: %+v", p.Entries()[0])
	}
}

func TestMouse(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 3)
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drain(t, mm.(Model), m.Init())
	mm, _ = m.Update(tea.MouseMsg{X: 70, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	m = mm.(Model)
	if m.focus != focusRemote || m.remote.list.Cursor() != 1 {
		t.Fatalf("click: focus %v cursor %d", m.focus, m.remote.list.Cursor())
	}
	mm, _ = m.Update(tea.MouseMsg{X: 10, Y: 10, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m := mm.(Model); m.local.list.Cursor() != 3 {
		t.Fatalf("wheel: cursor %d", m.local.list.Cursor())
	}
}
