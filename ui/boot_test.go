package ui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Until its session has opened, the interface draws the title and both
// panes saying loading, keeps the keys pressed meanwhile and gives them
// to the interface in order once it exists; ctrl+c quits at once.
func TestBootDrawsLoadingThenHandsOver(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	dir := t.TempDir()
	opened := make(chan struct{})
	b := NewBoot(func() (Deps, error) { <-opened; return e.deps(dir), nil }, dir, DefaultSettings())
	b.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := b.View()
	if !strings.Contains(v, " fsdeck ") || !strings.Contains(v, "Local") || !strings.Contains(v, "Remote") || strings.Count(v, "loading…") < 2 {
		t.Fatalf("loading frame:\n%s", v)
	}
	if got := len(strings.Split(v, "\n")); got != 30 {
		t.Fatalf("loading frame has %d lines, want the terminal's 30:\n%s", got, v)
	}
	b.Update(tea.KeyMsg{Type: tea.KeyTab}) // to the remote pane, once it exists
	close(opened)
	msg := b.Init()()
	if _, cmd := b.Update(msg); cmd == nil || b.Model() == nil {
		t.Fatal("no interface after the session opened")
	}
	if b.Model().focus != focusRemote {
		t.Fatalf("the key pressed while loading was not replayed: focus %v", b.Model().focus)
	}
	if b.View() != b.Model().View() {
		t.Fatal("the view is not the interface's once it exists")
	}
	b.Model().Shutdown(0)
}

// A session that cannot open ends the program with its error (the
// command reports it); ctrl+c while loading quits without waiting.
func TestBootOpenFailsOrQuits(t *testing.T) {
	boom := errors.New("boom")
	b := NewBoot(func() (Deps, error) { return Deps{}, boom }, t.TempDir(), DefaultSettings())
	if _, cmd := b.Update(b.Init()()); cmd == nil || cmd() != tea.Quit() || !errors.Is(b.Err(), boom) || b.Model() != nil {
		t.Fatalf("open failed: err %v, model %v", b.Err(), b.Model())
	}
	b = NewBoot(func() (Deps, error) { select {} }, t.TempDir(), DefaultSettings())
	if _, cmd := b.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); cmd == nil || cmd() != tea.Quit() {
		t.Fatal("ctrl+c while loading did not quit")
	}
}
