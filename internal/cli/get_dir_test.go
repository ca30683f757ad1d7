package cli

import (
	"strings"
	"testing"
)

// get into a directory that does not exist says so (it said "no longer
// exists", as if it had vanished), for every target, before anything is
// fetched; a directory -o ends with a separator is created.
func TestGetIntoMissingDirectory(t *testing.T) {
	c := newCLI(t)
	c.file("a.txt", []byte("the content"))
	out, _, code := c.run("", "upload", "-q", "a.txt")
	h := strings.TrimSpace(out)
	if code != 0 {
		t.Fatalf("upload: %d %q", code, out)
	}
	for _, extra := range [][]string{nil, {"--to", "imgbb"}} {
		args := append([]string{"get", h, "-o", "nodir/x.txt"}, extra...)
		out, errOut, code := c.run("", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "nodir does not exist (create it, or end -o with / to have get create it)") ||
			strings.Contains(errOut, "no longer exists") {
			t.Errorf("%v: %d %q %q", args, code, out, errOut)
		}
	}
	c.file("plain", nil)
	if _, errOut, code := c.run("", "get", h, "-o", "plain/x.txt"); code != 2 || !strings.Contains(errOut, "plain is not a directory") {
		t.Errorf("get -o plain/x.txt: %d %q", code, errOut)
	}
	if out, errOut, code := c.run("", "get", h, "-o", "new/dir/", "-q"); code != 0 || !strings.HasSuffix(out, "new/dir/a.txt\n") {
		t.Errorf("get -o new/dir/: %d %q %q", code, out, errOut)
	}
}
