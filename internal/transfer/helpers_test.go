package transfer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testKey    = "TESTKEYaaaaaaaaaaaaaaa"
	testSecret = "TESTSECRETbbbbbbbbbbbbbbbbbbbbbb"
	partSize   = filestack.MinPartSize
)

var (
	testScope      = store.Scope{Endpoint: "test", KeyFP: store.Fingerprint(testKey)}
	testScopeOther = store.Scope{Endpoint: "other", KeyFP: store.Fingerprint(testKey)}
)

// env is an emulator behind a counting wrapper, a client on it, and a temp
// store.
type env struct {
	t      *testing.T
	emu    *emulator.Server
	srv    *httptest.Server
	client *filestack.Client
	ledger *store.Ledger
	count  *counter
	// intelligent makes target upload by intelligent ingestion.
	intelligent bool
}

func newEnv(t *testing.T, faults ...string) *env {
	t.Helper()
	eo := emulator.Options{DataDir: t.TempDir(), APIKeys: []string{testKey}, AppSecret: testSecret,
		MinPartSize: filestack.MinPartSize}
	for _, f := range faults {
		fault, err := emulator.ParseFault(f)
		if err != nil {
			t.Fatal(err)
		}
		eo.Faults = append(eo.Faults, fault)
	}
	emu, err := emulator.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	cnt := &counter{perUpload: map[string]int{}, maxPerUpload: map[string]int{}}
	srv := httptest.NewServer(cnt.wrap(emu))
	c, err := filestack.New(filestack.Config{APIKey: testKey, APIBase: srv.URL + "/api", UploadBase: srv.URL,
		CDNBase: srv.URL, PartSize: partSize, SimpleMax: 1 << 20,
		Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		l.Close()
		c.Close()
		srv.Close()
		emu.Close()
	})
	return &env{t: t, emu: emu, srv: srv, client: c, ledger: l, count: cnt}
}

// holdPart2 keeps every PUT of part 2 waiting (until the client gives up
// on it), so a test can act while an upload has exactly part 1 stored,
// however slow the machine. Tests clear it with e.emu.SetFaults().
const holdPart2 = "put:part=2,latency=1m"

// fsTarget is a Filestack client (or a test's wrapper of it) as the
// engine's target service.
func fsTarget(c fstarget.Client) hosts.Target { return fstarget.New(c, fstarget.Options{}) }

// target is the env's client with the store bound to the test scope.
func (e *env) target() transfer.Target {
	ts := bookkeeping.For(e.ledger, testScope)
	return transfer.Target{Service: fstarget.New(e.client, fstarget.Options{Intelligent: e.intelligent}), Journal: ts, Ledger: ts}
}

// engine makes an engine on the env that is shut down when the test ends.
func (e *env) engine(o transfer.Options) *transfer.Engine {
	if o.Target.Service == nil {
		o.Target = e.target()
	}
	eng := transfer.New(context.Background(), o)
	e.t.Cleanup(func() { eng.Shutdown(10 * time.Second) })
	return eng
}

func (e *env) download(handle string) []byte {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := e.client.Download(context.Background(), handle, &buf, filestack.DownloadOptions{}); err != nil {
		e.t.Fatalf("download %s: %v", handle, err)
	}
	return buf.Bytes()
}

// counter watches the server: concurrent part PUTs (in all and per
// upload) and the bytes it acknowledged. A PUT or store is counted as
// acknowledged before its 2xx reaches the client, so a client can never
// have seen more than the count.
type counter struct {
	mu           sync.Mutex
	puts, maxPut int
	perUpload    map[string]int
	maxPerUpload map[string]int
	acked        int64
	// onPut, when set, is called as each part PUT arrives, before the
	// server handles it, with the part's number.
	onPut func(part int)
}

