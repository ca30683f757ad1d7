package ui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// runFor runs a command, failing the test if it does not return in d.
func runFor(t *testing.T, c tea.Cmd, d time.Duration) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(d):
		t.Fatalf("no message in %v", d)
		return nil
	}
}

// findMsg runs a command tree until a message of type T comes out.
func findMsg[T tea.Msg](t *testing.T, c tea.Cmd) (T, bool) {
	t.Helper()
	var zero T
	if c == nil {
		return zero, false
	}
	switch msg := runFor(t, c, 5*time.Second).(type) {
	case T:
		return msg, true
	case tea.BatchMsg:
		for _, c := range msg {
			if m, ok := findMsg[T](t, c); ok {
				return m, true
			}
		}
	}
	return zero, false
}

// A file created in the directory shown appears without a key press, the
// cursor staying on its entry.
func TestLocalPaneWatchesDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b.txt")
	p := NewLocalPane(testEnvOf(Deps{}), dir, false)
	p.SetSize(60, 20)
	p.Focus()
	p, cmd := p.Update(p.Init()())
	started, ok := findMsg[watchStartedMsg](t, cmd)
	if !ok {
		t.Fatal("the directory is not watched")
	}
	defer started.watch.close()
	p, wait := p.Update(started)
	writeFile(t, dir, "a.txt")
	changed := runFor(t, wait, 5*time.Second)
	p, cmd = p.Update(changed)
	listed, ok := findMsg[localListedMsg](t, cmd)
	if !ok {
		t.Fatal("a change did not relist")
	}
	p, _ = p.Update(listed)
	if len(p.all) != 2 {
		t.Fatalf("entries after the change: %+v", p.all)
	}
	if cur, _ := p.current(); cur.Name != "b.txt" {
		t.Fatalf("cursor moved to %s", cur.Name)
	}
	// The list-again key relists at once.
	writeFile(t, dir, "c.txt")
	p, cmd = p.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	listed, _ = findMsg[localListedMsg](t, cmd)
	if p, _ = p.Update(listed); len(p.all) != 3 {
		t.Fatalf("after r: %+v", p.all)
	}
}
