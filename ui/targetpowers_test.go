package ui

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// powerTarget is a target that is not the registry's root yet has the
// root's powers: import, store from URL, derived URLs, its own metadata,
// transformations and delete. The interface must offer each of them
// because the target has it, not because of its name.
type powerTarget struct {
	mu      sync.Mutex
	stored  []string
	deleted []string
}

var (
	_ hosts.Importer    = (*powerTarget)(nil)
	_ hosts.URLStorer   = (*powerTarget)(nil)
	_ hosts.URLDeriver  = (*powerTarget)(nil)
	_ hosts.Transformer = (*powerTarget)(nil)
	_ hosts.Deleter     = (*powerTarget)(nil)
)

func (p *powerTarget) Name() string { return "powers" }

func (p *powerTarget) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{Kind: hosts.AnyFile, Delete: true, Stat: true, DerivedURL: true, DirectURL: true,
		Transform: true, StoreURL: true, Import: true}
}

func (p *powerTarget) Upload(context.Context, hosts.File, hosts.UploadOptions, hosts.Progress) (hosts.Result, error) {
	return hosts.Result{}, &hosts.Error{Target: "powers", Kind: hosts.KindRejected, Msg: "not in this test"}
}

func (p *powerTarget) ParseRef(ref string) (string, bool) {
	id, ok := strings.CutPrefix(ref, "powers:")
	return id, ok && id != ""
}

func (p *powerTarget) Stat(_ context.Context, id string) (hosts.Result, error) {
	return hosts.Result{Target: "powers", ID: id, Name: id + ".png", Size: 42, Mimetype: "image/png"}, nil
}

func (p *powerTarget) Metadata(_ context.Context, id string, _ ...string) (*filestack.Metadata, error) {
	size := int64(42)
	return &filestack.Metadata{Filename: id + ".png", Mimetype: "image/png", Size: &size}, nil
}

func (p *powerTarget) StoreURL(_ context.Context, url string, _ hosts.UploadOptions) (hosts.Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stored = append(p.stored, url)
	return hosts.Result{Target: "powers", ID: "fromurl", Name: "fetched.png", Size: 7, URL: p.URLOf("fromurl"), Mimetype: "image/png"}, nil
}

func (p *powerTarget) URLOf(id string) string { return "http://127.0.0.1:9/powers/" + id }

func (p *powerTarget) TransformURL(ch transform.Chain, _ time.Duration) string {
	return "http://127.0.0.1:9/powers" + ch.Format()
}

func (p *powerTarget) FetchTransform(context.Context, transform.Chain, io.Writer, int64) (string, error) {
	return "", &hosts.Error{Target: "powers", Kind: hosts.KindRejected, Msg: "no preview in this test"}
}

func (p *powerTarget) StoreTransform(context.Context, transform.Chain, string) (hosts.Result, error) {
	return hosts.Result{}, &hosts.Error{Target: "powers", Kind: hosts.KindRejected, Msg: "not in this test"}
}

func (p *powerTarget) Delete(_ context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deleted = append(p.deleted, id)
	return nil
}

// powerEnv starts the interface showing the power target, with one image
// of its own in the ledger.
func powerEnv(t *testing.T) (*Model, *testEnv, *powerTarget, store.Scope) {
	t.Helper()
	e := newTestEnv(t, emulatorOpts())
	pt := &powerTarget{}
	scope := store.Scope{Target: "powers", Endpoint: "http://127.0.0.1:9/powers", KeyFP: "pfp"}
	if err := e.ledger.Add(context.Background(), scope, store.Entry{Handle: "img1", Filename: "img1.png", Size: 42,
		Mimetype: "image/png", Uploaded: fixedNow, Added: fixedNow}); err != nil {
		t.Fatal(err)
	}
	d := e.deps(fixtureTree(t))
	d.Targets = []uikit.TargetConn{{Name: "powers", Title: "Powers", Host: pt, Scope: scope, Endpoint: scope.Endpoint, Caps: pt.Capabilities()}}
	d.Target = "powers"
	return startModel(t, d), e, pt, scope
}