func (c *counter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		put := r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/s3/")
		store := r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/store/")
		if !put && !store {
			h.ServeHTTP(w, r)
			return
		}
		id, part, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/s3/"), "/")
		if put {
			c.mu.Lock()
			onPut := c.onPut
			c.mu.Unlock()
			if onPut != nil {
				n, _ := strconv.Atoi(part)
				onPut(n)
			}
			c.mu.Lock()
			c.puts++
			c.maxPut = max(c.maxPut, c.puts)
			c.perUpload[id]++
			c.maxPerUpload[id] = max(c.maxPerUpload[id], c.perUpload[id])
			c.mu.Unlock()
			defer func() {
				c.mu.Lock()
				c.puts--
				c.perUpload[id]--
				c.mu.Unlock()
			}()
		}
		h.ServeHTTP(&ackWriter{ResponseWriter: w, c: c, n: r.ContentLength}, r)
	})
}

// Acked is what the server has acknowledged so far.
func (c *counter) Acked() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.acked
}

type ackWriter struct {
	http.ResponseWriter
	c    *counter
	n    int64
	sent bool
}

func (a *ackWriter) WriteHeader(code int) {
	if !a.sent && code/100 == 2 {
		a.c.mu.Lock()
		a.c.acked += a.n
		a.c.mu.Unlock()
	}
	a.sent = true
	a.ResponseWriter.WriteHeader(code)
}

// Unwrap lets the emulator hijack the connection (drop faults).
func (a *ackWriter) Unwrap() http.ResponseWriter { return a.ResponseWriter }

func (a *ackWriter) Write(b []byte) (int, error) {
	if !a.sent {
		a.WriteHeader(http.StatusOK)
	}
	return a.ResponseWriter.Write(b)
}

// randomBytes are n bytes seeded by the test's name and a label.
func randomBytes(t *testing.T, label string, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8(sha256.Sum256([]byte(t.Name() + "/" + label))).Read(b)
	return b
}

// writeFile writes random bytes to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, n int) (string, []byte) {
	t.Helper()
	b := randomBytes(t, name, n)
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

// waitFor takes snapshots on every wake until cond holds, failing the test
// after a bound. check runs on every snapshot seen.
func waitFor(t *testing.T, eng *transfer.Engine, what string, cond func(transfer.Snapshot) bool, check ...func(transfer.Snapshot)) transfer.Snapshot {
	t.Helper()
	return waitWithin(t, 60*time.Second, eng, what, cond, check...)
}

// waitWithin is waitFor with another bound.
func waitWithin(t *testing.T, bound time.Duration, eng *transfer.Engine, what string, cond func(transfer.Snapshot) bool, check ...func(transfer.Snapshot)) transfer.Snapshot {
	t.Helper()
	deadline := time.NewTimer(bound)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond) // wake is coalesced; also poll for state set without bytes
	defer tick.Stop()
	for {
		s := eng.Snapshot()
		for _, c := range check {
			c(s)
		}
		if cond(s) {
			return s
		}
		select {
		case <-eng.Wake():
		case <-tick.C:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s; last snapshot: %+v", what, s.Total)
		}
	}
}

// neverAheadOfServer fails the test when a snapshot claims more bytes
// than the server has acknowledged (read after the snapshot).
func neverAheadOfServer(t *testing.T, e *env) func(transfer.Snapshot) {
	return func(s transfer.Snapshot) {
		var acked int64
		for _, j := range s.Jobs {
			if j.Dir == transfer.Upload {
				acked += j.Acked
			}
		}
		if server := e.count.Acked(); acked > server {
			t.Fatalf("snapshot claims %d bytes acknowledged, the server acknowledged %d", acked, server)
		}
	}
}

// allFinished holds when no job is queued or running.
func allFinished(s transfer.Snapshot) bool {
	return s.Total.Running == 0 && s.Total.Queued == 0 && len(s.Jobs) > 0
}

func jobByName(t *testing.T, s transfer.Snapshot, name string) transfer.JobSnapshot {
	t.Helper()
	for _, j := range s.Jobs {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("no job %q in %+v", name, s.Jobs)
	return transfer.JobSnapshot{}
}

// sha256Hex is the digest the ledger must record for content b, computed
// here independently of the engine.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
