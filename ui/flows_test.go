package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

func startModel(t *testing.T, d Deps) *Model {
	t.Helper()
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return drain(t, mm.(*Model), m.Init())
}

type fakeSecrets struct {
	saved map[string]string
	err   error
}

func (f *fakeSecrets) Set(name, value string) error {
	if f.err != nil {
		return f.err
	}
	f.saved[name] = value
	return nil
}

// K asks for the key and secret (masked), saves them and switches over.
func TestKeyDialogSavesAndConnects(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	sec := &fakeSecrets{saved: map[string]string{}}
	d := e.deps(fixtureTree(t))
	d.Secrets = sec
	var gotKey string
	d.Connect = func(k, s string) (uikit.Connection, error) {
		gotKey = k
		return uikit.Connection{Remote: e.client, Scope: store.Scope{Endpoint: "cloud", KeyFP: store.Fingerprint(k)}, Endpoint: "Filestack (key x)"}, nil
	}
	m := startModel(t, d)
	m = press(t, m, keyRunes("K"))
	if !strings.Contains(m.View(), "Filestack API key") {
		t.Fatalf("no dialog:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("realkey123"), Paste: true})
	if strings.Contains(m.View(), "realkey123") {
		t.Fatal("the key is shown while typed")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s3cret")}, tea.KeyMsg{Type: tea.KeyEnter})
	if sec.saved[store.SecretAPIKey] != "realkey123" || sec.saved[store.SecretAppSecret] != "s3cret" || gotKey != "realkey123" {
		t.Fatalf("saved %v, connected with %q", sec.saved, gotKey)
	}
	if m.ts.targets.Mode() != uikit.ModeCloud || !strings.Contains(statusText(m), "key saved in the OS keyring") || !strings.Contains(m.View(), "FILESTACK") {
		t.Fatalf("mode %v status %q", m.ts.targets.Mode(), statusText(m))
	}
	sec.err = errors.New("no keyring")
	m = press(t, m, keyRunes("K"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("other")}, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyEnter})
	if !strings.Contains(statusText(m), "used for this session only") {
		t.Fatalf("status %q", statusText(m))
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
	m = press(t, m, keyRunes("y"))
	for _, h := range handles {
		if _, err := e.client.Metadata(ctx, h); !filestack.IsNotFound(err) {
			t.Fatalf("%s still on the server: %v", h, err)
		}
	}
	if es, _ := e.ledger.List(ctx, e.scope); len(es) != 0 {
		t.Fatalf("ledger still has %d", len(es))
	}
}
