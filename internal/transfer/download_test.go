package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// gatedRemote is the real client, except that while gated a download stops
// after `after` bytes until its context ends, as a slow link would; it
// records the offsets downloads start from.
type gatedRemote struct {
	*filestack.Client
	after   int64
	mu      sync.Mutex
	gated   bool
	offsets []int64
	blocked chan struct{}
}

func (g *gatedRemote) Download(ctx context.Context, h string, w io.Writer, o filestack.DownloadOptions) (int64, error) {
	g.mu.Lock()
	g.offsets = append(g.offsets, o.Offset)
	gated := g.gated
	g.mu.Unlock()
	if gated {
		w = &gateWriter{w: w, left: g.after, ctx: ctx, blocked: g.blocked}
	}
	return g.Client.Download(ctx, h, w, o)
}

func (g *gatedRemote) open() {
	g.mu.Lock()
	g.gated = false
	g.mu.Unlock()
}

type gateWriter struct {
	w       io.Writer
	left    int64
	ctx     context.Context
	blocked chan struct{}
}

func (g *gateWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.w.Write(p)
	g.left -= int64(n)
	if err == nil && g.left == 0 {
		close(g.blocked)
		<-g.ctx.Done()
		return n, g.ctx.Err()
	}
	return n, err
}

// uploadDirect stores bytes through the client (not the engine) and
// returns the handle.
func uploadDirect(t *testing.T, e *env, name string, data []byte) string {
	t.Helper()
	f, err := e.client.UploadReader(context.Background(), bytes.NewReader(data), int64(len(data)), filestack.UploadOptions{Filename: name})
	if err != nil {
		t.Fatal(err)
	}
	return f.Handle
}

func gatedEngine(t *testing.T, e *env, after int64) (*transfer.Engine, *gatedRemote) {
	g := &gatedRemote{Client: e.client, after: after, gated: true, blocked: make(chan struct{})}
	tg := e.target()
	tg.Service = fsTarget(g)
	return e.engine(transfer.Options{Target: tg}), g
}

func partials(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, transfer.PartialPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDownloadResumesFromPartialFile pauses a download midway and resumes
// it: the second request starts at the partial file's size, the file ends
// byte-exact under a free name (the wanted one is taken), with the
// permissions any new file gets, and no partial file is left.
func TestDownloadResumesFromPartialFile(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(t, "dl", 3<<20)
	h := uploadDirect(t, e, "photo.jpg", data)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	eng, g := gatedEngine(t, e, 1<<20)
	if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "photo.jpg", Size: int64(len(data))}}); err != nil {
		t.Fatal(err)
	}
	<-g.blocked
	id := eng.Snapshot().Jobs[0].ID
	if err := eng.Pause(id); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "pause", func(s transfer.Snapshot) bool { return s.Jobs[0].State == transfer.Paused })
	if s.Jobs[0].Acked != 1<<20 || len(partials(t, dir)) != 1 {
		t.Fatalf("paused: acked %d, partial files %v", s.Jobs[0].Acked, partials(t, dir))
	}
	g.open()
	if err := eng.Resume(id); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "download", allFinished)
	j := s.Jobs[0]
	if j.State != transfer.Done || j.Resumed != 1<<20 || j.Acked != int64(len(data)) {
		t.Fatalf("job %+v", j)
	}
	if want := filepath.Join(dir, "photo (1).jpg"); j.SavedAs != want {
		t.Fatalf("saved as %q, want %q", j.SavedAs, want)
	}
	got, err := os.ReadFile(j.SavedAs)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("downloaded bytes differ (%v)", err)
	}
	if mine, _ := os.ReadFile(filepath.Join(dir, "photo.jpg")); string(mine) != "mine" {
		t.Fatal("the existing file was overwritten")
	}
	g.mu.Lock()
	offsets := append([]int64(nil), g.offsets...)
	g.mu.Unlock()
	if len(offsets) != 2 || offsets[0] != 0 || offsets[1] != 1<<20 {
		t.Fatalf("downloads started at %v, want [0 %d]", offsets, 1<<20)
	}
	if p := partials(t, dir); len(p) != 0 {
		t.Fatalf("partial files left: %v", p)
	}
	assertNewFileMode(t, j.SavedAs)
}

