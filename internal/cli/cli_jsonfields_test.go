package cli

import (
	"strings"
	"testing"
)

// url --json and get --json fill size and type (and url the store path)
// from what the ledger and server know, as the README's field table says,
// instead of 0 and "".
func TestJSONFieldsFilledFromTheLedger(t *testing.T) {
	c := newCLI(t)
	c.addr = freeAddr(t)
	data := strings.Repeat("\x00\x01binary", 500)
	out, errs, code := c.run("", "upload", "--json", "--store-path", "docs/", c.file("blob.bin", []byte(data)))
	up := jsonLines(t, out)
	if code != 0 || len(up) != 1 || up[0].Type == "" {
		t.Fatalf("upload: %d %q %s", code, out, errs)
	}
	h := up[0].Handle
	out, errs, code = c.run("", "url", h, "--json")
	rs := jsonLines(t, out)
	if code != 0 || len(rs) != 1 {
		t.Fatalf("url: %d %q %s", code, out, errs)
	}
	if r := rs[0]; r.Size != int64(len(data)) || r.Type != up[0].Type || r.Filename != "blob.bin" || !strings.HasPrefix(r.Path, "docs/") {
		t.Errorf("url --json: %+v, want size %d type %q from the ledger", r, len(data), up[0].Type)
	}
	out, errs, code = c.run("", "get", h, "-o", "dl/", "--json")
	rs = jsonLines(t, out)
	if code != 0 || len(rs) != 1 {
		t.Fatalf("get: %d %q %s", code, out, errs)
	}
	if r := rs[0]; r.Size != int64(len(data)) || r.Type != up[0].Type {
		t.Errorf("get --json: %+v, want size %d type %q", r, len(data), up[0].Type)
	}
	for _, cmd := range [][]string{{"stat", h, "--json"}, {"import", h, "--json"}, {"rm", "--yes", h, "--json"}} {
		out, errs, code = c.run("", cmd...)
		rs = jsonLines(t, out)
		if code != 0 || len(rs) != 1 || rs[0].Size != int64(len(data)) || rs[0].Type != up[0].Type || rs[0].URL == "" {
			t.Errorf("%v: %d %q %s", cmd, code, out, errs)
		}
	}
}
