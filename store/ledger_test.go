package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var scope = Scope{Endpoint: "local", KeyFP: Fingerprint("k")}

func TestLedgerRoundTrip(t *testing.T) {
	ctx := context.Background()
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	up := time.UnixMilli(1700000000123)
	for i, h := range []string{"AAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAA2"} {
		e := Entry{Handle: h, Filename: "f" + h, Size: int64(i + 10), Mimetype: "text/plain", Uploaded: up,
			Added: up.Add(time.Duration(i) * time.Second), Source: SourceUpload, SHA256: "abc", Width: 3, Height: 4}
		if err := l.Add(ctx, scope, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.List(ctx, scope)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Handle != "AAAAAAAAAAAAAAAAAAA2" {
		t.Fatalf("want newest first, got %+v", got)
	}
	if e := got[1]; e.Size != 10 || !e.Uploaded.Equal(up) || e.Width != 3 || e.Source != SourceUpload {
		t.Fatalf("fields lost: %+v", e)
	}
	other := Scope{Endpoint: "local", KeyFP: Fingerprint("other")}
	if o, _ := l.List(ctx, other); len(o) != 0 {
		t.Fatalf("scopes leak: %v", o)
	}
	if err := l.Add(ctx, scope, Entry{Handle: "AAAAAAAAAAAAAAAAAAA1", Filename: "renamed", Gone: true}); err != nil {
		t.Fatal(err)
	}
	e, err := l.Get(ctx, scope, "AAAAAAAAAAAAAAAAAAA1")
	if err != nil || e.Filename != "renamed" || !e.Gone || e.SHA256 != "abc" || !e.Added.Equal(up) {
		t.Fatalf("upsert: %+v %v", e, err)
	}
	if hits, _ := l.FindBySHA256(ctx, scope, "abc"); len(hits) != 1 {
		t.Fatalf("sha lookup (gone excluded): %v", hits)
	}
	if err := l.Remove(ctx, scope, "AAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAA2"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Get(ctx, scope, "AAAAAAAAAAAAAAAAAAA1"); err != ErrNotFound {
		t.Fatalf("after remove: %v", err)
	}
}

// Two processes (two Opens) writing at once lose no rows.
func TestLedgerConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for w, l := range []*Ledger{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				h := fmt.Sprintf("W%dxxxxxxxxxxxxx%04d", w, i)
				if err := l.Add(ctx, scope, Entry{Handle: h, Filename: h}); err != nil {
					errs <- err
				}
				if _, err := l.StartJob(ctx, scope, h, 1); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := a.List(ctx, scope)
	if err != nil || len(got) != 2*n {
		t.Fatalf("got %d rows (%v), want %d", len(got), err, 2*n)
	}
	jobs, _ := b.Jobs(ctx, scope)
	if len(jobs) != 2*n {
		t.Fatalf("got %d jobs, want %d", len(jobs), 2*n)
	}
}

func TestJournal(t *testing.T) {
	ctx := context.Background()
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	id, err := l.StartJob(ctx, scope, "/tmp/x", 42)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SaveSession(ctx, id, `{"upload_id":"u"}`); err != nil {
		t.Fatal(err)
	}
	jobs, _ := l.Jobs(ctx, scope)
	if len(jobs) != 1 || jobs[0].Session != `{"upload_id":"u"}` || jobs[0].Size != 42 {
		t.Fatalf("%+v", jobs)
	}
	l.FinishJob(ctx, id)
	if jobs, _ := l.Jobs(ctx, scope); len(jobs) != 0 {
		t.Fatalf("%+v", jobs)
	}
}

func TestLedgerRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l.db")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.db.Exec("PRAGMA user_version = 99")
	l.Close()
	if _, err := Open(path); err == nil {
		t.Fatal("opened a database from the future")
	}
}

func TestFingerprintHidesKey(t *testing.T) {
	fp := Fingerprint("AhTgLagciQByzXpFGRI0Az")
	if fp == Fingerprint("AhTgLagciQByzXpFGRI0Ay") || len(fp) != 16 {
		t.Fatalf("fingerprint %q", fp)
	}
}
