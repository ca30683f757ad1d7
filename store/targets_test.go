package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// schema3Ledger writes a ledger as an fsdeck before hosting targets did
// (schema 3): one file, one unfinished upload, one unfinished download.
func schema3Ledger(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, m := range migrations[:3] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA user_version = 3;
		INSERT INTO files (endpoint, keyfp, handle, filename, size, sha256, added_ms) VALUES ('local', 'k', 'HANDLEHANDLEHANDLE01', 'old.txt', 7, 'abc', 1700000000000);
		INSERT INTO journal (endpoint, keyfp, local_path, size, created_ms, updated_ms) VALUES ('local', 'k', '/a', 5, 1, 1);
		INSERT INTO downloads (endpoint, keyfp, handle, dest, partial, size, created_ms, updated_ms) VALUES ('local', 'k', 'HANDLEHANDLEHANDLE01', '/d/x', '/d/.p', 7, 1, 1);`); err != nil {
		t.Fatal(err)
	}
	return path
}

// An old ledger's rows all become Filestack's (Target ""), and a hosting
// target's rows, even with the same handle, endpoint and key, are apart.
func TestSchema3LedgerMigratesToTargets(t *testing.T) {
	l, err := Open(schema3Ledger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	fs := Scope{Endpoint: "local", KeyFP: "k"}
	ib := Scope{Target: "imgbb", Endpoint: "local", KeyFP: "k"}
	got, err := l.List(ctx, fs)
	if err != nil || len(got) != 1 || got[0].Filename != "old.txt" || got[0].URL != "" || got[0].Links != nil || !got[0].Expires.IsZero() {
		t.Fatalf("old files: %+v, %v", got, err)
	}
	if jobs, err := l.Jobs(ctx, fs); err != nil || len(jobs) != 1 {
		t.Fatalf("old journal: %+v, %v", jobs, err)
	}
	if ds, err := l.Downloads(ctx, fs); err != nil || len(ds) != 1 {
		t.Fatalf("old downloads: %+v, %v", ds, err)
	}
	for name, n := range map[string]func() int{
		"files":     func() int { e, _ := l.List(ctx, ib); return len(e) },
		"journal":   func() int { e, _ := l.Jobs(ctx, ib); return len(e) },
		"downloads": func() int { e, _ := l.Downloads(ctx, ib); return len(e) },
	} {
		if n() != 0 {
			t.Fatalf("imgbb sees Filestack's %s", name)
		}
	}
	if err := l.Add(ctx, ib, Entry{Handle: "HANDLEHANDLEHANDLE01", Filename: "pic.png"}); err != nil {
		t.Fatal(err)
	}
	if e, _ := l.Get(ctx, fs, "HANDLEHANDLEHANDLE01"); e.Filename != "old.txt" {
		t.Fatalf("an imgbb row overwrote Filestack's: %+v", e)
	}
	if hits, _ := l.FindBySHA256(ctx, ib, "abc"); len(hits) != 0 {
		t.Fatalf("sha lookup crosses targets: %+v", hits)
	}
	if err := l.Remove(ctx, ib, "HANDLEHANDLEHANDLE01"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Get(ctx, fs, "HANDLEHANDLEHANDLE01"); err != nil {
		t.Fatalf("removing imgbb's row removed Filestack's: %v", err)
	}
}

func TestEntryKeepsURLLinksAndExpiry(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	sc := Scope{Target: "gyazo", Endpoint: "https://api.gyazo.com", KeyFP: Fingerprint("t")}
	exp := time.UnixMilli(1800000000000)
	links := []text.Link{{Label: "permalink", URL: "https://gyazo.com/x"}, {Label: "thumb", URL: "https://t.gyazo.com/x"}}
	if err := l.Add(ctx, sc, Entry{Handle: "x", Filename: "a.png", URL: "https://i.gyazo.com/x.png", Links: links, Expires: exp}); err != nil {
		t.Fatal(err)
	}
	// A later update without links (a server list refresh) keeps them.
	if err := l.Add(ctx, sc, Entry{Handle: "x", Filename: "a.png", Expires: exp}); err != nil {
		t.Fatal(err)
	}
	e, err := l.Get(ctx, sc, "x")
	if err != nil || e.URL != "https://i.gyazo.com/x.png" || len(e.Links) != 2 || e.Links[1] != links[1] || !e.Expires.Equal(exp) {
		t.Fatalf("entry: %+v, %v", e, err)
	}
}

// fsdeck doctor salvages a damaged ledger from before targets too.
func TestRebuildSalvagesSchema3Ledger(t *testing.T) {
	path := schema3Ledger(t)
	r, err := Rebuild(context.Background(), path, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r.Files != 1 || r.Jobs != 1 || r.Downloads != 1 || len(r.Unreadable) != 0 {
		t.Fatalf("salvaged %+v", r)
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got, _ := l.List(context.Background(), Scope{Endpoint: "local", KeyFP: "k"}); len(got) != 1 {
		t.Fatalf("rebuilt: %+v", got)
	}
}
