package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestOldLedgerGainsDownloads: a ledger written by an fsdeck without the
// download journal (schema 2) opens, keeps its rows and gains the
// downloads table, per scope.
func TestOldLedgerGainsDownloads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:2] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`PRAGMA user_version = 2;
		INSERT INTO journal (endpoint, keyfp, local_path, size, created_ms, updated_ms) VALUES ('local', 'k', '/a', 5, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	s := Scope{Endpoint: "local", KeyFP: "k"}
	if jobs, err := l.Jobs(ctx, s); err != nil || len(jobs) != 1 || jobs[0].LocalPath != "/a" {
		t.Fatalf("old journal: %+v, %v", jobs, err)
	}
	id, err := l.StartDownload(ctx, s, Download{Handle: "h", Dest: "/d/x", Partial: "/d/.fsdeck-download-1", Size: 9})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SaveDownload(ctx, id, "/d/.fsdeck-download-2", "etag"); err != nil {
		t.Fatal(err)
	}
	ds, err := l.Downloads(ctx, s)
	if err != nil || len(ds) != 1 || ds[0].Partial != "/d/.fsdeck-download-2" || ds[0].ETag != "etag" || ds[0].Size != 9 || ds[0].Dest != "/d/x" {
		t.Fatalf("downloads %+v, %v", ds, err)
	}
	if other, _ := l.Downloads(ctx, Scope{Endpoint: "cloud", KeyFP: "k"}); len(other) != 0 {
		t.Fatalf("another scope sees %+v", other)
	}
	if owned, err := l.OwnedPartials(ctx); err != nil || len(owned) != 1 {
		t.Fatalf("owned %v, %v", owned, err)
	}
	if err := l.FinishDownload(ctx, id); err != nil {
		t.Fatal(err)
	}
	if ds, _ := l.Downloads(ctx, s); len(ds) != 0 {
		t.Fatalf("after finish: %+v", ds)
	}
}
