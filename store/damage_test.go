package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// Only a missing ledger is new: stray bytes, an empty file and a database
// without the ledger's schema are all damage (the ledger is created whole,
// so none of them is a ledger that was never used), never a blank ledger
// to write over.
func TestOnlyAMissingLedgerIsNew(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.db")
	os.WriteFile(short, []byte("not a ledger\n"), 0o600)
	openDamaged(t, short)

	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	openDamaged(t, empty)

	schemaless := filepath.Join(dir, "schemaless.db")
	db, err := openDB(schemaless, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE other (a); DROP TABLE other`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	openDamaged(t, schemaless)

	fresh := filepath.Join(dir, "sub", "fresh.db")
	l, err := Open(fresh)
	if err != nil || l.Damaged() != nil {
		t.Fatalf("missing file: %v %v", err, l.Damaged())
	}
	defer l.Close()
	if err := l.Add(context.Background(), scope, Entry{Handle: "AAAAAAAAAAAAAAAAAAAA"}); err != nil {
		t.Fatal(err)
	}
}

// Reads of an emptied ledger say it is damaged and name the remedy, not
// "no such table" (nor an empty list, which would look like no uploads).
func TestEmptiedLedgerReadsNameDoctor(t *testing.T) {
	path := ledgerWith(t, 3)
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got, err := l.List(context.Background(), scope)
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "fsdeck doctor") || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("List of an emptied ledger: %d rows, %v", len(got), err)
	}
	if _, err := l.Jobs(context.Background(), scope); !errors.As(err, &de) {
		t.Fatalf("Jobs of an emptied ledger: %v", err)
	}
}

// A new ledger appears whole: while it is being made nothing is at its
// path, and after, only the ledger (no temporary file) is.
func TestNewLedgerIsCreatedWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := Open(path)
			if err == nil && l.Damaged() != nil {
				err = l.Damaged()
			}
			if err == nil {
				err = l.Add(context.Background(), scope, Entry{Handle: fmt.Sprintf("H%019d", 1)})
				l.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "ledger.db" {
			t.Errorf("left beside the ledger: %s", e.Name())
		}
	}
	// The file alone (no WAL) already holds the schema.
	b, _ := os.ReadFile(path)
	if len(b) < 100 || string(b[:15]) != "SQLite format 3" || b[60]|b[61]|b[62]|b[63] == 0 {
		t.Fatalf("the new ledger file does not carry its schema version (%d bytes)", len(b))
	}
}

// A write-ahead log left behind by a deleted ledger is set aside before a
// new ledger is made, not replayed into it.
func TestOrphanWALIsSetAside(t *testing.T) {
	path := ledgerWith(t, 0)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		l.Add(context.Background(), scope, Entry{Handle: fmt.Sprintf("W%019d", i)})
	}
	wal, _ := os.ReadFile(path + "-wal")
	l.Close()
	if len(wal) == 0 {
		t.Skip("SQLite left no write-ahead log to orphan")
	}
	os.Remove(path)
	os.WriteFile(path+"-wal", wal, 0o600)
	l, err = Open(path)
	if err != nil || l.Damaged() != nil {
		t.Fatalf("%v %v", err, l.Damaged())
	}
	defer l.Close()
	if got, err := l.List(context.Background(), scope); err != nil || len(got) != 0 {
		t.Fatalf("new ledger: %d rows, %v", len(got), err)
	}
	if m, _ := filepath.Glob(path + "-wal.orphan-*"); len(m) != 1 {
		t.Fatalf("orphan log not kept aside: %v", m)
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
