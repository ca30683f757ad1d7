package ui

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

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

// ctrl+k asks for the key and secret (masked), saves them and switches over.
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
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlK})
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
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlK}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("other")}, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyEnter})
	if !strings.Contains(statusText(m), "used for this session only") {
		t.Fatalf("status %q", statusText(m))
	}
}
