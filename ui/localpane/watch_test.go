package localpane

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
	p := New(testEnv(nil), testTargets(), Options{Dir: dir})
	p.SetSize(60, 20)
	p.Focus()
	cmd := p.Update(p.Init()())
	started, ok := findMsg[watchStartedMsg](t, cmd)
	if !ok {
		t.Fatal("the directory is not watched")
	}
	defer started.watch.close()
	wait := p.Update(started)
	writeFile(t, dir, "a.txt")
	changed := runFor(t, wait, 5*time.Second)
	cmd = p.Update(changed)
	listed, ok := findMsg[localListedMsg](t, cmd)
	if !ok {
		t.Fatal("a change did not relist")
	}
	p.Update(listed)
	if names := rowNames(p); len(names) != 2 {
		t.Fatalf("entries after the change: %q", names)
	}
	if cur, _ := p.Current(); cur.Name != "b.txt" {
		t.Fatalf("cursor moved to %s", cur.Name)
	}
	// The list-again key relists at once.
	writeFile(t, dir, "c.txt")
	cmd = p.Update(tea.KeyMsg{Type: tea.KeyCtrlR})
	listed, _ = findMsg[localListedMsg](t, cmd)
	if p.Update(listed); len(rowNames(p)) != 3 {
		t.Fatalf("after r: %q", rowNames(p))
	}
}
