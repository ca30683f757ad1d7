package cli

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// url --json and get --json fill size and type (and url the store path)
// from what the ledger and server know, as the README's field table says,
// instead of 0 and "".
func TestJSONFieldsFilledFromTheLedger(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	data := strings.Repeat("\x00\x01binary", 500)
	out, errs, code := c.run("", "upload", "--json", "--store-path", "docs/", c.file("blob.bin", []byte(data)))
	up := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(up) != 1 || up[0].Type == "" {
		t.Fatalf("upload: %d %q %s", code, out, errs)
	}
	h := up[0].Handle
	out, errs, code = c.run("", "url", h, "--json")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 {
		t.Fatalf("url: %d %q %s", code, out, errs)
	}
	if r := rs[0]; r.Size != int64(len(data)) || r.Type != up[0].Type || r.Filename != "blob.bin" || !strings.HasPrefix(r.Path, "docs/") {
		t.Errorf("url --json: %+v, want size %d type %q from the ledger", r, len(data), up[0].Type)
	}
	out, errs, code = c.run("", "get", h, "-o", "dl/", "--json")
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 {
		t.Fatalf("get: %d %q %s", code, out, errs)
	}
	if r := rs[0]; r.Size != int64(len(data)) || r.Type != up[0].Type {
		t.Errorf("get --json: %+v, want size %d type %q", r, len(data), up[0].Type)
	}
	for _, cmd := range [][]string{{"stat", h, "--json"}, {"import", h, "--json"}, {"rm", "--yes", h, "--json"}} {
		out, errs, code = c.run("", cmd...)
		rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
		if code != 0 || len(rs) != 1 || rs[0].Size != int64(len(data)) || rs[0].Type != up[0].Type || rs[0].URL == "" {
			t.Errorf("%v: %d %q %s", cmd, code, out, errs)
		}
	}
}

// A file name that is not UTF-8 keeps its lossy path in --json (JSON
// strings are UTF-8), and path_bytes carries the exact bytes so a script
// can find the file again; valid names have no path_bytes.
func TestCLIJSONNonUTF8Path(t *testing.T) {
	skipUnlessUTF8TempDir(t)
	c := newCLI(t)
	odd := c.file("caf\xe9-\xff.txt", []byte("latin-1 name"))
	plain := c.file("plain.txt", []byte("plain"))
	out, errOut, code := c.run("", "upload", "--json", odd, plain)
	if code != 0 {
		t.Fatalf("exit %d: %q", code, errOut)
	}
	var seen int
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		path, _ := m["path"].(string)
		pb, has := m["path_bytes"].(string)
		switch {
		case strings.HasSuffix(path, "plain.txt"):
			seen++
			if _, ok := m["path_bytes"]; ok {
				t.Errorf("a UTF-8 path has path_bytes: %s", line)
			}
		case strings.Contains(path, "caf\uFFFD-\uFFFD.txt"):
			seen++
			raw, err := base64.StdEncoding.DecodeString(pb)
			if !has || err != nil || string(raw) != odd {
				t.Errorf("path_bytes %q (%v) does not give back %q: %s", pb, err, odd, line)
			}
		default:
			t.Errorf("unexpected line %s", line)
		}
	}
	if seen != 2 {
		t.Fatalf("results: %q", out)
	}
}
