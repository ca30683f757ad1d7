package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// TestTransferStore: the engine's view of the ledger keeps journal and
// uploads within its scope and maps every field.
func TestTransferStore(t *testing.T) {
	ctx := context.Background()
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ts := l.Transfers(scope)
	other := l.Transfers(Scope{Endpoint: "elsewhere", KeyFP: scope.KeyFP})
	id, err := ts.StartJob(ctx, "/data/a.bin", 42)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveSession(ctx, id, `{"upload_id":"u"}`); err != nil {
		t.Fatal(err)
	}
	jobs, err := ts.Jobs(ctx)
	want := transfer.JournalJob{ID: id, LocalPath: "/data/a.bin", Size: 42, Session: `{"upload_id":"u"}`}
	if err != nil || len(jobs) != 1 || jobs[0] != want {
		t.Fatalf("jobs %+v (%v), want %+v", jobs, err, want)
	}
	if j, _ := other.Jobs(ctx); len(j) != 0 {
		t.Fatalf("another scope sees %+v", j)
	}
	if err := ts.FinishJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	if j, _ := ts.Jobs(ctx); len(j) != 0 {
		t.Fatalf("finished job still listed: %+v", j)
	}
	at := time.UnixMilli(1700000000000)
	u := transfer.Uploaded{Handle: "AAAAAAAAAAAAAAAAAAA1", Filename: "a.bin", Size: 42, Mimetype: "application/octet-stream",
		At: at, LocalPath: "/data/a.bin", SHA256: "abc", StorePath: "dir/a.bin"}
	if err := ts.RecordUpload(ctx, u); err != nil {
		t.Fatal(err)
	}
	e, err := l.Get(ctx, scope, u.Handle)
	if err != nil {
		t.Fatal(err)
	}
	if e.Filename != u.Filename || e.Size != 42 || e.Mimetype != u.Mimetype || !e.Uploaded.Equal(at) || e.Source != SourceUpload ||
		e.LocalPath != u.LocalPath || e.SHA256 != "abc" || e.StorePath != "dir/a.bin" {
		t.Fatalf("entry %+v", e)
	}
}
