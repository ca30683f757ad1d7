package ui

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// isQuit reports whether running cmd's tree yields tea.Quit.
func isQuit(t *testing.T, cmd tea.Cmd) bool {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := runCmd(t, c).(type) {
		case tea.QuitMsg:
			return true
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			// tea.Sequence's message is an unexported []tea.Cmd.
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice {
				for i := range v.Len() {
					if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
						queue = append(queue, c)
					}
				}
			}
		}
	}
	return false
}

// q typed right after u, before the upload's first command has answered,
// asks instead of quitting: nothing of the upload is queued or journaled
// yet, and quitting silently lost it. Once the upload has been queued and
// has finished, q quits at once again (the count of steps in flight does
// not leak).
func TestQuitWhileUploadIsPrepared(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fresh.txt"), []byte("fresh"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := startModel(t, e.deps(dir))
	mm, upCmd := m.Update(keyRunes("u"))
	mm, quitCmd := mm.(*Model).Update(keyRunes("q"))
	m = mm.(*Model)
	if v := m.View(); !strings.Contains(v, "still being prepared") {
		t.Fatalf("q during the upload's preparation did not ask:\n%s", v)
	}
	if quitCmd != nil && isQuit(t, quitCmd) {
		t.Fatal("q during the upload's preparation quit")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}) // keep working
	m = drain(t, m, upCmd)
	if s := m.engine.Snapshot(); s.Total.Files != 1 {
		t.Fatalf("the upload was not queued: %+v", s.Total)
	}
	m = waitJobs(t, m)
	if n := m.local.Preparing() + m.transfers.Preparing(); n != 0 {
		t.Fatalf("%d upload steps still counted after the upload was queued", n)
	}
	if _, cmd := m.Update(keyRunes("q")); !isQuit(t, cmd) {
		t.Fatalf("q after the upload finished did not quit:\n%s", m.View())
	}
}
