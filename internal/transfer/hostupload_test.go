package transfer_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

// fakeHost is a hosting target the test steers: it reads the whole body
// (reporting progress), then waits for answer before replying, and counts
// its calls. errs are returned by the first calls, in order.
type fakeHost struct {
	caps   hosts.Capabilities
	answer chan struct{}
	mu     sync.Mutex
	calls  []time.Time
	read   []int64
	errs   []error
}

func newFakeHost(caps hosts.Capabilities) *fakeHost {
	return &fakeHost{caps: caps, answer: make(chan struct{})}
}

func (f *fakeHost) Name() string                     { return "fake" }
func (f *fakeHost) Capabilities() hosts.Capabilities { return f.caps }

func (f *fakeHost) Upload(ctx context.Context, file hosts.File, _ hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, time.Now())
	var fail error
	if len(f.errs) > 0 {
		fail, f.errs = f.errs[0], f.errs[1:]
	}
	f.mu.Unlock()
	n, err := io.Copy(io.Discard, hosts.ProgressReader(file.Body, file.Size, progress))
	f.mu.Lock()
	f.read = append(f.read, n)
	f.mu.Unlock()
	if err != nil {
		return hosts.Result{}, err
	}
	if fail != nil {
		return hosts.Result{}, fail
	}
	select {
	case <-f.answer:
	case <-ctx.Done():
		return hosts.Result{}, ctx.Err()
	}
	return hosts.Result{Target: "fake", ID: "id1", Name: file.Name, Size: n, URL: "https://fake.example/id1",
		Links: []hosts.Link{{Label: "thumb", URL: "https://fake.example/t/id1"}}}, nil
}

func (f *fakeHost) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// hostTarget binds a host to the env's ledger in the host's scope.
func (e *env) hostTarget(h hosts.Target) (transfer.Target, store.Scope) {
	sc := store.Scope{Target: h.Name(), Endpoint: "test-" + h.Name(), KeyFP: store.Fingerprint("hk")}
	ts := bookkeeping.For(e.ledger, sc)
	return transfer.Target{Service: h, Journal: ts, Ledger: ts}, sc
}

func uploadFiles(t *testing.T, paths ...string) []transfer.UploadFile {
	t.Helper()
	return transfer.Expand(paths, filepath.Dir(paths[0]), "")
}

// Nothing counts as done before the service answered: with the whole body
// read by the service and its answer held back, the job shows the bytes in
// flight and none acknowledged; the answer makes them acknowledged and
// the ledger gets the result, in the host's scope only.
func TestHostUploadAcksOnlyAfterServiceAnswers(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{})
	tg, sc := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 300_000)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "the body sent", func(s transfer.Snapshot) bool {
		return len(s.Jobs) == 1 && s.Jobs[0].InFlight == 300_000
	})
	if j := s.Jobs[0]; j.Acked != 0 || j.State != transfer.Running || j.Target != "fake" {
		t.Fatalf("before the answer: %+v", j)
	}
	close(h.answer)
	s = waitFor(t, eng, "done", allFinished)
	j := s.Jobs[0]
	if j.State != transfer.Done || j.Acked != 300_000 || j.Handle != "id1" || j.URL != "https://fake.example/id1" {
		t.Fatalf("after the answer: %+v", j)
	}
	got, err := e.ledger.List(context.Background(), sc)
	if err != nil || len(got) != 1 {
		t.Fatalf("host ledger: %v %v", got, err)
	}
	if g := got[0]; g.URL != "https://fake.example/id1" || len(g.Links) != 1 || g.Links[0].Label != "thumb" || g.Size != 300_000 || g.SHA256 == "" {
		t.Fatalf("ledger entry: %+v", g)
	}
	if fs, _ := e.ledger.List(context.Background(), testScope); len(fs) != 0 {
		t.Fatalf("host upload leaked into the Filestack scope: %v", fs)
	}
}

// A file the target cannot take fails before any byte is sent.
func TestHostUploadCapabilityRefusal(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{Kind: hosts.TextOnly})
	tg, _ := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 2000) // random bytes: not text
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "failed", allFinished).Jobs[0]
	if j.State != transfer.Failed || !strings.Contains(j.Err, "accepts text only") || !errors.Is(j.Cause, hosts.ErrRejected) {
		t.Fatalf("job: %+v", j)
	}
	if h.callCount() != 0 {
		t.Fatalf("the service was called %d times", h.callCount())
	}
	tg.UploadOptions.Expiry = time.Hour // and an option the target lacks
	h.caps = hosts.Capabilities{}
	if _, err := eng.AddUploadsTo(tg, "b", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "second failed", func(s transfer.Snapshot) bool { return allFinished(s) && len(s.Jobs) == 2 })
	if j := s.Jobs[1]; j.State != transfer.Failed || !strings.Contains(j.Err, "expiry") || h.callCount() != 0 {
		t.Fatalf("expiry refusal: %+v, calls %d", j, h.callCount())
	}
}

// Cancelling a running host upload stops it; nothing is recorded.
func TestHostUploadCancel(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{})
	tg, sc := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 1000)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "sent", func(s transfer.Snapshot) bool { return len(s.Jobs) == 1 && s.Jobs[0].InFlight == 1000 })
	if err := eng.Cancel(s.Jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "cancelled", allFinished).Jobs[0]
	if j.State != transfer.Cancelled || j.Acked != 0 {
		t.Fatalf("job: %+v", j)
	}
	if got, _ := e.ledger.List(context.Background(), sc); len(got) != 0 {
		t.Fatalf("a cancelled upload was recorded: %v", got)
	}
}

