package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/clitest"
)

// countingServer is a Filestack-compatible server (the emulator) that
// counts the requests it gets; c's runs reach it with its key through
// FSDECK_ENDPOINT.
type countingServer struct {
	n atomic.Int64
}

func newCountingServer(t *testing.T, c *cli) *countingServer {
	t.Helper()
	const key, secret = "CountingKey0000000000000", "CountingSecret0000000000000"
	emu, err := emulator.New(emulator.Options{DataDir: t.TempDir(), APIKeys: []string{key}, AppSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.n.Add(1)
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); emu.Close() })
	c.extraEnv = append(c.extraEnv, "FILESTACK_API_KEY="+key, "FILESTACK_APP_SECRET="+secret, "FSDECK_ENDPOINT="+srv.URL)
	return cs
}

// upload -r with --include/--exclude (rclone's globs, ** included),
// --min-size/--max-size and --dry-run: the dry run lists each file with
// what would happen and why, sends no request and exits 0; the real run
// then sends exactly the files the dry run said.
func TestUploadFiltersAndDryRun(t *testing.T) {
	c := newCLI(t)
	srv := newCountingServer(t, c)
	c.file("tree/a.jpg", []byte("a small jpg"))
	c.file("tree/sub/deep/b.jpg", []byte("b"))
	c.file("tree/c.png", bytes.Repeat([]byte("c"), 3000))
	c.file("tree/notes.txt", []byte("notes"))
	c.file("tree/tmp/d.jpg", []byte("d in tmp"))
	c.file("tree/tmp/e.png", []byte("e in tmp"))
	args := []string{"-r", "tree", "--include", "*.{jpg,png}", "--include", "/tmp/e.png", "--exclude", "tmp/**", "--max-size", "2KiB", "--min-size", "2"}

	out, errOut, code := c.run("", append([]string{"upload", "--json", "--dry-run"}, args...)...)
	type line struct {
		result
		Reason string `json:"reason"`
	}
	rs := clitest.JSONLines[line](t, out, append(clitest.ResultFields, "reason")...)
	got := map[string]string{}
	for _, r := range rs {
		rel, _ := filepath.Rel(filepath.Join(c.dir, "tree"), r.Path)
		got[rel] = r.Status + ": " + r.Reason
	}
	want := map[string]string{
		"a.jpg":          `would-store: matches --include "*.{jpg,png}"`,
		"sub/deep/b.jpg": `excluded: smaller than --min-size 2 B (1 B)`,
		"c.png":          `excluded: larger than --max-size 2.0 KiB (2.9 KiB)`,
		"notes.txt":      `excluded: matches no --include`,
		"tmp/d.jpg":      `would-store: matches --include "*.{jpg,png}"`, // includes come first, as in rclone
		"tmp/e.png":      `would-store: matches --include "*.{jpg,png}"`,
	}
	if code != 0 || errOut != "" || len(got) != len(want) {
		t.Fatalf("dry run: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("dry run: %s: %q, want %q", k, got[k], v)
		}
	}
	if n := srv.n.Load(); n != 0 {
		t.Errorf("the dry run sent %d requests, want none", n)
	}

	// The table says the same, with a REASON column; --quiet lists the
	// paths that would be sent.
	out, _, code = c.run("", append([]string{"upload", "--dry-run"}, args...)...)
	if code != 0 || !strings.Contains(out, "REASON") || !strings.Contains(out, "excluded") || !strings.Contains(out, "matches no --include") {
		t.Errorf("dry run table: exit %d, %q", code, out)
	}
	out, _, code = c.run("", append([]string{"upload", "--dry-run", "-q"}, args...)...)
	if lines := strings.Fields(out); code != 0 || len(lines) != 3 {
		t.Errorf("dry run -q: exit %d, %q", code, out)
	}
	if n := srv.n.Load(); n != 0 {
		t.Errorf("the dry runs sent %d requests, want none", n)
	}

	// Without --exclude's order trick: tmp/** leaves d.jpg out when no
	// include names it; the real run sends what the dry run listed.
	out, errOut, code = c.run("", "upload", "--json", "-r", "tree", "--exclude", "tmp/", "--exclude", "*.txt", "--max-size", "2KiB")
	var sent []string
	for _, r := range clitest.JSONLines[result](t, out, clitest.ResultFields...) {
		rel, _ := filepath.Rel(filepath.Join(c.dir, "tree"), r.Path)
		if r.Status == statusStored {
			sent = append(sent, rel)
		}
	}
	slices.Sort(sent)
	if want := []string{"a.jpg", "sub/deep/b.jpg"}; code != 0 || !slices.Equal(sent, want) {
		t.Errorf("upload with filters: exit %d, sent %q, want %q (stderr %q)", code, sent, want, errOut)
	}
	if srv.n.Load() == 0 {
		t.Errorf("the real run sent nothing")
	}

	for _, bad := range [][]string{{"--include", "[a-"}, {"--exclude", "***"}, {"--max-size", "lots"}, {"--min-size", "2KiB", "--max-size", "1KiB"}} {
		before := srv.n.Load()
		_, errOut, code := c.run("", append([]string{"upload", "-r", "tree"}, bad...)...)
		if code != exitUsage || srv.n.Load() != before {
			t.Errorf("upload %q: exit %d, %q; want 2 before any request", bad, code, errOut)
		}
	}
}
