package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// get -o - writes the content to stdout, as transform -o - and curl -o -
// do, and saves no file named "-"; ./- still names that file.
func TestGetOutputDashIsStdout(t *testing.T) {
	c := newCLI(t)
	c.file("a.txt", []byte("the content"))
	out, _, code := c.run("", "upload", "-q", "a.txt")
	h := strings.TrimSpace(out)
	if code != 0 {
		t.Fatalf("upload: %d %q", code, out)
	}
	out, errOut, code := c.run("", "get", h, "-o", "-")
	if code != 0 || out != "the content" || errOut != "" {
		t.Errorf("get -o -: %d %q %q", code, out, errOut)
	}
	if _, err := os.Lstat(filepath.Join(c.dir, "-")); err == nil {
		t.Error("get -o - saved a file named -")
	}
	_, errOut, code = c.run("", "get", h, h, "-o", "-")
	if code != 2 || !strings.Contains(errOut, "-o - (standard output) takes exactly one HANDLE") {
		t.Errorf("get H H -o -: %d %q", code, errOut)
	}
	out, _, code = c.run("", "get", h, "-o", "./-", "-q")
	if b, err := os.ReadFile(filepath.Join(c.dir, "-")); code != 0 || err != nil || string(b) != "the content" {
		t.Errorf("get -o ./-: %d %q %v", code, out, err)
	}
}