// assertNewFileMode checks p has the mode a file created with 0666 gets
// under the current umask.
func assertNewFileMode(t *testing.T, p string) {
	t.Helper()
	ref := filepath.Join(t.TempDir(), "ref")
	f, err := os.OpenFile(ref, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	want, _ := os.Stat(ref)
	got, err := os.Stat(p)
	if err != nil || got.Mode().Perm() != want.Mode().Perm() {
		t.Fatalf("mode %v, want %v (%v)", got.Mode().Perm(), want.Mode().Perm(), err)
	}
}

// TestCancelDownloadRemovesPartial: cancelling a running download removes
// its partial file, leaves the journal and saves nothing.
func TestCancelDownloadRemovesPartial(t *testing.T) {
	e := newEnv(t)
	h := uploadDirect(t, e, "a.bin", randomBytes(t, "a", 2<<20))
	dir := t.TempDir()
	eng, g := gatedEngine(t, e, 1<<20)
	if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "a.bin"}}); err != nil {
		t.Fatal(err)
	}
	<-g.blocked
	if n := eng.CancelAll(); n != 1 {
		t.Fatalf("CancelAll cancelled %d", n)
	}
	s := waitFor(t, eng, "cancel", allFinished)
	if s.Jobs[0].State != transfer.Cancelled {
		t.Fatalf("job %+v", s.Jobs[0])
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("files left after cancel: %v", left)
	}
	if un, err := eng.Unfinished(context.Background()); err != nil || len(un) != 0 {
		t.Fatalf("the journal keeps the cancelled download: %+v, %v", un, err)
	}
}

// TestDownloadNameIsSanitised: a remote name with a bidi override, C1 and
// C0 controls or path separators is saved under a harmless local name.
func TestDownloadNameIsSanitised(t *testing.T) {
	e := newEnv(t)
	h := uploadDirect(t, e, "x", []byte("payload"))
	dir := t.TempDir()
	eng := e.engine(transfer.Options{})
	if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "\u202efdp.exe"}}); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "download", allFinished).Jobs[0]
	if j.State != transfer.Done || j.SavedAs != filepath.Join(dir, "_fdp.exe") || j.Name != "_fdp.exe" {
		t.Fatalf("job %+v", j)
	}
}

// uploadJournal hides the store's download journal: the engine then keeps
// partial downloads only as long as it runs.
type uploadJournal struct{ transfer.Journal }

// TestParentContextStopsTransfers: transfers run under the caller's
// context: cancelling it stops a download. Its partial file stays, for
// the next start, when the journal keeps downloads, and is removed when
// it does not.
func TestParentContextStopsTransfers(t *testing.T) {
	for _, journaled := range []bool{true, false} {
		t.Run(map[bool]string{true: "journaled", false: "not journaled"}[journaled], func(t *testing.T) {
			e := newEnv(t)
			h := uploadDirect(t, e, "a.bin", randomBytes(t, "a", 2<<20))
			dir := t.TempDir()
			g := &gatedRemote{Client: e.client, after: 1 << 20, gated: true, blocked: make(chan struct{})}
			tg := e.target()
			tg.Service = fsTarget(g)
			if !journaled {
				tg.Journal = uploadJournal{tg.Journal}
			}
			ctx, cancel := context.WithCancel(context.Background())
			eng := transfer.New(ctx, transfer.Options{Target: tg})
			defer eng.Shutdown(time.Second)
			if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "a.bin"}}); err != nil {
				t.Fatal(err)
			}
			<-g.blocked
			cancel()
			s := waitFor(t, eng, "stop", allFinished)
			if s.Jobs[0].State != transfer.Paused {
				t.Fatalf("job %+v", s.Jobs[0])
			}
			left := partials(t, dir)
			if want := map[bool]int{true: 1, false: 0}[journaled]; len(left) != want {
				t.Fatalf("partial files left: %v, want %d", left, want)
			}
			un, err := eng.Unfinished(context.Background())
			if err != nil || len(un) != len(left) {
				t.Fatalf("unfinished %+v, %v; partial files %v", un, err, left)
			}
		})
	}
}

