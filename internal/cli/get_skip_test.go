package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// get --skip-existing skips a file already saved with the server's
// content (size and SHA-256), exit 0, like upload --skip-existing; a file
// of that name with other content is refused, saying how it differs, and
// --force with it replaces only that one.
func TestGetSkipExisting(t *testing.T) {
	c := newCLI(t)
	a := c.file("a.txt", []byte("the content of a"))
	b := c.file("b.txt", []byte("the content of b"))
	var hs []string
	for _, p := range []string{a, b} { // one at a time: results come as uploads end
		out, errOut, code := c.run("", "upload", "-q", p)
		if code != 0 || strings.TrimSpace(out) == "" {
			t.Fatalf("upload: exit %d, %q %q", code, out, errOut)
		}
		hs = append(hs, strings.TrimSpace(out))
	}
	dl := filepath.Join(c.dir, "dl") + "/"
	if out, errOut, code := c.run("", "get", "-q", "-o", dl, hs[0], hs[1]); code != 0 {
		t.Fatalf("get: exit %d, %q %q", code, out, errOut)
	}
	// b.txt changes locally, keeping its size.
	os.WriteFile(filepath.Join(dl, "b.txt"), []byte("THE CONTENT OF B"), 0o644)
	before, _ := os.Stat(filepath.Join(dl, "a.txt"))

	out, errOut, code := c.run("", "get", "--json", "--skip-existing", "-o", dl, hs[0], hs[1])
	rs := byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	ra, rb := rs[filepath.Join(dl, "a.txt")], rs[filepath.Join(dl, "b.txt")]
	if code != 1 || ra.Status != statusSkipped || ra.Handle != hs[0] || ra.Filename != "a.txt" || ra.Size != 16 {
		t.Errorf("get --skip-existing: exit %d, a.txt %+v; want skipped and exit 1 (b.txt differs)", code, ra)
	}
	if rb.Status != statusFailed || !strings.Contains(rb.Error, "exists with other content (its SHA-256 differs from the server's); not overwriting it without --force") ||
		!strings.Contains(errOut, "b.txt: exists with other content") {
		t.Errorf("get --skip-existing: b.txt %+v, stderr %q", rb, errOut)
	}
	if after, _ := os.Stat(filepath.Join(dl, "a.txt")); !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("a.txt was written again")
	}

	out, errOut, code = c.run("", "get", "--json", "--skip-existing", "--force", "-o", dl, hs[0], hs[1])
	rs = byPath(clitest.JSONLines[result](t, out, clitest.ResultFields...))
	if ra, rb := rs[filepath.Join(dl, "a.txt")], rs[filepath.Join(dl, "b.txt")]; code != 0 || ra.Status != statusSkipped || rb.Status != statusSaved {
		t.Errorf("get --skip-existing --force: exit %d, %q %q", code, out, errOut)
	}
	if got, _ := os.ReadFile(filepath.Join(dl, "b.txt")); string(got) != "the content of b" {
		t.Errorf("b.txt not replaced: %q", got)
	}
	// Another size is told without reading the file.
	os.WriteFile(filepath.Join(dl, "a.txt"), []byte("short"), 0o644)
	_, errOut, code = c.run("", "get", "-q", "--skip-existing", "-o", dl, hs[0])
	if code != 1 || !strings.Contains(errOut, "exists with another size (5 B; the server's is 16 B)") {
		t.Errorf("another size: exit %d, %q", code, errOut)
	}
	// All identical: exit 0, -q prints the paths.
	c.run("", "get", "-q", "--force", "-o", dl, hs[0])
	out, errOut, code = c.run("", "get", "-q", "--skip-existing", "-o", dl, hs[0], hs[1])
	if code != 0 || !slices.Equal(strings.Fields(out), []string{filepath.Join(dl, "a.txt"), filepath.Join(dl, "b.txt")}) || errOut != "" {
		t.Errorf("all identical: exit %d, %q %q", code, out, errOut)
	}
}
