package cli

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// get --json: filename is the server's name, also when -o renames the
// file or the disk cannot hold the name; saved_as is the local path.
func TestCLIGetJSONFilenameIsTheServers(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	h := c.uploadOne(c.file("report.txt", []byte("numbers")))
	out, errOut, code := c.run("", "get", "--json", "-o", "renamed.txt", h)
	rs := clitest.JSONLines[result](t, out, append(clitest.ResultFields, "saved_as")...)
	want := filepath.Join(c.dir, "renamed.txt")
	if code != 0 || len(rs) != 1 || rs[0].Filename != "report.txt" || rs[0].SavedAs != want || rs[0].Path != want || rs[0].Status != statusSaved {
		t.Fatalf("get -o renamed.txt --json: %d %q %q; want filename report.txt, saved_as %s", code, out, errOut, want)
	}
	if b, err := os.ReadFile(want); err != nil || string(b) != "numbers" {
		t.Errorf("saved: %q %v", b, err)
	}
	// A name no file may hold (a colon) is saved under a safe one.
	h2 := c.uploadOne(c.file("src/a:b.txt", []byte("colon")))
	out, errOut, code = c.run("", "get", "--json", "-o", "dl/", h2)
	rs = clitest.JSONLines[result](t, out, append(clitest.ResultFields, "saved_as")...)
	if code != 0 || len(rs) != 1 || rs[0].Filename != "a:b.txt" || rs[0].SavedAs != filepath.Join(c.dir, "dl", "a_b.txt") {
		t.Fatalf("get a:b.txt --json: %d %q %q", code, out, errOut)
	}
	// Other commands carry saved_as too, empty.
	out, _, _ = c.run("", "ls", "--json")
	for _, r := range clitest.JSONLines[result](t, out, append(clitest.ResultFields, "saved_as")...) {
		if r.SavedAs != "" {
			t.Errorf("ls: saved_as %q", r.SavedAs)
		}
	}
}

// A name that is not UTF-8 reaches the server as a UTF-8 copy (U+FFFD
// for the bad byte); the ledger keeps the file's exact bytes, which ls
// and stat give back in filename_bytes, also after stat has refreshed the
// row from the server.
func TestCLINonUTF8NameKeptInTheLedger(t *testing.T) {
	skipUnlessUTF8TempDir(t)
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	const name = "caf\xe9 \xff.txt"
	h := c.uploadOne(c.file(name, []byte("latin-1")))
	for _, args := range [][]string{{"ls", "--json"}, {"stat", "--json", h}, {"ls", "--json"}} {
		out, errOut, code := c.run("", args...)
		if code != 0 || strings.Count(out, "\n") != 1 {
			t.Fatalf("%v: %d %q %q", args, code, out, errOut)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%v: %v %q", args, err, out)
		}
		fb, _ := m["filename_bytes"].(string)
		raw, err := base64.StdEncoding.DecodeString(fb)
		if err != nil || string(raw) != name || m["filename"] != "caf\uFFFD \uFFFD.txt" {
			t.Errorf("%v: filename %q, filename_bytes %q (%q); want the exact bytes %q", args, m["filename"], fb, raw, name)
		}
	}
}