// stuckRemote ignores cancellation until released, like a transfer stuck
// in a system call.
type stuckRemote struct {
	*gatedRemote
	release chan struct{}
}

func (s *stuckRemote) Download(ctx context.Context, h string, w io.Writer, o filestack.DownloadOptions) (int64, error) {
	close(s.blocked)
	<-s.release
	return 0, context.Canceled
}

// TestShutdownWaitsUpToBound: Shutdown returns after the bound when a
// transfer does not stop, and reports it.
func TestShutdownWaitsUpToBound(t *testing.T) {
	e := newEnv(t)
	st := &stuckRemote{gatedRemote: &gatedRemote{Client: e.client, blocked: make(chan struct{})}, release: make(chan struct{})}
	tg := e.target()
	tg.Service = fsTarget(st)
	eng := transfer.New(context.Background(), transfer.Options{Target: tg})
	if _, err := eng.AddDownloads("one", t.TempDir(), []transfer.RemoteFile{{Handle: "AAAAAAAAAAAAAAAAAAAA", Filename: "a"}}); err != nil {
		t.Fatal(err)
	}
	<-st.blocked
	start := time.Now()
	if eng.Shutdown(100 * time.Millisecond) {
		t.Fatal("Shutdown reported every transfer stopped while one was stuck")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Shutdown took %v with a 100ms bound", d)
	}
	close(st.release)
	if !eng.Shutdown(10 * time.Second) {
		t.Fatal("second Shutdown did not see the transfer stop")
	}
	if s := eng.Snapshot(); strings.Contains(s.Jobs[0].State.String(), "running") {
		t.Fatalf("job still running: %+v", s.Jobs[0])
	}
}

