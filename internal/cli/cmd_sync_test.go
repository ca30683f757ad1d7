package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// syncLine is a --json result of sync, with its reason.
type syncLine struct {
	result
	Reason string `json:"reason"`
}

// fsdeck sync DIR uploads what is new or changed (SHA-256) since the last
// sync; an unchanged tree, a touched file included, sends no request at
// all; --dry-run says what would happen, sending nothing; --delete
// removes what vanished and the replaced versions, only with --yes
// without a terminal, and never a file the sync did not upload.
func TestSync(t *testing.T) {
	c := newCLI(t)
	srv := newCountingServer(t, c)
	c.file("tree/a.txt", []byte("a"))
	c.file("tree/sub/b.txt", []byte("b, first version"))
	c.file("tree/c.txt", []byte("c"))
	other := c.file("other.txt", []byte("not synced"))
	out, _, code := c.run("", "upload", "-q", other)
	otherH := strings.TrimSpace(out)
	if code != 0 || otherH == "" {
		t.Fatalf("upload: exit %d", code)
	}
	rel := func(p string) string { r, _ := filepath.Rel(filepath.Join(c.dir, "tree"), p); return r }
	sync := func(args ...string) (map[string]syncLine, string, int) {
		t.Helper()
		out, errOut, code := c.run("", append([]string{"sync", "--json"}, args...)...)
		m := map[string]syncLine{}
		for _, r := range clitest.JSONLines[syncLine](t, out, append(clitest.ResultFields, "target")...) {
			m[r.Status+" "+rel(r.Path)] = r
		}
		return m, errOut, code
	}

	got, errOut, code := sync("tree")
	if code != 0 || len(got) != 3 || got["stored a.txt"].Reason != "new since the last sync" || got["stored sub/b.txt"].Handle == "" {
		t.Fatalf("first sync: exit %d, %v, %q", code, got, errOut)
	}
	oldB, oldC := got["stored sub/b.txt"].Handle, got["stored c.txt"].Handle

	// Unchanged, and touched: no request, the summary says so.
	before := srv.n.Load()
	out, errOut, code = c.run("", "sync", "tree")
	if code != 0 || strings.TrimSpace(out) != "sync: 0 sent (0 new, 0 changed), 3 unchanged, 0 deleted" || errOut != "" {
		t.Errorf("unchanged sync: exit %d, %q %q", code, out, errOut)
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(c.dir, "tree", "a.txt"), later, later)
	if out, _, code = c.run("", "sync", "tree"); code != 0 || !strings.Contains(out, "0 sent (0 new, 0 changed), 3 unchanged") {
		t.Errorf("touched sync: exit %d, %q", code, out)
	}
	if n := srv.n.Load() - before; n != 0 {
		t.Errorf("syncs of an unchanged tree sent %d requests, want none", n)
	}

	// b changes, d is new, c vanishes.
	c.file("tree/sub/b.txt", []byte("b, second version"))
	c.file("tree/d.txt", []byte("d"))
	os.Remove(filepath.Join(c.dir, "tree", "c.txt"))
	got, errOut, code = sync("tree", "--delete", "--dry-run")
	for k, want := range map[string]string{
		"skipped a.txt":          "unchanged since the last sync (same size and modification time)",
		"would-store sub/b.txt":  "changed since the last sync (SHA-256)",
		"would-store d.txt":      "new since the last sync",
		"would-delete c.txt":     "gone from the directory since the last sync",
		"would-delete sub/b.txt": "the version this sync replaces",
	} {
		if got[k].Reason != want {
			t.Errorf("dry run: %s: %q, want %q", k, got[k].Reason, want)
		}
	}
	if code != 0 || len(got) != 5 || got["would-delete c.txt"].Handle != oldC || got["would-delete sub/b.txt"].Handle != oldB {
		t.Errorf("dry run: exit %d, %v, %q", code, got, errOut)
	}
	if _, errOut, code = c.run("", "sync", "--delete", "tree"); code != exitUsage || !strings.Contains(errOut, "would delete 2 files") || !strings.Contains(errOut, "--yes") {
		t.Errorf("--delete without --yes: exit %d, %q", code, errOut)
	}
	if n := srv.n.Load() - before; n != 0 {
		t.Errorf("the dry run and the refused --delete sent %d requests, want none", n)
	}

	got, errOut, code = sync("tree", "--delete", "--yes")
	deleted := map[string]bool{}
	for k, r := range got {
		if r.Status == statusDeleted {
			deleted[r.Handle] = true
			if k != "deleted c.txt" && k != "deleted sub/b.txt" {
				t.Errorf("deleted %s: named by its local path, want tree/c.txt or tree/sub/b.txt", k)
			}
		}
	}
	if code != 0 || len(got) != 4 || !deleted[oldB] || !deleted[oldC] || len(deleted) != 2 || got["stored sub/b.txt"].Handle == "" || got["stored d.txt"].Handle == "" {
		t.Errorf("sync --delete --yes: exit %d, %v, %q", code, got, errOut)
	}
	for h, want := range map[string]int{oldC: 1, oldB: 1, otherH: 0, got["stored sub/b.txt"].Handle: 0} {
		if _, _, code := c.run("", "get", "--stdout", h); code != want {
			t.Errorf("get %s after sync --delete: exit %d, want %d", h, code, want)
		}
	}
	before = srv.n.Load()
	if out, _, code = c.run("", "sync", "--delete", "tree"); code != 0 || strings.TrimSpace(out) != "sync: 0 sent (0 new, 0 changed), 3 unchanged, 0 deleted" {
		t.Errorf("sync after --delete: exit %d, %q", code, out)
	}
	if n := srv.n.Load() - before; n != 0 {
		t.Errorf("the last sync sent %d requests, want none", n)
	}
}

// sync --delete of an upload someone deleted elsewhere meanwhile drops it
// from the ledger and the state (status forgotten, exit 0) rather than
// failing at every sync.
func TestSyncDeleteOfAFileGoneElsewhere(t *testing.T) {
	c := newCLI(t)
	newCountingServer(t, c)
	c.file("tree/a.txt", []byte("a"))
	c.file("tree/b.txt", []byte("b"))
	out, errOut, code := c.run("", "sync", "--json", "tree")
	var hb string
	for _, r := range clitest.JSONLines[result](t, out, clitest.ResultFields...) {
		if filepath.Base(r.Path) == "b.txt" {
			hb = r.Handle
		}
	}
	if code != 0 || hb == "" {
		t.Fatalf("sync: exit %d, %q %q", code, out, errOut)
	}
	if _, errOut, code := c.run("", "rm", "--yes", hb); code != 0 {
		t.Fatalf("rm: exit %d, %q", code, errOut)
	}
	os.Remove(filepath.Join(c.dir, "tree", "b.txt"))
	out, errOut, code = c.run("", "sync", "--json", "--delete", "--yes", "tree")
	rs := clitest.JSONLines[syncLine](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusForgot || rs[0].Handle != hb ||
		!strings.Contains(rs[0].Reason, "the server no longer had it, so it is dropped from the ledger and the sync state") {
		t.Errorf("sync --delete: exit %d, %q %q", code, out, errOut)
	}
	if out, _, code = c.run("", "sync", "--delete", "--yes", "tree"); code != 0 || strings.TrimSpace(out) != "sync: 0 sent (0 new, 0 changed), 1 unchanged, 0 deleted" {
		t.Errorf("next sync --delete: exit %d, %q", code, out)
	}
}
