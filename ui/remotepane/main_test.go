package remotepane

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// TestMain draws without colours, so views compare as text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the clock of these tests: views never read the real time.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testEnv is a real client and emulator over HTTP with a temp ledger, and
// the targets of a session on them (Filestack alone, local mode).
type testEnv struct {
	emu     *emulator.Server
	client  *filestack.Client
	ledger  *store.Ledger
	scope   store.Scope
	targets uikit.Targets
}

func newTestEnv(t *testing.T, eo emulator.Options) *testEnv {
	t.Helper()
	eo.DataDir = t.TempDir()
	eo.APIKeys = []string{"UIKEYaaaaaaaaaaaaaaaaa"}
	eo.AppSecret = "UISECRETbbbbbbbbbbbbbbbbbb"
	emu, err := emulator.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	c, err := filestack.New(filestack.Config{APIKey: eo.APIKeys[0], AppSecret: eo.AppSecret,
		APIBase: srv.URL + "/api", UploadBase: srv.URL, CDNBase: srv.URL, PartSize: filestack.MinPartSize,
		Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
		emu.Close()
		l.Close()
	})
	scope := store.Scope{Endpoint: "test", KeyFP: "fp"}
	return &testEnv{emu: emu, client: c, ledger: l, scope: scope,
		targets: uikit.NewTargets(nil, "", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{Remote: c, Scope: scope, Endpoint: "http://127.0.0.1:7337"}, uikit.ModeLocal, fstarget.Options{}), uikit.ModeLocal)}
}

// env is the environment of a pane on ledger l.
func (e *testEnv) env(l uikit.Ledger) *uikit.Env {
	return uikit.NewEnv(uikit.EnvOptions{Ledger: l, Now: func() time.Time { return fixedNow }})
}

// pane is a pane on ledger l that does not watch it.
func (e *testEnv) pane(l uikit.Ledger) *Pane {
	return New(e.env(l), e.targets, Options{NoWatch: true})
}

func addEntries(t *testing.T, e *testEnv, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(i), Filename: "photo-" + string(rune('a'+i%26)) + ".jpg",
			Size: int64(1000 * (i + 1)), Mimetype: "image/jpeg", Uploaded: fixedNow.Add(-time.Duration(i) * time.Hour),
			Added: fixedNow.Add(-time.Duration(i) * time.Hour), Source: store.SourceUpload})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func handleN(i int) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	return "HANDLE" + string(a[i%26]) + string(a[(i/26)%26]) + "xxxxxxxxxxxx"
}

func key1(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// current is the entry under the cursor (while nothing is marked).
func current(p *Pane) store.Entry {
	if sel := p.Selected(); len(sel) == 1 {
		return sel[0]
	}
	return store.Entry{}
}

// footer is the pane's footer line, as drawn.
func footer(p *Pane) string {
	lines := strings.Split(p.View(), "\n")
	return strings.TrimSpace(strings.Trim(lines[len(lines)-2], "│"))
}

// countingLedger counts how often the pane lists the ledger.
type countingLedger struct {
	*store.Ledger
	lists int
}

func (c *countingLedger) List(ctx context.Context, s store.Scope) ([]store.Entry, error) {
	c.lists++
	return c.Ledger.List(ctx, s)
}
