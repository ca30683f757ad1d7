package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
)

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// waitModel polls the running program's model (through a probe message)
// until cond holds.
func waitFor(t *testing.T, tm *teatest.TestModel, what string, cond func([]byte) bool) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), cond, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// End to end through the root model: a real client, the emulator and a temp
// ledger. A file is uploaded by keyboard and then found in the remote pane;
// its bytes come back unchanged from the CDN.
func TestEndToEndUploadAppearsInRemotePane(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	data := seededBytes(t, 300_000)
	os.WriteFile(filepath.Join(dir, "alpha.bin"), data, 0o600)
	os.WriteFile(filepath.Join(dir, "beta.txt"), []byte("beta"), 0o600)

	tm := teatest.NewTestModel(t, New(e.deps(dir)), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "listing", func(b []byte) bool { return bytes.Contains(b, []byte("beta.txt")) })
	tm.Send(keyRunes("u")) // cursor is on alpha.bin
	// The remote pane lists the ledger again in a command of its own: wait
	// for it too rather than race it to the quit.
	waitFor(t, tm, "upload done and listed", func(b []byte) bool {
		return bytes.Contains(b, []byte("uploaded alpha.bin as")) && bytes.Contains(b, []byte("1 file ·"))
	})
	tm.Send(tea.QuitMsg{})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)

	entries := m.remote.Entries()
	if len(entries) != 1 || entries[0].Filename != "alpha.bin" || entries[0].Size != int64(len(data)) {
		t.Fatalf("remote pane has %+v\n%s", entries, m.View())
	}
	if !strings.Contains(m.remote.View(), "alpha.bin") {
		t.Fatalf("remote pane does not show the file:\n%s", m.remote.View())
	}
	var got bytes.Buffer
	if _, err := e.client.Download(context.Background(), entries[0].Handle, &got, filestack.DownloadOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Fatal("downloaded bytes differ")
	}
	if jobs, _ := e.ledger.Jobs(context.Background(), e.scope); len(jobs) != 0 {
		t.Fatalf("journal not cleared after success: %+v", jobs)
	}
}

func TestCopyWritesOSC52(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 1)
	tm := teatest.NewTestModel(t, New(e.deps(fixtureTree(t))), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "ledger", func(b []byte) bool { return bytes.Contains(b, []byte("photo-a.jpg")) })
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(keyRunes("y"))
	waitFor(t, tm, "copied", func(b []byte) bool { return bytes.Contains(b, []byte("sent OSC 52")) })
	tm.Send(tea.QuitMsg{})
	tm.FinalModel(t)
	url := e.client.CDNURL(handleN(0))
	want := "\x1b]52;c;" + b64(url) + "\x07"
	if !strings.Contains(e.clip.String(), want) {
		t.Fatalf("clipboard output %q lacks %q", e.clip.String(), want)
	}
}