// A used-up quota is never retried; the message says what happened.
func TestHostUploadQuotaGivesUp(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{})
	h.errs = []error{&hosts.Error{Target: "fake", Kind: hosts.KindQuota, Msg: "Post limit, maximum pastes per 24h reached",
		Hint: "daily paste limit reached (free accounts: 10 per 24 h)"}}
	tg, _ := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 100)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "failed", allFinished).Jobs[0]
	want := "fake: daily paste limit reached (free accounts: 10 per 24 h) (Post limit, maximum pastes per 24h reached); try again later"
	if j.State != transfer.Failed || j.Err != want || !errors.Is(j.Cause, hosts.ErrQuota) {
		t.Fatalf("job: %+v", j)
	}
	time.Sleep(50 * time.Millisecond)
	if h.callCount() != 1 {
		t.Fatalf("quota retried: %d calls", h.callCount())
	}
}

// A rate limit is waited out as long as the service asks, a bounded
// number of times; a wait too long gives up at once.
func TestHostUploadRateLimitRespectsRetryAfter(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{})
	close(h.answer)
	const after = 300 * time.Millisecond
	h.errs = []error{&hosts.Error{Target: "fake", Kind: hosts.KindRateLimit, Status: 429, Msg: "slow down", RetryAfter: after}}
	tg, _ := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 100)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "done", allFinished).Jobs[0]
	if j.State != transfer.Done || j.Retries != 1 || !strings.Contains(j.LastRetry, "slow down") {
		t.Fatalf("job: %+v", j)
	}
	h.mu.Lock()
	gap := h.calls[1].Sub(h.calls[0])
	h.mu.Unlock()
	if gap < after {
		t.Fatalf("retried after %s, the service asked for %s", gap, after)
	}

	h.errs = []error{&hosts.Error{Target: "fake", Kind: hosts.KindRateLimit, Status: 429, Msg: "slow down", RetryAfter: time.Hour}}
	if _, err := eng.AddUploadsTo(tg, "b", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "second", func(s transfer.Snapshot) bool { return allFinished(s) && len(s.Jobs) == 2 })
	if j := s.Jobs[1]; j.State != transfer.Failed || !errors.Is(j.Cause, hosts.ErrRateLimit) || !strings.Contains(j.Err, "try again later") {
		t.Fatalf("long wait: %+v", j)
	}
	if h.callCount() != 3 {
		t.Fatalf("calls: %d, want 3 (the hour-long wait is not attempted again)", h.callCount())
	}
}

// A real client over HTTP: the Pastebin emulator, mounted as fsdeck
// serve mounts it; the paste URL serves the exact bytes.
func TestHostUploadToPastebinEmulator(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(builtin.Mount(http.NotFoundHandler(), []string{"pk"}, t.TempDir(), nil))
	defer srv.Close()
	r := builtin.Registry()
	in, _ := r.Info("pastebin")
	h, err := r.New("pastebin", hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "pk", MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	eng := e.engine(transfer.Options{})
	tg, sc := e.hostTarget(h)
	text := "line one\nline two ✓\n"
	p := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.AddUploadsTo(tg, "n", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "done", allFinished).Jobs[0]
	if j.State != transfer.Done || j.Target != "pastebin" || !strings.HasPrefix(j.URL, srv.URL+"/pastebin/") {
		t.Fatalf("job: %+v", j)
	}
	got, _ := e.ledger.List(context.Background(), sc)
	if len(got) != 1 || got[0].URL != j.URL || got[0].Handle != j.Handle {
		t.Fatalf("ledger: %+v", got)
	}
	resp, err := http.Get(srv.URL + "/pastebin/raw/" + j.Handle)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != text {
		t.Fatalf("raw paste %q, want %q", b, text)
	}
}

// AddUploadsTo refuses an incomplete target; AddUploads keeps the
// engine's own target.
func TestAddUploadsToNeedsAJournalAndLedger(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	if _, err := eng.AddUploadsTo(transfer.Target{Service: newFakeHost(hosts.Capabilities{})}, "x", nil); !errors.Is(err, transfer.ErrNoTarget) {
		t.Fatalf("err = %v", err)
	}
}

// Pausing a host upload stops it with nothing acknowledged; resuming
// sends the whole file again (host uploads cannot continue).
func TestHostUploadPauseSendsAgain(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	h := newFakeHost(hosts.Capabilities{})
	tg, sc := e.hostTarget(h)
	p, _ := writeFile(t, t.TempDir(), "a.bin", 5000)
	if _, err := eng.AddUploadsTo(tg, "a", uploadFiles(t, p)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "sent", func(s transfer.Snapshot) bool { return len(s.Jobs) == 1 && s.Jobs[0].InFlight == 5000 })
	id := s.Jobs[0].ID
	if err := eng.Pause(id); err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, eng, "paused", func(s transfer.Snapshot) bool { return s.Jobs[0].State == transfer.Paused }).Jobs[0]
	if j.Acked != 0 || j.InFlight != 0 {
		t.Fatalf("paused: %+v", j)
	}
	if got, _ := e.ledger.List(context.Background(), sc); len(got) != 0 {
		t.Fatalf("a paused upload was recorded: %v", got)
	}
	close(h.answer)
	if err := eng.Resume(id); err != nil {
		t.Fatal(err)
	}
	j = waitFor(t, eng, "done", allFinished).Jobs[0]
	h.mu.Lock()
	read := append([]int64(nil), h.read...)
	h.mu.Unlock()
	if j.State != transfer.Done || j.Acked != 5000 || len(read) != 2 || read[1] != 5000 {
		t.Fatalf("after resume: %+v, bodies read %v", j, read)
	}
}
