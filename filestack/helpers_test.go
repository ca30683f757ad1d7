package filestack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

const (
	testKey    = "TESTKEYaaaaaaaaaaaaaaa"
	testSecret = "TESTSECRETbbbbbbbbbbbbbbbbbbbbbb"
)

// env is a client wired to an emulator over real HTTP.
type env struct {
	t   *testing.T
	emu *emulator.Server
	srv *httptest.Server
	c   *Client
}

func newEnv(t *testing.T, eo emulator.Options, cfg Config) *env {
	t.Helper()
	if eo.DataDir == "" {
		eo.DataDir = t.TempDir()
	}
	eo.FetchPrivate = true // store-from-URL tests fetch from httptest servers
	if eo.APIKeys == nil {
		eo.APIKeys = []string{testKey}
	}
	if eo.AppSecret == "" {
		eo.AppSecret = testSecret
	}
	if eo.MinPartSize == 0 {
		eo.MinPartSize = MinPartSize
	}
	emu, err := emulator.New(eo)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	cfg.APIBase, cfg.UploadBase, cfg.CDNBase = srv.URL+"/api", srv.URL, srv.URL
	if cfg.Retry.Base == 0 {
		cfg.Retry.Base = 5 * time.Millisecond
		cfg.Retry.Max = 50 * time.Millisecond
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		srv.Close()
		emu.Close()
	})
	return &env{t: t, emu: emu, srv: srv, c: c}
}

// randomFile writes n random bytes to a temp file.
func randomFile(t *testing.T, n int) (string, []byte) {
	t.Helper()
	// Seeded by the test's name: the bytes differ between tests but a
	// failure reproduces on the next run.
	b := make([]byte, n)
	rand.NewChaCha8(sha256.Sum256([]byte(t.Name()))).Read(b)
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p, b
}

func (e *env) download(handle string) []byte {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := e.c.Download(context.Background(), handle, &buf, DownloadOptions{}); err != nil {
		e.t.Fatalf("download %s: %v", handle, err)
	}
	return buf.Bytes()
}

// events collects progress events safely.
type events struct {
	mu  sync.Mutex
	all []Event
}

func (ev *events) add(e Event) {
	ev.mu.Lock()
	ev.all = append(ev.all, e)
	ev.mu.Unlock()
}

func (ev *events) list() []Event {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	return append([]Event(nil), ev.all...)
}
