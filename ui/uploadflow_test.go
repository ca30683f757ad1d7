package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// request sends an upload request as the local pane does and runs it.
func request(t *testing.T, m *Model, base string, paths ...string) *Model {
	t.Helper()
	for i, p := range paths {
		paths[i] = filepath.Join(base, p)
	}
	mm, cmd := m.Update(uikit.UploadRequestMsg{Paths: paths, Base: base})
	return drain(t, mm.(*Model), cmd)
}

func jobCount(m *Model) int { return len(m.engine.Snapshot().Jobs) }

// An upload of more files than the setting asks first, with the count and
// the size; "no" queues nothing, "yes" queues them all.
func TestLargeUploadAsksFirst(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "big"), 0o700)
	for i := 0; i < 5; i++ {
		os.WriteFile(filepath.Join(dir, "big", string(rune('a'+i))+".txt"), []byte(strings.Repeat("x", 1000)), 0o600)
	}
	d := e.deps(dir)
	d.Settings.AskAboveFiles = 3
	m := startModel(t, d)
	m = request(t, m, dir, "big")
	if m.overlay == nil || !strings.Contains(m.View(), "Upload 5 files (4.9 KiB)?") {
		t.Fatalf("a 5-file upload above 3 did not ask:\n%s", m.View())
	}
	m = press(t, m, keyRunes("n"))
	if m.overlay != nil || jobCount(m) != 0 {
		t.Fatalf("no queued %d jobs", jobCount(m))
	}
	m = request(t, m, dir, "big")
	m = press(t, m, keyRunes("y"))
	if n := jobCount(m); n != 5 {
		t.Fatalf("yes queued %d jobs, want 5", n)
	}
	m.Shutdown(5 * time.Second)
}

// A file whose content the ledger already has asks, naming the target,
// when and the handle of the earlier copy: skip queues nothing, upload again queues it.
func TestDuplicateUploadAsks(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("same bytes"), 0o600)
	m := startModel(t, e.deps(dir))
	m = request(t, m, dir, "a.txt")
	m = waitJob(t, m, transfer.Done)
	handle := m.engine.Snapshot().Jobs[0].Handle
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("same bytes"), 0o600)
	m = request(t, m, dir, "b.txt")
	if m.overlay == nil || !strings.Contains(m.View(), "b.txt is already on Filestack") || !strings.Contains(m.View(), "uploaded Nov 26 12:00 as "+handle) {
		t.Fatalf("no question about the duplicate (handle %s):\n%s", handle, m.View())
	}
	m = press(t, m, keyRunes("s"))
	if jobCount(m) != 1 || !strings.Contains(statusText(m), "skipped 1 file already uploaded") {
		t.Fatalf("skip: %d jobs, status %q", jobCount(m), statusText(m))
	}
	m = request(t, m, dir, "b.txt")
	m = press(t, m, keyRunes("u"))
	if jobCount(m) != 2 {
		t.Fatalf("upload again queued %d jobs in all, want 2", jobCount(m))
	}
	m.Shutdown(5 * time.Second)
}

// Skip all skips every remaining duplicate without asking again, and the
// new file still goes.
func TestDuplicateSkipAll(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("same bytes"), 0o600)
	m := startModel(t, e.deps(dir))
	m = waitJob(t, request(t, m, dir, "a.txt"), transfer.Done)
	for _, n := range []string{"b.txt", "c.txt"} {
		os.WriteFile(filepath.Join(dir, n), []byte("same bytes"), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte("new bytes"), 0o600)
	m = request(t, m, dir, "b.txt", "c.txt", "new.txt")
	m = press(t, m, keyRunes("a"))
	snap := m.engine.Snapshot()
	if m.overlay != nil || len(snap.Jobs) != 2 || snap.Jobs[1].Name != "new.txt" {
		t.Fatalf("skip all: overlay %v, jobs %+v", m.overlay != nil, snap.Jobs)
	}
	m.Shutdown(5 * time.Second)
}

// C asks, then cancels everything and says how many.
func TestCancelAllAsksAndCounts(t *testing.T) {
	m, _, _, _ := gatedDownload(t)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = mm.(*Model)
	mm, cmd := transferKey(m, firstJob(m).ID, "C")
	m = drain(t, mm.(*Model), cmd)
	if m.overlay == nil || !strings.Contains(m.View(), "Cancel 1 transfer") {
		t.Fatalf("C did not ask:\n%s", m.View())
	}
	if st := m.engine.Snapshot().Jobs[0].State; st != transfer.Running {
		t.Fatalf("cancelled before the answer: %v", st)
	}
	m = press(t, m, keyRunes("y"))
	if !strings.Contains(statusText(m), "cancelled 1 transfer") {
		t.Fatalf("status %q", statusText(m))
	}
	waitJob(t, m, transfer.Cancelled).Shutdown(time.Second)
}

// A directory upload is one group row with its own totals; enter expands
// it into its files and collapses it again.
func TestDirectoryUploadIsOneGroupRow(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "photos"), 0o700)
	for i := 0; i < 5; i++ {
		os.WriteFile(filepath.Join(dir, "photos", string(rune('a'+i))+".txt"), []byte(strings.Repeat("y", 100*(i+1))), 0o600)
	}
	m := startModel(t, e.deps(dir))
	m = waitIdle(t, request(t, m, dir, "photos"))
	if rows := panelRows(m); len(rows) != 1 || !strings.Contains(rows[0], "▸⇡") {
		t.Fatalf("%d rows for a 5-file directory, want one group row: %q", len(rows), rows)
	}
	var uploadedMsgs []string
	for _, l := range m.status.Log() {
		if strings.HasPrefix(l.Text, "uploaded ") {
			uploadedMsgs = append(uploadedMsgs, l.Text)
		}
	}
	if len(uploadedMsgs) != 1 || uploadedMsgs[0] != "uploaded photos/: 5 files" {
		t.Fatalf("a group reports once when it ends, got %q", uploadedMsgs)
	}
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	m = press(t, mm.(*Model), keyRunes("w"))
	v := m.transfers.View()
	if !strings.Contains(v, "▸⇡ photos/") || !strings.Contains(v, "5/5 files done") || !strings.Contains(v, "1.5 KiB/1.5 KiB") {
		t.Fatalf("group row:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if rows := panelRows(m); len(rows) != 6 || !strings.Contains(rows[0], "▾⇡ photos/") || !strings.Contains(rows[1], "  ⇡") {
		t.Fatalf("expanded: %d rows\n%s", len(rows), m.transfers.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	if rows := panelRows(m); len(rows) != 1 {
		t.Fatalf("collapsed: %d rows", len(rows))
	}
}
