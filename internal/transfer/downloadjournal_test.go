package transfer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// TestDownloadSurvivesCrash: while a download is midway, the journal
// already holds it (as a crash would leave it); a new engine on the same
// ledger lists it in Unfinished, shows what the partial file holds as
// received before it starts, and continues it from there with a Range
// request, ending byte-exact with the journal empty.
func TestDownloadSurvivesCrash(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(t, "a", 3<<20)
	h := uploadDirect(t, e, "a.bin", data)
	dir := t.TempDir()
	eng, g := gatedEngine(t, e, 1<<20)
	if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "a.bin", Size: int64(len(data))}}); err != nil {
		t.Fatal(err)
	}
	<-g.blocked // 1 MiB is in the partial file; this engine never moves again

	// The next start.
	rec := &gatedRemote{Client: e.client, blocked: make(chan struct{})}
	tg := e.target()
	tg.Service = fsTarget(rec)
	next := e.engine(transfer.Options{Target: tg})
	var jobs []transfer.JournalJob
	deadline := time.Now().Add(10 * time.Second)
	for len(jobs) == 0 && time.Now().Before(deadline) { // the ETag is journaled as the answer arrives
		un, err := next.Unfinished(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(un) == 1 && un[0].ETag != "" {
			jobs = un
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(jobs) != 1 {
		t.Fatal("the running download is not in the journal")
	}
	j := jobs[0]
	if j.Dir != transfer.Download || j.Handle != h || j.LocalPath != filepath.Join(dir, "a.bin") || j.Size != int64(len(data)) || filepath.Dir(j.Partial) != dir {
		t.Fatalf("journaled download %+v", j)
	}
	if _, err := next.ResumeJobs("earlier", jobs); err != nil {
		t.Fatal(err)
	}
	if first := next.Snapshot(); first.Jobs[0].Acked != 1<<20 || first.Jobs[0].Resumed != 1<<20 || first.Groups[0].Dir != transfer.Download {
		t.Fatalf("before it runs: %+v", first.Jobs[0])
	}
	s := waitFor(t, next, "resumed download", allFinished)
	got := s.Jobs[0]
	if got.State != transfer.Done || got.Resumed != 1<<20 || got.Restarted != "" {
		t.Fatalf("job %+v", got)
	}
	if !slices.Equal(rec.offsets, []int64{1 << 20}) {
		t.Fatalf("download offsets %v, want [1 MiB]", rec.offsets)
	}
	if b, err := os.ReadFile(got.SavedAs); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("saved file differs (%v)", err)
	}
	if un, _ := next.Unfinished(context.Background()); len(un) != 0 {
		t.Fatalf("journal keeps %+v", un)
	}
}

// TestDiscardJournaledDownload: discarding a journaled download forgets it
// and removes its partial file.
func TestDiscardJournaledDownload(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	part := filepath.Join(dir, transfer.PartialPrefix+"0123")
	if err := os.WriteFile(part, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.ledger.StartDownload(ctx, testScope, store.Download{Handle: "AAAAAAAAAAAAAAAAAAAA", Dest: filepath.Join(dir, "x"), Partial: part}); err != nil {
		t.Fatal(err)
	}
	eng := e.engine(transfer.Options{})
	un, err := eng.Unfinished(ctx)
	if err != nil || len(un) != 1 {
		t.Fatal(un, err)
	}
	if err := eng.DiscardJobs(ctx, un); err != nil {
		t.Fatal(err)
	}
	if un, _ := eng.Unfinished(ctx); len(un) != 0 {
		t.Fatalf("journal keeps %+v", un)
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Fatalf("partial file: %v", err)
	}
}

// TestCleanPartials: at start, partial files no journal owns and untouched
// for a while are removed, in the directories given and in those of
// journaled downloads; a journaled one (of any scope), a fresh one (a
// download another fsdeck may be starting) and other files stay.
func TestCleanPartials(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	dir, jdir := t.TempDir(), t.TempDir()
	old := time.Now().Add(-time.Hour)
	mk := func(d, name string, mod time.Time) string {
		p := filepath.Join(d, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk(dir, transfer.PartialPrefix+"aaaa", old)
	fresh := mk(dir, transfer.PartialPrefix+"bbbb", time.Now())
	owned := mk(dir, transfer.PartialPrefix+"cccc", old)
	notes := mk(dir, "notes.txt", old)
	mine := mk(jdir, transfer.PartialPrefix+"dddd", old)
	staleInJournaledDir := mk(jdir, transfer.PartialPrefix+"eeee", old)
	if _, err := e.ledger.StartDownload(ctx, testScopeOther, store.Download{Handle: "h", Dest: filepath.Join(dir, "c"), Partial: owned}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ledger.StartDownload(ctx, testScope, store.Download{Handle: "h", Dest: filepath.Join(jdir, "d"), Partial: mine}); err != nil {
		t.Fatal(err)
	}
	eng := e.engine(transfer.Options{})
	removed, err := eng.CleanPartials(ctx, dir, filepath.Join(dir, "missing"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(removed)
	if want := []string{stale, staleInJournaledDir}; !slices.Equal(removed, want) {
		t.Fatalf("removed %v, want %v", removed, want)
	}
	for _, p := range []string{fresh, owned, notes, mine} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
