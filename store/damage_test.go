package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ledgerWith writes n files, 3 unfinished uploads and 2 bookmarks, and
// closes the ledger (checkpointing the WAL into the file).
func ledgerWith(t *testing.T, n int) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// One transaction: thousands of Adds are slow under -race.
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (endpoint, keyfp, handle, filename, size, sha256, added_ms)
			VALUES (?,?,?,?,?,?,?)`, scope.Endpoint, scope.KeyFP, fmt.Sprintf("H%019d", i), fmt.Sprintf("file-%d.txt", i), i, "abc", 1700000000000+i); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := l.StartJob(ctx, scope, fmt.Sprintf("/tmp/up%d", i), 10); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 2; i++ {
		d := Download{Handle: fmt.Sprintf("D%019d", i), Dest: fmt.Sprintf("/tmp/down%d", i), Partial: fmt.Sprintf("/tmp/.fsdeck-download-%d", i), ETag: `"1"`, Size: 99}
		if _, err := l.StartDownload(ctx, scope, d); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []string{"/a", "/b"} {
		if err := l.AddBookmark(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// overwrite puts a garbage pattern over n bytes at off, as a bad disk or
// a stray write would.
func overwrite(t *testing.T, path string, off, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, int(n/4)), off); err != nil {
		t.Fatal(err)
	}
}

// openDamaged opens a damaged ledger, checks that it says so and refuses
// writes, and that the file was left exactly as it was.
func openDamaged(t *testing.T, path string) {
	t.Helper()
	before, _ := os.ReadFile(path)
	l, err := Open(path)
	if err != nil {
		t.Fatalf("a damaged ledger must open read-only, got %v", err)
	}
	d := l.Damaged()
	if d == nil || !IsCorrupt(d) {
		t.Fatalf("damage not reported: %v", d)
	}
	if msg := d.Error(); !bytes.Contains([]byte(msg), []byte("fsdeck doctor")) || !bytes.Contains([]byte(msg), []byte("read-only")) {
		t.Fatalf("message does not say read-only and offer doctor: %s", msg)
	}
	ctx := context.Background()
	if err := l.Add(ctx, scope, Entry{Handle: "NEWNEWNEWNEWNEWNEWNE", Filename: "x"}); err == nil {
		t.Fatal("a damaged ledger accepted a write")
	}
	if err := l.AddBookmark(ctx, "/c"); err == nil {
		t.Fatal("a damaged ledger accepted a bookmark")
	}
	l.Close()
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the damaged file was written to")
	}
}

func TestDamagedPagesOpenReadOnly(t *testing.T) {
	path := ledgerWith(t, 3000)
	info, _ := os.Stat(path)
	overwrite(t, path, info.Size()/2, 3*4096) // pages in the middle
	openDamaged(t, path)
}

func TestNotADatabaseOpensReadOnly(t *testing.T) {
	path := ledgerWith(t, 10)
	overwrite(t, path, 0, 100) // the header
	openDamaged(t, path)
}

// A ledger is new only when it is exactly empty: a few stray bytes are
// damage, not a blank ledger to write over.
func TestOnlyAnEmptyFileIsNew(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.db")
	os.WriteFile(short, []byte("not a ledger\n"), 0o600)
	openDamaged(t, short)

	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	l, err := Open(empty)
	if err != nil || l.Damaged() != nil {
		t.Fatalf("empty file: %v %v", err, l.Damaged())
	}
	defer l.Close()
	if err := l.Add(context.Background(), scope, Entry{Handle: "AAAAAAAAAAAAAAAAAAAA"}); err != nil {
		t.Fatal(err)
	}
}

// rebuilt checks Rebuild's backup (the damaged bytes, untouched) and the
// new ledger (healthy, writable, holding what the report says).
func rebuilt(t *testing.T, path string) RebuildReport {
	t.Helper()
	damaged, _ := os.ReadFile(path)
	when := time.Date(2026, 11, 30, 4, 5, 6, 0, time.UTC)
	r, err := Rebuild(context.Background(), path, when)
	if err != nil {
		t.Fatal(err)
	}
	if r.Backup != path+".damaged-20261130T040506Z" {
		t.Fatalf("backup %s", r.Backup)
	}
	if b, _ := os.ReadFile(r.Backup); !bytes.Equal(b, damaged) {
		t.Fatal("the backup is not the damaged file as it was")
	}
	if _, err := os.Stat(path + ".salvage"); err == nil {
		t.Fatal("scratch copy left behind")
	}
	l, err := Open(path)
	if err != nil || l.Damaged() != nil {
		t.Fatalf("rebuilt ledger: %v %v", err, l.Damaged())
	}
	defer l.Close()
	ctx := context.Background()
	files, jobs, downs, marks, err := l.Counts(ctx)
	if err != nil || files != r.Files || jobs != r.Jobs || downs != r.Downloads || marks != r.Bookmarks {
		t.Fatalf("counts %d %d %d %d (%v), report %+v", files, jobs, downs, marks, err, r)
	}
	if err := l.Add(ctx, scope, Entry{Handle: "NEWNEWNEWNEWNEWNEWNE", Filename: "x"}); err != nil {
		t.Fatalf("rebuilt ledger refuses writes: %v", err)
	}
	return r
}

func TestRebuildSalvagesReadableRows(t *testing.T) {
	path := ledgerWith(t, 3000)
	info, _ := os.Stat(path)
	overwrite(t, path, info.Size()/2, 3*4096)
	r := rebuilt(t, path)
	t.Logf("%+v", r)
	if r.Files < 2000 || r.Files > 3000 || r.Jobs != 3 || r.Downloads != 2 || r.Bookmarks != 2 || len(r.Unreadable) != 0 {
		t.Fatalf("salvaged %+v", r)
	}
	l0, _ := Open(path)
	downs, err := l0.Downloads(context.Background(), scope)
	l0.Close()
	if err != nil || len(downs) != 2 || downs[1].Partial != "/tmp/.fsdeck-download-1" || downs[1].ETag != `"1"` || downs[1].Size != 99 {
		t.Fatalf("salvaged downloads %+v, %v", downs, err)
	}
	l, _ := Open(path)
	defer l.Close()
	got, err := l.List(context.Background(), scope)
	if err != nil || len(got) != r.Files+1 { // + the row rebuilt wrote
		t.Fatalf("list %d rows, %v", len(got), err)
	}
	for _, e := range got {
		if e.Handle != "NEWNEWNEWNEWNEWNEWNE" && e.Filename != fmt.Sprintf("file-%d.txt", e.Size) {
			t.Fatalf("salvaged row garbled: %+v", e)
		}
	}
}

func TestRebuildNotADatabase(t *testing.T) {
	path := ledgerWith(t, 10)
	overwrite(t, path, 0, 100)
	r := rebuilt(t, path)
	if r.Files+r.Jobs+r.Downloads+r.Bookmarks != 0 || len(r.Unreadable) != 4 {
		t.Fatalf("report %+v", r)
	}
}
