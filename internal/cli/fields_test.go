package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// upload, ls, stat and get --json carry the upload time (RFC 3339, UTC)
// and the SHA-256 of the content; ls's table shows both (the time to the
// minute, the hash's first 12 digits).
func TestJSONUploadedAndSHA256(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	data := []byte("the content whose hash is known")
	c.file("a.txt", data)
	before := time.Now().Add(-2 * time.Second)
	want := sha256Hex(data)
	out, errOut, code := c.run("", "upload", "--json", "a.txt")
	rs := clitest.JSONLines[result](t, out, append(clitest.ResultFields, "uploaded", "sha256")...)
	if code != 0 || len(rs) != 1 {
		t.Fatalf("upload: exit %d %q %q", code, out, errOut)
	}
	h := rs[0].Handle
	check := func(what string, r result) {
		t.Helper()
		at, err := time.Parse(time.RFC3339, r.Uploaded)
		if err != nil || !strings.HasSuffix(r.Uploaded, "Z") || at.Before(before.Truncate(time.Second)) || at.After(time.Now().Add(2*time.Second)) {
			t.Errorf("%s: uploaded %q, want RFC 3339 UTC of now (%v)", what, r.Uploaded, err)
		}
		if r.SHA256 != want {
			t.Errorf("%s: sha256 %q, want %q", what, r.SHA256, want)
		}
	}
	check("upload --json", rs[0])
	for _, args := range [][]string{{"ls", "--json"}, {"stat", "--json", h}, {"url", "--json", h}, {"get", "--json", "-o", "dl/", h}, {"upload", "--json", "--skip-existing", "a.txt"}} {
		out, errOut, code := c.run("", args...)
		rs := clitest.JSONLines[result](t, out, "uploaded", "sha256")
		if code != 0 || len(rs) != 1 {
			t.Errorf("%v: exit %d %q %q", args, code, out, errOut)
			continue
		}
		check(strings.Join(args, " "), rs[0])
	}
	out, _, code = c.run("", "ls")
	if code != 0 || !strings.Contains(out, "UPLOADED") || !strings.Contains(out, "SHA-256") || !strings.Contains(out, want[:12]+"  ") ||
		!strings.Contains(out, time.Now().Format("2006-01-02 ")) {
		t.Errorf("ls table: exit %d\n%s", code, out)
	}
}

// --fields a,b limits each --json line to those keys, in that order
// (--fields implies --json); an unknown field is a usage error listing
// the valid ones, as is --fields with --quiet.
func TestJSONFieldsFlag(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	c.file("a.txt", []byte("fields"))
	out, errOut, code := c.run("", "upload", "--fields", "sha256,handle", "a.txt")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 1 || !strings.HasPrefix(lines[0], `{"sha256":"`+sha256Hex([]byte("fields"))+`","handle":"`) {
		t.Fatalf("upload --fields sha256,handle: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &m); err != nil || len(m) != 2 {
		t.Errorf("upload --fields sha256,handle: %q is not an object of 2 keys", lines[0])
	}
	out, errOut, code = c.run("", "ls", "--json", "--fields", "filename,size")
	if code != 0 || strings.TrimSpace(out) != `{"filename":"a.txt","size":6}` {
		t.Errorf("ls --json --fields filename,size: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, errOut, code = c.run("", "ls", "--fields", "handle,bogus")
	if code != 2 || out != "" || !strings.Contains(errOut, `unknown field "bogus"`) ||
		!strings.Contains(errOut, "handle, url, filename, size, type, path, status, error, target, saved_as, uploaded, sha256, reason, path_bytes, filename_bytes, saved_as_bytes") {
		t.Errorf("ls --fields handle,bogus: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	h, _ := m["handle"].(string)
	out, errOut, code = c.run("", "url", "--fields", "handle,sha256", h)
	if code != 0 || strings.TrimSpace(out) != `{"handle":"`+h+`","sha256":"`+sha256Hex([]byte("fields"))+`"}` {
		t.Errorf("url --fields handle,sha256: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code = c.run("", "ls", "--fields", "handle", "--quiet"); code != 2 || !strings.Contains(errOut, "--fields") {
		t.Errorf("ls --fields handle --quiet: exit %d, stderr %q", code, errOut)
	}
}

// --ordered prints results in input order whatever order they finish
// in: a large file given first (multipart, finishing last with files
// sent side by side), a path that does not exist in the middle, files
// skipped as already uploaded; and get's downloads in the order of the
// handles.
func TestJSONOrdered(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 6<<20/16)
	var args []string
	var want []string
	add := func(name string, data []byte) {
		if data != nil {
			c.file(name, data)
		}
		args = append(args, name)
		want = append(want, filepath.Join(c.dir, name))
	}
	add("big.bin", big)
	for _, n := range []string{"s1.txt", "s2.txt", "missing.txt", "s3.txt", "s4.txt"} {
		var data []byte
		if n != "missing.txt" {
			data = []byte("small " + n)
		}
		add(n, data)
	}
	// s2 was uploaded already: skipped at once, before everything else.
	if _, errOut, code := c.run("", "upload", "-q", "s2.txt"); code != 0 {
		t.Fatal(errOut)
	}
	out, errOut, code := c.run("", append([]string{"upload", "--json", "--ordered", "--skip-existing", "--concurrency", "4"}, args...)...)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	var got []string
	var handles []string
	for _, r := range rs {
		got = append(got, r.Path)
		if r.Handle != "" {
			handles = append(handles, r.Handle)
		}
	}
	if code != 1 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("upload --ordered: exit %d, order\n%s\nwant\n%s\nstderr %q", code, strings.Join(got, "\n"), strings.Join(want, "\n"), errOut)
	}
	// Downloads in the order of the arguments (the big one first again).
	out, errOut, code = c.run("", append([]string{"get", "--json", "--ordered", "-o", "dl/"}, handles...)...)
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	got = got[:0]
	for _, r := range rs {
		got = append(got, r.Handle)
	}
	if code != 0 || strings.Join(got, " ") != strings.Join(handles, " ") {
		t.Errorf("get --ordered: exit %d, handles %v, want %v; stderr %q", code, got, handles, errOut)
	}
}
