//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// upload -r over a tree holding a link to a directory, a dangling link, a
// link to a file, a FIFO and a link that loops: each is skipped with one
// notice on stderr (a dangling link says so, not "no longer exists"), the
// regular files go, exit 0 (it failed the whole run, exit 1). --links
// follows the links (rclone's -L): the linked directory's files and the
// linked file go too, the loop is not walked again, the dangling link and
// the FIFO are still skipped.
func TestUploadTreeSkipsWhatIsNotARegularFile(t *testing.T) {
	c := newCLI(t)
	c.file("tree/a.txt", []byte("a"))
	c.file("elsewhere/b.txt", []byte("b"))
	tree := filepath.Join(c.dir, "tree")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("../elsewhere", filepath.Join(tree, "dirlink")))
	must(os.Symlink("nowhere.txt", filepath.Join(tree, "dangling")))
	must(os.Symlink("a.txt", filepath.Join(tree, "filelink")))
	must(os.Symlink(".", filepath.Join(tree, "loop\x1b[31m")))
	must(syscall.Mkfifo(filepath.Join(tree, "fifo"), 0o600))

	out, errOut, code := c.run("", "upload", "--json", "-r", "tree")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Path != filepath.Join(tree, "a.txt") || rs[0].Status != statusStored {
		t.Fatalf("upload -r: exit %d, stdout %q, stderr %q; want a.txt stored alone, exit 0", code, out, errOut)
	}
	notices := strings.Split(strings.TrimSpace(errOut), "\n")
	for _, want := range []string{
		"tree/dangling: skipped, a dangling symbolic link (→ nowhere.txt), whose target does not exist",
		"tree/dirlink: skipped, a symbolic link (→ ../elsewhere) to a directory (--links follows links)",
		"tree/fifo: skipped, a named pipe (FIFO), not a regular file",
		"tree/filelink: skipped, a symbolic link (→ a.txt) (--links follows links)",
		"tree/loop␛[31m: skipped, a symbolic link (→ .) to a directory (--links follows links)",
	} {
		if n := countContaining(notices, want); n != 1 {
			t.Errorf("stderr has %q %d times, want once: %q", want, n, errOut)
		}
	}
	if len(notices) != 5 || strings.Contains(errOut, "\x1b") || strings.Contains(errOut, "no longer exists") {
		t.Errorf("stderr: want the 5 notices, sanitised: %q", errOut)
	}

	out, errOut, code = c.run("", "upload", "--json", "-r", "--links", "tree")
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	var got []string
	for _, r := range rs {
		rel, _ := filepath.Rel(tree, r.Path)
		got = append(got, rel)
	}
	slices.Sort(got)
	if want := []string{"a.txt", "dirlink/b.txt", "filelink"}; code != 0 || !slices.Equal(got, want) {
		t.Errorf("upload -r --links: exit %d, uploaded %q, want %q (stderr %q)", code, got, want, errOut)
	}
	for _, want := range []string{"dangling: skipped, a dangling symbolic link", "fifo: skipped, a named pipe",
		"tree/loop␛[31m: skipped, a symbolic link (→ .) to a directory it is in (a loop), not followed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("upload -r --links: stderr lacks %q: %q", want, errOut)
		}
	}
}

func countContaining(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}
