package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Delete names the file; copy-as offers image forms only for images;
// counts and durations are worded properly.
func TestNamesAndPlurals(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "notes.txt", Mimetype: "text/plain", Added: fixedNow})
	d := e.deps(fixtureTree(t))
	d.Mode = uikit.ModeCloud // with a key: the files are on Filestack (local mode names the local server)
	m := startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"))
	if v := m.View(); !strings.Contains(v, "Delete notes.txt from Filestack?") || strings.Contains(v, "(s)") {
		t.Fatalf("delete dialog:\n%s", v)
	}
	m = press(t, m, keyRunes("n"), keyRunes("Y"))
	if v := m.View(); strings.Contains(v, "Markdown image") || strings.Contains(v, "<img>") || !strings.Contains(v, "Markdown link") {
		t.Fatalf("copy as for a text file:\n%s", v)
	}
	for _, ttl := range []string{"expires in 1 hour", "expires in 1 day", "expires in 7 days"} {
		if v := m.View(); !strings.Contains(v, "signed URL, "+ttl) {
			t.Fatalf("copy as lacks %q:\n%s", ttl, v)
		}
	}
}

// Delete needs the app secret, asks with the count, then removes the files
// from Filestack and the ledger.
func TestDeleteFlow(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	var handles []string
	for i := 0; i < 2; i++ {
		f, err := e.client.UploadReader(ctx, strings.NewReader("data"), 4, filestack.UploadOptions{Filename: "f"})
		if err != nil {
			t.Fatal(err)
		}
		handles = append(handles, f.Handle)
		e.ledger.Add(ctx, e.scope, store.Entry{Handle: f.Handle, Filename: "f", Added: fixedNow.Add(time.Duration(i))})
	}
	noSecret, _ := filestack.New(filestack.Config{APIKey: "k", CDNBase: "http://x"})
	d := e.deps(fixtureTree(t))
	d.Remote = noSecret
	m := startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"))
	if m.overlay != nil || !strings.Contains(statusText(m), "needs the app secret") {
		t.Fatalf("without a secret: %q", statusText(m))
	}
	d = e.deps(fixtureTree(t))
	d.Mode = uikit.ModeCloud // with a key: the files are on Filestack (local mode names the local server)
	m = startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("x"))
	if !strings.Contains(m.View(), "Delete 2 files from Filestack") {
		t.Fatalf("confirmation:\n%s", m.View())
	}
	press(t, m, keyRunes("y"))
	for _, h := range handles {
		if _, err := e.client.Metadata(ctx, h); !filestack.IsNotFound(err) {
			t.Fatalf("%s still on the server: %v", h, err)
		}
	}
	if es, _ := e.ledger.List(ctx, e.scope); len(es) != 0 {
		t.Fatalf("ledger still has %d", len(es))
	}
}

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
