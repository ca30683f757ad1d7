package transfer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// partedHost is a target of no particular name that uploads in parts: its
// first upload stores part 1, hands on a session saying so and waits to
// be stopped; a resume stores the rest. The engine must journal and
// resume it as it does Filestack, by the capability alone.
type partedHost struct {
	mu      sync.Mutex
	resumed []hosts.Session
	stored  chan struct{}
}

func (p *partedHost) Name() string { return "parted" }
func (p *partedHost) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{Resume: true, ResumeAbove: 10}
}

func (p *partedHost) Upload(context.Context, hosts.File, hosts.UploadOptions, hosts.Progress) (hosts.Result, error) {
	return hosts.Result{}, errors.New("the engine must upload in parts")
}

func (p *partedHost) UploadParts(ctx context.Context, path string, opts hosts.PartOptions) (hosts.Result, error) {
	opts.Progress(hosts.PartEvent{Kind: hosts.UploadStarted, Parts: 2, Size: 100, Total: 200})
	opts.Progress(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: 100})
	opts.Progress(hosts.PartEvent{Kind: hosts.PartDone, Part: 1, Size: 100})
	opts.OnSession(hosts.Session{Journal: "session of " + opts.StorePath, StorePath: opts.StorePath, PartSize: 100, Parts: 2,
		Done: []hosts.DonePart{{Number: 1, Size: 100}}})
	close(p.stored)
	<-ctx.Done()
	return hosts.Result{}, ctx.Err()
}

func (p *partedHost) ResumeParts(ctx context.Context, path string, s hosts.Session, opts hosts.PartOptions) (hosts.Result, error) {
	p.mu.Lock()
	p.resumed = append(p.resumed, s)
	p.mu.Unlock()
	opts.Progress(hosts.PartEvent{Kind: hosts.PartProgress, Part: 2, Sent: 200})
	opts.Progress(hosts.PartEvent{Kind: hosts.PartDone, Part: 2, Size: 100})
	return hosts.Result{Target: "parted", ID: "p1", Name: "a.bin", Size: 200, URL: "https://parted.example/p1"}, nil
}

func (p *partedHost) ReadSession(journaled string) (hosts.Session, error) {
	var path string
	if _, err := fmt.Sscanf(journaled, "session of %s", &path); err != nil {
		return hosts.Session{}, err
	}
	return hosts.Session{Journal: journaled, StorePath: path, PartSize: 100, Parts: 2, Done: []hosts.DonePart{{Number: 1, Size: 100}}}, nil
}

// Any target that uploads in parts is journaled from its first session,
// listed as unfinished after a stop, and resumed through ResumeParts
// with the session it journaled, its stored part counted as resumed; the
// ledger then keeps the URL it gave (it is not derived from the id).
func TestAnyPartUploaderIsJournaledAndResumed(t *testing.T) {
	e := newEnv(t)
	h := &partedHost{stored: make(chan struct{})}
	tg, sc := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 200)
	eng := e.engine(transfer.Options{Target: tg})
	files := transfer.Expand([]string{p}, filepath.Dir(p), "docs/")
	store := files[0].StorePath
	if _, err := eng.AddUploads("a", files); err != nil {
		t.Fatal(err)
	}
	<-h.stored
	waitFor(t, eng, "the session journaled", func(s transfer.Snapshot) bool { return s.Jobs[0].Acked == 100 })
	if !eng.Shutdown(10 * time.Second) {
		t.Fatal("shutdown did not finish")
	}
	eng2 := e.engine(transfer.Options{Target: tg})
	jobs, err := eng2.Unfinished(context.Background())
	if err != nil || len(jobs) != 1 || jobs[0].Session != "session of "+store || store == "" {
		t.Fatalf("unfinished %+v, %v", jobs, err)
	}
	if _, err := eng2.ResumeJobs("again", jobs); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng2, "resumed", allFinished).Jobs[0]
	if j.State != transfer.Done || j.Resumed != 100 || j.Acked != 200 || j.Handle != "p1" || j.URL != "https://parted.example/p1" ||
		j.Target != "parted" || j.StorePath != store {
		t.Fatalf("job %+v", j)
	}
	if len(h.resumed) != 1 || h.resumed[0].Journal != "session of "+store {
		t.Fatalf("resumed with %+v", h.resumed)
	}
	en, err := e.ledger.Get(context.Background(), sc, "p1")
	if err != nil || en.URL != "https://parted.example/p1" || en.StorePath != store {
		t.Fatalf("ledger %+v, %v", en, err)
	}
	if left, _ := eng2.Unfinished(context.Background()); len(left) != 0 {
		t.Fatalf("journal keeps %+v", left)
	}
}

// A job's snapshot says whether a stop keeps what it moved: a Filestack
// upload of more than one part, and a download by id into a journaled
// partial file, do; a file small enough for one request, an upload to a
// service that takes it in one request and a download fetched from a URL
// start again.
func TestResumableSaysWhatAStopKeeps(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	dir := t.TempDir()
	big, _ := writeFile(t, dir, "big.bin", 2*partSize)
	small, data := writeFile(t, dir, "small.bin", 1000)
	if _, err := eng.AddUploads("fs", transfer.Expand([]string{big, small}, dir, "")); err != nil {
		t.Fatal(err)
	}
	queued := eng.Snapshot().Jobs
	if !queued[0].Resumable || queued[1].Resumable {
		t.Fatalf("before they start: big %v, small %v", queued[0].Resumable, queued[1].Resumable)
	}
	s := waitFor(t, eng, "uploads", allFinished)
	handle := s.Jobs[1].Handle
	h := newFakeHost(hosts.Capabilities{})
	close(h.answer)
	tg, _ := e.hostTarget(h)
	if _, err := eng.AddUploadsTo(tg, "host", uploadFiles(t, small)); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := eng.AddDownloads("by id", out, []transfer.RemoteFile{{Handle: handle, Filename: "x.bin"}}); err != nil {
		t.Fatal(err)
	}
	srv, release := heldServer(t, data)
	close(release)
	from := transfer.URLFetcher{HTTP: srv.Client(), URL: srv.URL + "/f", Service: "Fake"}
	if _, err := eng.AddDownloadsTo(tg, "fetched", out, []transfer.RemoteFile{{Handle: "id1", Filename: "y.bin", From: from}}); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "everything", allFinished)
	want := []bool{true, false, false, true, false}
	for i, j := range s.Jobs {
		if j.State != transfer.Done || j.Resumable != want[i] {
			t.Errorf("%s (%v, %v): resumable %v, want %v (%s)", j.Name, j.Dir, j.Target, j.Resumable, want[i], j.Err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "x.bin")); err != nil {
		t.Fatal(err)
	}
}
