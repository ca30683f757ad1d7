package imgbb

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// boot starts an emulator on dir, as a server (re)start does.
func boot(t *testing.T, opts EmulatorOptions) (*httptest.Server, *Client) {
	t.Helper()
	opts.Keys, opts.Prefix = []string{testKey}, "/imgbb"
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	c, err := New(hosts.Config{BaseURL: srv.URL + "/imgbb", Key: testKey, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func fetch(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// Images, names and expiry survive a restart: the bytes are served
// exactly by a new emulator on the same directory, and an expiry keeps
// counting across it.
func TestImagesSurviveARestartAndExpireAfterIt(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, c := boot(t, EmulatorOptions{Dir: dir, Now: clk.now})
	data := pngBytes(t, 20, 10)
	up := func(c *Client, exp time.Duration) hosts.Result {
		res, err := c.Upload(context.Background(), hosts.File{Name: "kept.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{Expiry: exp}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	short, long := up(c, 120*time.Second), up(c, 0)
	srv.Close()

	clk.add(60 * time.Second)
	srv2, _ := boot(t, EmulatorOptions{Dir: dir, Now: clk.now})
	moved := func(u string) string { return strings.Replace(u, srv.URL, srv2.URL, 1) }
	for _, u := range []string{short.URL, long.URL} {
		if code, b := fetch(t, moved(u)); code != http.StatusOK || !bytes.Equal(b, data) {
			t.Fatalf("after a restart %s: HTTP %d, %d bytes", u, code, len(b))
		}
	}
	if !strings.HasSuffix(long.URL, "/kept.png") {
		t.Fatalf("name lost: %s", long.URL)
	}
	srv2.Close()

	clk.add(61 * time.Second) // past the 120 s expiry, counted across restarts
	srv3, _ := boot(t, EmulatorOptions{Dir: dir, Now: clk.now})
	moved = func(u string) string { return strings.Replace(u, srv.URL, srv3.URL, 1) }
	if code, _ := fetch(t, moved(short.URL)); code != http.StatusNotFound {
		t.Fatalf("expired image after a restart: HTTP %d", code)
	}
	if code, b := fetch(t, moved(long.URL)); code != http.StatusOK || !bytes.Equal(b, data) {
		t.Fatalf("unexpiring image: HTTP %d", code)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "files"))
	if len(ents) != 1 {
		t.Fatalf("the expired image's bytes are still on disk: %d files", len(ents))
	}
}

// A corrupt state file is logged and set aside; the emulator starts, takes
// new uploads, and the stored bytes stay on disk.
func TestCorruptStateStartsAndKeepsBytes(t *testing.T) {
	dir := t.TempDir()
	srv, c := boot(t, EmulatorOptions{Dir: dir})
	data := pngBytes(t, 4, 4)
	old, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := os.WriteFile(filepath.Join(dir, "state.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	srv2, c2 := boot(t, EmulatorOptions{Dir: dir, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if !strings.Contains(logged.String(), "state is unreadable") {
		t.Fatalf("nothing logged: %q", logged.String())
	}
	// What it can: the image is still served at its link.
	if code, b := fetch(t, strings.Replace(old.URL, srv.URL, srv2.URL, 1)); code != http.StatusOK || !bytes.Equal(b, data) {
		t.Fatalf("the image after a corrupt state: HTTP %d", code)
	}
	if _, err := c2.Upload(context.Background(), hosts.File{Name: "b.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil); err != nil {
		t.Fatalf("upload after a corrupt state: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "files"))
	aside, _ := filepath.Glob(filepath.Join(dir, "state.json.corrupt-*"))
	if len(ents) != 2 || len(aside) != 1 {
		t.Fatalf("stored files %d (want the old one kept and the new one), state set aside %v", len(ents), aside)
	}
}

// Past the disk quota an upload is refused with ImgBB's error shape, and
// nothing stored is evicted for it.
func TestQuotaRefusesAndEvictsNothing(t *testing.T) {
	data := pngBytes(t, 30, 30)
	q := hosts.NewQuota(int64(len(data))*3/2 + 1)
	srv, c := boot(t, EmulatorOptions{Dir: t.TempDir(), Quota: q})
	first, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	code, m := postFile(t, srv, data)
	if code != http.StatusBadRequest || !strings.Contains(errMsg(m), "Storage full") {
		t.Fatalf("over the quota: %d %v", code, m)
	}
	if code, b := fetch(t, first.URL); code != http.StatusOK || !bytes.Equal(b, data) {
		t.Fatalf("the stored image was evicted: HTTP %d", code)
	}
	if q.Used() != int64(len(data)) {
		t.Fatalf("quota counts %d bytes, want %d", q.Used(), len(data))
	}
}
