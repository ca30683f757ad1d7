package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --cwd-file is checked before the interface starts: a file in a
// directory that does not exist, or a directory, is a usage error (2)
// naming it, and nothing is written.
func TestCwdFileChecked(t *testing.T) {
	c := newCLI(t)
	os.Mkdir(filepath.Join(c.dir, "adir"), 0o700)
	for _, tc := range []struct{ arg, want string }{
		{filepath.Join(c.dir, "no", "such", "f"), "the directory " + filepath.Join(c.dir, "no", "such") + " does not exist"},
		{"adir", "--cwd-file adir is a directory"},
	} {
		_, errOut, code := c.run("", "--cwd-file", tc.arg)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("--cwd-file %s: status %d, stderr %q; want 2 and %q", tc.arg, code, errOut, tc.want)
		}
	}
	// A good path gets as far as the terminal check.
	_, errOut, code := c.run("", "--cwd-file", "last-dir")
	if code != 1 || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("good path: status %d, %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(c.dir, "last-dir")); err == nil {
		t.Fatal("written without a session")
	}
}