// TestGroupActions: group actions touch only their group's jobs, and a
// cancelled running job frees its slot for the next queued one.
func TestGroupActions(t *testing.T) {
	e := newEnv(t)
	h := uploadDirect(t, e, "a.bin", randomBytes(t, "a", 2<<20))
	small := uploadDirect(t, e, "s.txt", []byte("small"))
	g := &gatedRemote{Client: e.client, after: 1 << 20, gated: true, blocked: make(chan struct{})}
	tg := e.target()
	tg.Service = fsTarget(g)
	eng := e.engine(transfer.Options{Target: tg, FileConcurrency: 1})
	dir := t.TempDir()
	g1, err := eng.AddDownloads("big", dir, []transfer.RemoteFile{{Handle: h, Filename: "a.bin"}})
	if err != nil {
		t.Fatal(err)
	}
	<-g.blocked
	g2, err := eng.AddDownloads("small", dir, []transfer.RemoteFile{{Handle: small, Filename: "1.txt"}, {Handle: small, Filename: "2.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := eng.PauseGroup(g2); n != 2 {
		t.Fatalf("PauseGroup paused %d, want 2", n)
	}
	s := eng.Snapshot()
	if s.Groups[0].Totals.Running != 1 || s.Groups[1].Totals.Paused != 2 {
		t.Fatalf("groups %+v", s.Groups)
	}
	if n := eng.ResumeGroup(g2); n != 2 {
		t.Fatalf("ResumeGroup resumed %d, want 2", n)
	}
	if n := eng.CancelGroup(g1); n != 1 {
		t.Fatalf("CancelGroup cancelled %d, want 1", n)
	}
	s = waitFor(t, eng, "downloads", allFinished)
	if s.Groups[0].Totals.Cancelled != 1 || s.Groups[1].Totals.Done != 2 || s.Total.Files != 3 {
		t.Fatalf("groups %+v", s.Groups)
	}
	if n := eng.RetryGroup(g2); n != 0 {
		t.Fatalf("RetryGroup retried %d done jobs", n)
	}
}

// failingRemote fails the first download after `after` bytes with an error
// of its own (not a cancel), as a full disk or a lost link would.
type failingRemote struct {
	*gatedRemote
	failed bool
}

var errLink = errors.New("link lost")

func (f *failingRemote) Download(ctx context.Context, h string, w io.Writer, o filestack.DownloadOptions) (int64, error) {
	f.mu.Lock()
	f.offsets = append(f.offsets, o.Offset)
	first := !f.failed
	f.failed = true
	f.mu.Unlock()
	if first {
		w = &failWriter{w: w, left: f.after}
	}
	return f.Client.Download(ctx, h, w, o)
}

type failWriter struct {
	w    io.Writer
	left int64
}

func (f *failWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > f.left {
		n, _ := f.w.Write(p[:f.left])
		f.left -= int64(n)
		return n, errLink
	}
	n, err := f.w.Write(p)
	f.left -= int64(n)
	return n, err
}

// TestFailedDownloadRetriesFromPartialFile: a download that failed keeps
// its partial file, and Retry continues from it.
func TestFailedDownloadRetriesFromPartialFile(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(t, "dl", 2<<20)
	h := uploadDirect(t, e, "f.bin", data)
	fr := &failingRemote{gatedRemote: &gatedRemote{Client: e.client, after: 1 << 20}}
	tg := e.target()
	tg.Service = fsTarget(fr)
	eng := e.engine(transfer.Options{Target: tg})
	dir := t.TempDir()
	if _, err := eng.AddDownloads("one", dir, []transfer.RemoteFile{{Handle: h, Filename: "f.bin"}}); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "failure", allFinished)
	j := s.Jobs[0]
	if j.State != transfer.Failed || !strings.Contains(j.Err, "link lost") || j.Acked != 1<<20 || len(partials(t, dir)) != 1 {
		t.Fatalf("failed download: %+v, partial files %v", j, partials(t, dir))
	}
	if err := eng.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	j = waitFor(t, eng, "retry", allFinished).Jobs[0]
	if got, _ := os.ReadFile(j.SavedAs); j.State != transfer.Done || !bytes.Equal(got, data) {
		t.Fatalf("after retry: %+v", j)
	}
	fr.mu.Lock()
	defer fr.mu.Unlock()
	if len(fr.offsets) != 2 || fr.offsets[1] != 1<<20 {
		t.Fatalf("downloads started at %v, want the retry at %d", fr.offsets, 1<<20)
	}
}

// TestConcurrentSameNameDownloads: two files with the same name downloaded
// at once into one directory that already holds a file of that name end
// as "x (1)" and "x (2)" with their own contents, and the existing "x" is
// left alone.
func TestConcurrentSameNameDownloads(t *testing.T) {
	e := newEnv(t)
	a := uploadDirect(t, e, "x", []byte("first"))
	b := uploadDirect(t, e, "x", []byte("second"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	eng := e.engine(transfer.Options{FileConcurrency: 2})
	if _, err := eng.AddDownloads("two", dir, []transfer.RemoteFile{{Handle: a, Filename: "x"}, {Handle: b, Filename: "x"}}); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "downloads", allFinished)
	want := map[string]string{a: "first", b: "second"}
	saved := map[string]bool{}
	for _, j := range s.Jobs {
		got, err := os.ReadFile(j.SavedAs)
		if j.State != transfer.Done || err != nil || string(got) != want[j.Handle] || saved[j.SavedAs] {
			t.Fatalf("job %+v holds %q (%v)", j, got, err)
		}
		saved[j.SavedAs] = true
	}
	if !saved[filepath.Join(dir, "x (1)")] || !saved[filepath.Join(dir, "x (2)")] {
		t.Fatalf("saved as %v", saved)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "x")); string(got) != "mine" {
		t.Fatalf("existing x now holds %q", got)
	}
	if p := partials(t, dir); len(p) != 0 {
		t.Fatalf("partial files left: %q", p)
	}
}
