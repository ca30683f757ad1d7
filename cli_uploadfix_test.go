package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// A file name that is not UTF-8 keeps its lossy path in --json (JSON
// strings are UTF-8), and path_bytes carries the exact bytes so a script
// can find the file again; valid names have no path_bytes.
func TestCLIJSONNonUTF8Path(t *testing.T) {
	if !utf8.ValidString(filepath.Join(os.TempDir(), "x")) {
		t.Skip("temp dir is not UTF-8")
	}
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
