package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// Upload prints one JSON line per file with every field, stores what it
// can, names each failure on stderr and exits 1; piped stderr carries no
// progress.
func TestCLIUploadJSONAndFailures(t *testing.T) {
	c := newCLI(t)
	a := c.file("a.txt", []byte("hello"))
	b := c.file("dir/sub/b c.txt", []byte("bee"))
	os.MkdirAll(filepath.Join(c.dir, "plain"), 0o755)
	out, errOut, code := c.run("", "upload", "--json", "a.txt", "missing.txt", "plain", os.DevNull)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
	}
	rs := byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	r := rs[a]
	if r.Status != statusStored || len(r.Handle) != 20 || r.Filename != "a.txt" || r.Size != 5 || r.Type != "text/plain" ||
		!strings.HasSuffix(r.URL, "/"+r.Handle) || r.Error != "" {
		t.Errorf("a.txt: %+v", r)
	}
	miss := rs[filepath.Join(c.dir, "missing.txt")]
	if miss.Status != statusFailed || miss.Error != "no such file or directory" {
		t.Errorf("missing: %+v", miss)
	}
	if d := rs[filepath.Join(c.dir, "plain")]; d.Status != statusFailed || !strings.Contains(d.Error, "use -r") {
		t.Errorf("directory without -r: %+v", d)
	}
	if d := rs[os.DevNull]; d.Status != statusFailed || d.Error != "not a regular file" {
		t.Errorf("device: %+v", d)
	}
	for _, want := range []string{"missing.txt: no such file or directory", "plain: is a directory (use -r"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %q", want, errOut)
		}
	}
	if strings.Contains(errOut, "Transferred") || strings.Contains(errOut, "\x1b[") {
		t.Errorf("progress drawn on a pipe: %q", errOut)
	}
	out, errOut, code = c.run("", "upload", "-r", "--json", "--store-path", "up/", "dir")
	rs = byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	if code != 0 || errOut != "" || rs[b].Status != statusStored || rs[b].Filename != "b c.txt" {
		t.Fatalf("-r: %d %q %+v", code, errOut, rs)
	}
}

// Paths from stdin: newline-separated, or NUL-separated with -0 for names
// holding newlines; escape sequences in names never reach the table.
func TestCLIUploadStdinOddNames(t *testing.T) {
	c := newCLI(t)
	space := c.file("with space.txt", []byte("1"))
	esc := c.file("\x1b[31mred.txt", []byte("22"))
	nl := c.file("new\nline.txt", []byte("333"))
	out, errOut, code := c.run(space+"\n"+esc+"\n", "upload", "-", "--json")
	rs := byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	if code != 0 || len(rs) != 2 || rs[space].Status != statusStored || rs[esc].Status != statusStored {
		t.Fatalf("newline list: %d %q %q", code, out, errOut)
	}
	out, errOut, code = c.run(nl+"\x00"+space+"\x00", "upload", "-", "-0", "--quiet")
	lines := strings.Fields(out)
	if code != 0 || len(lines) != 2 || len(lines[0]) != 20 || len(lines[1]) != 20 {
		t.Fatalf("-0 --quiet: %d %q %q", code, out, errOut)
	}
	out, _, code = c.run(esc+"\n", "upload", "-")
	if code != 0 || strings.Contains(out, "\x1b") || !strings.Contains(out, "␛[31mred.txt") || !strings.HasPrefix(out, "STATUS") {
		t.Fatalf("table: %d %q", code, out)
	}
}

// --skip-existing finds the same content in the ledger by SHA-256.
func TestCLIUploadSkipExisting(t *testing.T) {
	c := newCLI(t)
	c.file("one.txt", []byte("same"))
	c.file("two.txt", []byte("same"))
	out, _, code := c.run("", "upload", "-q", "one.txt")
	first := strings.TrimSpace(out)
	if code != 0 || len(first) != 20 {
		t.Fatalf("%d %q", code, out)
	}
	out, _, code = c.run("", "upload", "--json", "--skip-existing", "two.txt")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusSkipped || rs[0].Handle != first {
		t.Fatalf("%d %+v", code, rs)
	}
}
