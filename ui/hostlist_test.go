package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// pagedHost is a Lister with n uploads that records the pages asked for.
type pagedHost struct {
	n     int
	mu    sync.Mutex
	pages []int
}

func (h *pagedHost) Name() string { return "paged" }
func (h *pagedHost) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{List: true}
}
func (h *pagedHost) Upload(context.Context, hosts.File, hosts.UploadOptions, hosts.Progress) (hosts.Result, error) {
	return hosts.Result{}, fmt.Errorf("not in this test")
}
func (h *pagedHost) List(_ context.Context, page, per int) ([]hosts.Result, int, error) {
	h.mu.Lock()
	h.pages = append(h.pages, page)
	h.mu.Unlock()
	var out []hosts.Result
	for i := (page - 1) * per; i < min(page*per, h.n); i++ {
		out = append(out, hosts.Result{ID: fmt.Sprintf("id%03d", i), Name: fmt.Sprintf("f%03d.png", i), URL: fmt.Sprintf("http://x/%d", i)})
	}
	return out, h.n, nil
}

// A list of several pages is read to the server's total; an upload the
// ledger has is shown once, the rest are marked as only on the server.
func TestServerListMergesPagesWithoutDuplicates(t *testing.T) {
	he := newHostsEnv(t)
	ph := &pagedHost{n: 250}
	scope := store.Scope{Target: "paged", Endpoint: "http://paged", KeyFP: "k"}
	he.targets = append(he.targets, uikit.TargetConn{Name: "paged", Title: "Paged", Host: ph, Scope: scope, Endpoint: "http://paged", Caps: ph.Capabilities()})
	he.ledger.Add(context.Background(), scope, store.Entry{Handle: "id003", Filename: "mine.png", Added: fixedNow})
	he.ledger.Add(context.Background(), scope, store.Entry{Handle: "other", Filename: "by-url.png", URL: "http://x/7", Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "paged")
	if fmt.Sprint(ph.pages) != "[1 2 3]" {
		t.Fatalf("pages asked %v", ph.pages)
	}
	if got := len(m.remote.Entries()); got != 250 {
		t.Fatalf("%d entries, want 250 (248 from the server, 2 from the ledger)", got)
	}
	seen := map[string]bool{}
	for _, e := range m.remote.Entries() {
		if seen[e.Handle] {
			t.Fatalf("%s listed twice", e.Handle)
		}
		seen[e.Handle] = true
	}
	if m.remote.ServerOnly("id003") || m.remote.ServerOnly("other") || !m.remote.ServerOnly("id004") || seen["id007"] {
		t.Fatalf("server-only marks wrong")
	}
	if v := m.View(); !strings.Contains(v, "250 files · 248 only on the server") || !strings.Contains(v, "(server only)") {
		t.Fatalf("view:\n%s", v)
	}
}

// Against the Gyazo emulator: an image uploaded elsewhere shows beside the
// ledger's one, marked; r lists again.
func TestGyazoListMergedIntoPane(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	gy := he.target(t, "gyazo")
	var ids []string
	for i := 0; i < 2; i++ {
		r, err := gy.Host.Upload(ctx, hosts.File{Name: fmt.Sprintf("g%d.png", i), Size: -1, Body: strings.NewReader(string(pngBytes(t)))}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	he.ledger.Add(ctx, gy.Scope, store.Entry{Handle: ids[0], Filename: "mine.png", Added: fixedNow})
	m := startModel(t, he.deps(t.TempDir()))
	m = switchTo(t, m, he, "gyazo")
	if n := len(m.remote.Entries()); n != 2 || !m.remote.ServerOnly(ids[1]) || m.remote.ServerOnly(ids[0]) {
		t.Fatalf("%d entries, server only: %v %v", n, m.remote.ServerOnly(ids[0]), m.remote.ServerOnly(ids[1]))
	}
	r, err := gy.Host.Upload(ctx, hosts.File{Name: "g2.png", Size: -1, Body: strings.NewReader(string(pngBytes(t)))}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("r"))
	if !m.remote.ServerOnly(r.ID) || len(m.remote.Entries()) != 3 {
		t.Fatalf("r did not list again: %d entries", len(m.remote.Entries()))
	}
	// Deleting an upload only the server listed takes it off the pane.
	m = press(t, m, keyRunes("g"))
	for _, e := range m.remote.Entries() {
		if e.Handle == r.ID {
			break
		}
		m = press(t, m, keyRunes("j"))
	}
	m = press(t, m, keyRunes("x"), keyRunes("y"))
	if n := len(m.remote.Entries()); n != 2 || m.remote.ServerOnly(r.ID) || !strings.Contains(statusText(m), "deleted 1 file from Gyazo") {
		t.Fatalf("after deleting %s: %d entries, %q", r.ID, n, statusText(m))
	}
}
