package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A sync state round-trips, is kept owner-only, is per directory and
// target, and a damaged or foreign one is an error naming the file, never
// an empty state (which would upload everything again and lose what
// --delete may remove).
func TestSyncState(t *testing.T) {
	p := Paths{Data: t.TempDir()}
	scope := Scope{Target: "", Endpoint: "local", KeyFP: "fp"}
	path := p.SyncStateFile("/home/me/site", scope)
	if path == p.SyncStateFile("/home/me/other", scope) || path == p.SyncStateFile("/home/me/site", Scope{Target: "gyazo", Endpoint: "local", KeyFP: "fp"}) {
		t.Fatalf("two directories or targets share %s", path)
	}
	st, err := LoadSyncState(path, "/home/me/site", scope)
	if err != nil || len(st.Files) != 0 {
		t.Fatalf("new state: %v %+v", err, st)
	}
	st.Files["a/b.txt"] = SyncFile{Size: 3, ModTimeNS: 42, SHA256: "ab", Handle: "H", StorePath: "site/a/b.txt"}
	st.Replaced = append(st.Replaced, SyncFile{Rel: "a/b.txt", Handle: "OLD"})
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode: %v %v", info.Mode(), err)
	}
	got, err := LoadSyncState(path, "/home/me/site", scope)
	if err != nil || got.Files["a/b.txt"] != st.Files["a/b.txt"] || len(got.Replaced) != 1 || got.Replaced[0].Handle != "OLD" {
		t.Errorf("reloaded: %v %+v", err, got)
	}
	if _, err := LoadSyncState(path, "/home/me/elsewhere", scope); err == nil {
		t.Errorf("a state of another directory was read")
	}
	os.WriteFile(path, []byte(`{"version":1,"files":`), 0o600)
	if _, err := LoadSyncState(path, "/home/me/site", scope); err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
		t.Errorf("damaged state: %v", err)
	}
}