// Import and store from URL are offered on any target that has them
// (hosts.Importer, hosts.URLStorer), and go to that target and its
// ledger scope.
func TestImportAndStoreURLFollowTheTargetsPowers(t *testing.T) {
	m, e, pt, scope := powerEnv(t)
	if !strings.Contains(m.View(), "Powers") {
		t.Fatalf("the power target is not shown:\n%s", m.View())
	}
	m = press(t, m, keyRunes("I"))
	if !strings.Contains(m.View(), "Import a handle") {
		t.Fatalf("I did not open the import dialog on a target that imports: %q\n%s", statusText(m), m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("powers:abc"), Paste: true}, tea.KeyMsg{Type: tea.KeyEnter})
	if got := statusText(m); !strings.Contains(got, "imported abc (abc.png)") {
		t.Fatalf("import: %q", got)
	}
	m = press(t, m, keyRunes("U"))
	if !strings.Contains(m.View(), "Powers fetches this public http(s) URL") {
		t.Fatalf("U did not open the store-from-URL dialog on a target that stores URLs: %q\n%s", statusText(m), m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("http://127.0.0.1:9/pic.png"), Paste: true}, tea.KeyMsg{Type: tea.KeyEnter})
	if got := statusText(m); !strings.Contains(got, "stored fetched.png as fromurl") {
		t.Fatalf("store from URL: %q", got)
	}
	if len(pt.stored) != 1 || pt.stored[0] != "http://127.0.0.1:9/pic.png" {
		t.Fatalf("the target was asked to store %v", pt.stored)
	}
	es, err := e.ledger.List(context.Background(), scope)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Entry{}
	for _, en := range es {
		got[en.Handle] = en
	}
	if got["abc"].Filename != "abc.png" || got["abc"].Source != store.SourceImport || got["fromurl"].Source != store.SourceURL {
		t.Fatalf("the target's ledger has %+v", es)
	}
	// Its URLs are built from the id (DerivedURL): the ledger keeps none.
	if got["fromurl"].URL != "" {
		t.Fatalf("a derived URL was recorded: %+v", got["fromurl"])
	}
	// The root target's ledger got nothing.
	if rs, _ := e.ledger.List(context.Background(), e.scope); len(rs) != 0 {
		t.Fatalf("the root's ledger has %+v", rs)
	}
}

// The transform studio, the handle's URL and delete are offered on any
// target that transforms (hosts.Transformer), derives its URLs
// (hosts.URLDeriver) and deletes (hosts.Deleter).
func TestStudioAndDeleteFollowTheTargetsPowers(t *testing.T) {
	m, _, pt, _ := powerEnv(t)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("t"))
	if m.studio == nil {
		t.Fatalf("t did not open the studio on a target that transforms: %q", statusText(m))
	}
	m = press(t, m, keyRunes("a"), keyRunes("r"))
	if got := m.studio.Chain().Format(); got != "/resize=width:300/img1" {
		t.Fatalf("chain %s", got)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.studio != nil {
		t.Fatal("esc did not close the studio")
	}
	m = press(t, m, keyRunes("x"))
	if !strings.Contains(m.View(), "Delete img1.png from Powers?") {
		t.Fatalf("x did not ask to delete on a target that deletes: %q\n%s", statusText(m), m.View())
	}
	m = press(t, m, keyRunes("y"))
	if got := statusText(m); !strings.Contains(got, "deleted 1 file from Powers") || len(pt.deleted) != 1 || pt.deleted[0] != "img1" {
		t.Fatalf("delete: %q, the target deleted %v", got, pt.deleted)
	}
}

// Store from URL goes through the root target, which stores with the
// configured storage (config.toml's [store], as uploads and `fsdeck
// store-url` do); the interface used to send none.
func TestStoreFromURLUsesTheConfiguredStorage(t *testing.T) {
	e := newTestEnv(t, emulator.Options{FetchPrivate: true})
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "fetched by the server\n")
	}))
	defer src.Close()
	d := e.deps(fixtureTree(t))
	d.Settings.Store.Path = "from-ui/"
	m := startModel(t, d)
	m = press(t, m, keyRunes("U"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(src.URL + "/note.txt"), Paste: true}, tea.KeyMsg{Type: tea.KeyEnter})
	es, err := e.ledger.List(context.Background(), e.scope)
	if err != nil || len(es) != 1 {
		t.Fatalf("ledger %+v (%v); status %q", es, err, statusText(m))
	}
	md, err := e.client.Metadata(context.Background(), es[0].Handle)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(md.Path, "from-ui/") {
		t.Fatalf("stored at %q, not under the configured path", md.Path)
	}
}
