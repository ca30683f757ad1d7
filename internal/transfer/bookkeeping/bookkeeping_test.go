package bookkeeping_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

var scope = store.Scope{Endpoint: "local", KeyFP: store.Fingerprint("k")}

// TestLedger: the engine's view of the ledger keeps journal and
// uploads within its scope and maps every field.
func TestLedger(t *testing.T) {
	ctx := context.Background()
	l, err := store.Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ts := bookkeeping.For(l, scope)
	other := bookkeeping.For(l, store.Scope{Endpoint: "elsewhere", KeyFP: scope.KeyFP})
	id, err := ts.StartJob(ctx, "/data/a.bin", 42)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveSession(ctx, id, `{"upload_id":"u"}`); err != nil {
		t.Fatal(err)
	}
	jobs, err := ts.Jobs(ctx)
	want := transfer.JournalJob{ID: id, LocalPath: "/data/a.bin", Size: 42, Session: `{"upload_id":"u"}`}
	if err != nil || len(jobs) != 1 {
		t.Fatalf("jobs %+v (%v), want %+v", jobs, err, want)
	}
	// When it was recorded and last saved (resume's "last active"), as the
	// store keeps them; the rest exactly.
	got := jobs[0]
	if since := time.Since(got.Created); got.Created.IsZero() || since < 0 || since > time.Minute || got.Updated.Before(got.Created) {
		t.Errorf("created %v, updated %v: want the times of StartJob and SaveSession", got.Created, got.Updated)
	}
	got.Created, got.Updated = time.Time{}, time.Time{}
	if got != want {
		t.Fatalf("job %+v, want %+v", got, want)
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
	if e.Filename != u.Filename || e.Size != 42 || e.Mimetype != u.Mimetype || !e.Uploaded.Equal(at) || e.Source != store.SourceUpload ||
		e.LocalPath != u.LocalPath || e.SHA256 != "abc" || e.StorePath != "dir/a.bin" {
		t.Fatalf("entry %+v", e)
	}
}

// The engine's duplicate check reads local mode's hosting-target rows
// with their URLs and links on the local server's current address,
// whichever port recorded them, as the ledger's own reads do; rows of
// other scopes read as recorded.
func TestFindBySHA256ReadsLocalURLsOnTheCurrentServer(t *testing.T) {
	l, err := store.Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	const old = "http://127.0.0.1:33335/gofile"
	local := store.Scope{Target: "gofile", Endpoint: store.LocalEndpoint, KeyFP: store.Fingerprint("k")}
	remote := store.Scope{Target: "gofile", Endpoint: "https://api.gofile.io", KeyFP: store.Fingerprint("k")}
	e := store.Entry{Handle: "g1", Filename: "a.bin", SHA256: "ab12", URL: old + "/d/g1",
		Links: []text.Link{{Label: "downloadPage", URL: old + "/d/g1"}, {Label: "other", URL: "https://example.invalid/x"}}}
	for _, sc := range []store.Scope{local, remote} {
		if err := l.Add(ctx, sc, e); err != nil {
			t.Fatal(err)
		}
	}
	check := func(sc store.Scope, wantBase string) {
		t.Helper()
		ups, err := bookkeeping.For(l, sc).FindBySHA256(ctx, "ab12")
		if err != nil || len(ups) != 1 {
			t.Fatalf("reading %v: %+v, %v", sc, ups, err)
		}
		u := ups[0]
		if u.URL != wantBase+"/d/g1" || len(u.Links) != 2 || u.Links[0].URL != wantBase+"/d/g1" ||
			u.Links[0].Label != "downloadPage" || u.Links[1] != e.Links[1] || u.Target != "gofile" {
			t.Fatalf("%v read %q %+v, want URLs under %s", sc, u.URL, u.Links, wantBase)
		}
	}
	check(local, old) // no base told yet
	var base atomic.Value
	base.Store("")
	l.SetLocalBase(func() string { return base.Load().(string) })
	check(local, old) // no local server running
	base.Store("http://127.0.0.1:7337")
	check(local, "http://127.0.0.1:7337/gofile")
	check(remote, old) // only local mode's rows move
}
