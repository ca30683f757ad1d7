package ui

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// waitOutput waits until the program has drawn every string of wants.
func waitOutput(t *testing.T, tm *teatest.TestModel, wants ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, w := range wants {
			if !bytes.Contains(b, []byte(w)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// localRows are the names of the local pane's rows, top to bottom.
func localRows(m *Model) []string {
	var out []string
	for _, l := range strings.Split(ansi.Strip(m.local.View()), "\n") {
		for _, n := range []string{"photos/", "report.csv", "notes.txt", "script with spaces.sh"} {
			if strings.Contains(l, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// Keys typed faster than the terminal is read (one message, "ss") go to
// the menu the key before opened: s s is one sort menu, and its s picks
// by size; s n by name. Nothing is left open or queued.
func TestTypeAheadGoesToTheMenu(t *testing.T) {
	for _, c := range []struct {
		keys   string
		footer string
		want   string
	}{
		{"ss", "· size", "photos/,report.csv,notes.txt,script with spaces.sh"},
		{"ssst", "· time", ""},
	} {
		e := newTestEnv(t, emulator.Options{})
		tm := teatest.NewTestModel(t, New(e.deps(fixtureTree(t))), teatest.WithInitialTermSize(100, 30))
		waitOutput(t, tm, "script with spaces.sh", "nothing uploaded yet")
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(c.keys)})
		waitOutput(t, tm, c.footer)
		tm.Send(tea.QuitMsg{})
		m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
		if !strings.Contains(ansi.Strip(m.local.View()), c.footer) {
			t.Fatalf("%q: footer:\n%s", c.keys, m.local.View())
		}
		if m.overlay != nil || len(m.queued) > 0 {
			t.Fatalf("%q left a menu open (%d queued):\n%s", c.keys, len(m.queued), m.View())
		}
		if got := strings.Join(localRows(m), ","); c.want != "" && got != c.want {
			t.Fatalf("%q: rows %s, want %s", c.keys, got, c.want)
		}
	}
}

// A key sent after a burst waits behind it: ":photos" typed at once and
// enter right after go to the path prompt, in that order (enter never
// overtakes the text and acts on the entry under the cursor).
func TestKeysAfterABurstKeepTheirOrder(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tm := teatest.NewTestModel(t, New(e.deps(fixtureTree(t))), teatest.WithInitialTermSize(100, 30))
	waitOutput(t, tm, "script with spaces.sh", "nothing uploaded yet")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(":photos")})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOutput(t, tm, "tree/photos")
	tm.Send(tea.QuitMsg{})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if filepath.Base(m.local.Dir()) != "photos" || m.overlay != nil {
		t.Fatalf("in %s, dialog %T:\n%s", m.local.Dir(), m.overlay, m.View())
	}
}

// A key typed right after ctrl+u, before the command that makes the
// target menu has run (the menu is made in a command: greying a target
// out reads the file), goes to that menu and chooses its target, as a
// key typed ahead in a burst does; it is not lost on the local pane.
func TestKeyAfterCtrlUGoesToTheMenu(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	mm, first := m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	m = mm.(*Model)
	mm, second := m.Update(keyRunes(he.menuKeyOf(t, "imgbb"))) // ctrl+u's command has not run
	m = mm.(*Model)
	if m.overlay != nil {
		t.Fatalf("the menu opened before its command ran: %T", m.overlay)
	}
	// Run the commands as the program does: each in its own goroutine,
	// their messages handed to Update one at a time in the order they
	// come.
	msgs := make(chan tea.Msg, 256)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			msg := c()
			if seq, ok := sequence(msg); ok {
				for _, c := range seq {
					if c == nil {
						continue
					}
					switch msg := c().(type) {
					case tea.BatchMsg:
						for _, c := range msg {
							run(c)
						}
					default:
						msgs <- msg
					}
				}
				return
			}
			msgs <- msg
		}()
	}
	run(first)
	run(second)
	deadline := time.After(10 * time.Second)
	for !strings.Contains(m.View(), "Upload to ImgBB: delete automatically after…") {
		select {
		case msg := <-msgs:
			if batch, ok := msg.(tea.BatchMsg); ok {
				for _, c := range batch {
					run(c)
				}
				continue
			}
			if msg == nil {
				continue
			}
			mm, cmd := m.Update(msg)
			m = mm.(*Model)
			run(cmd)
		case <-deadline:
			t.Fatalf("the key after ctrl+u did not choose ImgBB: status %q\n%s", statusText(m), m.View())
		}
	}
	if m.held != nil {
		t.Fatalf("keys still held: %v", m.held)
	}
	m.Shutdown(5 * time.Second)
}
