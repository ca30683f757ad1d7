package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openSync(t *testing.T, path, dir string, scope Scope) *SyncState {
	t.Helper()
	st, err := OpenSyncState(path, dir, scope)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

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
	st := openSync(t, path, "/home/me/site", scope)
	if _, had, err := st.Get("a/b.txt"); err != nil || had {
		t.Fatalf("new state: %v %v", had, err)
	}
	want := SyncFile{Size: 3, ModTimeNS: 42, SHA256: "ab", Handle: "H", StorePath: "site/a/b.txt"}
	if err := st.Put("a/b.txt", want); err != nil {
		t.Fatal(err)
	}
	if got, had, err := st.Get("a/b.txt"); err != nil || !had || got != want {
		t.Errorf("pending file read back: %+v %v %v", got, had, err)
	}
	if err := st.Put("gone.txt", SyncFile{Handle: "G"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddReplaced(SyncFile{Rel: "a/b.txt", Handle: "OLD"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode: %v %v", info.Mode(), err)
	}
	st = openSync(t, path, "/home/me/site", scope)
	if got, had, err := st.Get("a/b.txt"); err != nil || !had || got != want {
		t.Errorf("reloaded: %+v %v %v", got, had, err)
	}
	last, err := st.LastReplaced()
	if err != nil || last == 0 {
		t.Fatalf("last replaced: %d %v", last, err)
	}
	if rep, err := st.Replaced(last); err != nil || len(rep) != 1 || rep[0].Handle != "OLD" || rep[0].Rel != "a/b.txt" {
		t.Errorf("replaced: %+v %v", rep, err)
	}
	// Only what was not seen since the open is gone; deletes stick.
	st.Seen("a/b.txt")
	if gone, err := st.Gone(); err != nil || len(gone) != 1 || gone[0].Rel != "gone.txt" || gone[0].Handle != "G" {
		t.Errorf("gone: %+v %v", gone, err)
	}
	st.Delete("gone.txt")
	st.DropReplaced("OLD")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st = openSync(t, path, "/home/me/site", scope)
	if gone, err := st.Gone(); err != nil || len(gone) != 1 || gone[0].Rel != "a/b.txt" {
		t.Errorf("after delete, unseen: %+v %v", gone, err)
	}
	if rep, err := st.Replaced(1 << 62); err != nil || len(rep) != 0 {
		t.Errorf("replaced after drop: %+v %v", rep, err)
	}
	st.Close()

	if _, err := OpenSyncState(path, "/home/me/elsewhere", scope); err == nil {
		t.Errorf("a state of another directory was read")
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	os.WriteFile(path, []byte("this is not a database, not at all, and it is long enough to have a header"), 0o600)
	if _, err := OpenSyncState(path, "/home/me/site", scope); err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
		t.Errorf("damaged state: %v", err)
	}
}

// Past a batch, changes are written without waiting for Close: a sync
// killed outright loses at most one batch.
func TestSyncStateWritesInBatches(t *testing.T) {
	p := Paths{Data: t.TempDir()}
	scope := Scope{Endpoint: "local", KeyFP: "fp"}
	path := p.SyncStateFile("/d", scope)
	st := openSync(t, path, "/d", scope)
	for i := range syncBatch {
		if err := st.Put(strings.Repeat("x", i+1), SyncFile{Handle: "H"}); err != nil {
			t.Fatal(err)
		}
	}
	// Read through another connection, as the next sync would.
	other, err := openDB(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n int
	if err := other.QueryRow("SELECT COUNT(*) FROM files").Scan(&n); err != nil || n != syncBatch {
		t.Errorf("written before close: %d %v", n, err)
	}
}

// One sync of a directory to a target at a time: a second open of the
// same state is refused until the first closes.
func TestSyncStateRefusesASecondOpen(t *testing.T) {
	p := Paths{Data: t.TempDir()}
	scope := Scope{Endpoint: "local", KeyFP: "fp"}
	path := p.SyncStateFile("/d", scope)
	st := openSync(t, path, "/d", scope)
	if _, err := OpenSyncState(path, "/d", scope); !errors.Is(err, ErrSyncBusy) {
		t.Fatalf("second open: %v", err)
	}
	st.Close()
	openSync(t, path, "/d", scope)
}

// The JSON state of an earlier fsdeck is read in once and removed; a
// damaged one is an error, and is kept.
func TestSyncStateMigratesJSON(t *testing.T) {
	p := Paths{Data: t.TempDir()}
	scope := Scope{Target: "gofile", Endpoint: "local", KeyFP: "fp"}
	path := p.SyncStateFile("/home/me/site", scope)
	jpath := strings.TrimSuffix(path, ".db") + ".json"
	ensureDir(filepath.Dir(path))
	old := map[string]any{"version": 1, "dir": "/home/me/site", "scope": scope,
		"files":    map[string]SyncFile{"a.txt": {Size: 5, ModTimeNS: 7, SHA256: "s", Handle: "HA", StorePath: "site/a.txt"}, "b/c.txt": {Size: 1, Handle: "HC"}},
		"replaced": []SyncFile{{Rel: "a.txt", Handle: "R1"}, {Rel: "a.txt", Handle: "R2"}}}
	b, _ := json.Marshal(old)
	os.WriteFile(jpath, b, 0o600)

	st := openSync(t, path, "/home/me/site", scope)
	if _, err := os.Stat(jpath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the JSON state is still there: %v", err)
	}
	if got, had, err := st.Get("a.txt"); err != nil || !had || got != (SyncFile{Size: 5, ModTimeNS: 7, SHA256: "s", Handle: "HA", StorePath: "site/a.txt"}) {
		t.Errorf("migrated a.txt: %+v %v %v", got, had, err)
	}
	if got, had, _ := st.Get("b/c.txt"); !had || got.Handle != "HC" {
		t.Errorf("migrated b/c.txt: %+v %v", got, had)
	}
	last, _ := st.LastReplaced()
	if rep, err := st.Replaced(last); err != nil || len(rep) != 2 || rep[0].Handle != "R1" || rep[1].Handle != "R2" {
		t.Errorf("migrated replaced: %+v %v", rep, err)
	}
	st.Close()

	path2 := p.SyncStateFile("/home/me/other", scope)
	jpath2 := strings.TrimSuffix(path2, ".db") + ".json"
	os.WriteFile(jpath2, []byte(`{"version":1,"files":`), 0o600)
	if _, err := OpenSyncState(path2, "/home/me/other", scope); err == nil || !strings.Contains(err.Error(), filepath.Base(jpath2)) {
		t.Errorf("damaged JSON state: %v", err)
	}
	if _, err := os.Stat(jpath2); err != nil {
		t.Errorf("the damaged JSON state was removed: %v", err)
	}
}
