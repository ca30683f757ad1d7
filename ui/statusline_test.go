package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// L opens the log from the panes.
func TestLogKey(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := startModel(t, e.deps(fixtureTree(t)))
	m.status.Update(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "something broke"})
	m = press(t, m, keyRunes("L"))
	if !strings.Contains(m.View(), "Messages (last 100)") || !strings.Contains(m.View(), "something broke") {
		t.Fatalf("log:\n%s", m.View())
	}
}

// flakyLedger fails the calls named in fail.
type flakyLedger struct {
	uikit.Ledger
	fail map[string]bool
}

func (f flakyLedger) Remove(ctx context.Context, s store.Scope, hs ...string) error {
	if f.fail["Remove"] {
		return errors.New("disk full")
	}
	return f.Ledger.Remove(ctx, s, hs...)
}

func (f flakyLedger) StartJob(ctx context.Context, s store.Scope, p string, n int64) (int64, error) {
	if f.fail["StartJob"] {
		return 0, errors.New("journal locked")
	}
	return f.Ledger.StartJob(ctx, s, p, n)
}

// Ledger and journal errors reach the status line: Remove after a remote
// delete, StartJob before an upload (whose resume would silently be lost).
func TestLedgerAndJournalErrorsShown(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	f, err := e.client.UploadReader(ctx, strings.NewReader("data"), 4, filestack.UploadOptions{Filename: "f"})
	if err != nil {
		t.Fatal(err)
	}
	e.ledger.Add(ctx, e.scope, store.Entry{Handle: f.Handle, Filename: "f", Added: fixedNow})
	dir := t.TempDir()
	// Past the simple store (4 MiB): only a multipart upload has a session
	// to journal.
	if err := os.WriteFile(filepath.Join(dir, "up.txt"), make([]byte, 5<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	d := e.deps(dir)
	d.Ledger = flakyLedger{Ledger: e.ledger, fail: map[string]bool{"Remove": true, "StartJob": true}}
	m := startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"), keyRunes("y"))
	if !strings.Contains(statusText(m), "disk full") {
		t.Fatalf("status after delete: %q", statusText(m))
	}
	m = waitIdle(t, press(t, m, tea.KeyMsg{Type: tea.KeyShiftTab}, keyRunes("u")))
	found := false
	for _, l := range m.status.Log() {
		found = found || strings.Contains(l.Text, "journal locked")
	}
	if !found {
		t.Fatalf("StartJob error not reported: %+v", m.status.Log())
	}
}

// A start-up warning too long for 80 columns keeps its remedy on the
// status line, and the message log has it (and every start-up message).
func TestStartupNoticeRemedyAndLog(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	const notice = "config: /home/u/.config/fsdeck/config.toml:125: keys.bogus_option: unknown action; ignored (and 2 more: run `fsdeck config check`)"
	d := e.deps(fixtureTree(t))
	d.Notice = notice
	m := startModel(t, d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = mm.(*Model)
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	status := lines[len(lines)-2]
	if !strings.Contains(status, "(and 2 more: run `fsdeck config check`)") || !strings.HasPrefix(status, "config: ") {
		t.Fatalf("status line at 80 columns: %q", status)
	}
	m = press(t, m, keyRunes("L"))
	log := strings.ReplaceAll(ansi.Strip(m.overlay.View()), "│", " ")
	// Wrapped to the 80-column dialog, nothing cut off.
	if strings.Contains(log, "no messages yet") || strings.Contains(log, "…") ||
		!strings.Contains(strings.Join(strings.Fields(log), " "), "keys.bogus_option: unknown action; ignored (and 2 more: run `fsdeck config check`)") {
		t.Fatalf("the log lacks the start-up message:\n%s", log)
	}
}

// "checking … against the ledger…" is taken down when the check ends: not
// under the "already uploaded" question, nor after it.
func TestProgressMessageEndsWithItsStep(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("same bytes"), 0o600)
	m := startModel(t, e.deps(dir))
	m = request(t, m, dir, "a.txt")
	m = waitJob(t, m, transfer.Done)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("same bytes"), 0o600)
	m = request(t, m, dir, "b.txt")
	if m.overlay == nil || !strings.Contains(m.View(), "already uploaded") {
		t.Fatalf("no duplicate question:\n%s", m.View())
	}
	if strings.Contains(m.View(), "against the ledger") {
		t.Fatalf("the check's progress message stays under its question:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, keyRunes("s"))
	if strings.Contains(m.View(), "against the ledger") {
		t.Fatalf("the check's progress message stays after the answer:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, keyRunes("L"))
	if log := ansi.Strip(m.overlay.View()); !strings.Contains(log, "checking 1 file against the ledger") {
		t.Fatalf("the log lost the progress message:\n%s", log)
	}
}
