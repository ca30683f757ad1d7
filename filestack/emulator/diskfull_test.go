package emulator

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// fullDisk makes the store's data writes fail with ENOSPC (after writing
// half of what they were given, as a real file system may) while full
// says so.
func fullDisk(e *tenv, full func() bool) {
	e.s.store.fileWrite = func(f *os.File, p []byte, off int64) (int, error) {
		if full() {
			n := len(p) / 2
			if off < 0 {
				f.Write(p[:n])
			} else {
				f.WriteAt(p[:n], off)
			}
			return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
		}
		if off < 0 {
			return f.Write(p)
		}
		return f.WriteAt(p, off)
	}
}

// A part the server cannot write for a full disk is answered 507 with a
// message that says so and Retry-After, never 400 IncompleteBody (which
// blames the client's connection); once there is room, the same part goes
// in and the upload completes byte-exact.
func TestPartPutOnFullDiskIs507(t *testing.T) {
	e := newTEnv(t, Options{})
	var full atomic.Bool
	full.Store(true)
	fullDisk(e, full.Load)
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	m := e.mpStart(len(data), nil)
	r := m.part(1, data, nil)
	if r.status != 507 || !strings.Contains(string(r.body), "<Code>InsufficientStorage</Code>") ||
		!strings.Contains(string(r.body), "the server's disk is full") || r.header.Get("Retry-After") == "" {
		t.Fatalf("part PUT on a full disk: %d %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	full.Store(false)
	r = m.part(1, data, nil)
	if r.status != 200 {
		t.Fatalf("part PUT with room: %d %s", r.status, r.body)
	}
	c := m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": r.header.Get("ETag")}}})
	if c.status != 200 {
		t.Fatalf("complete: %d %s", c.status, c.body)
	}
	u := c.json(t)["url"].(string)
	if got := e.do("GET", u[len(e.srv.URL):], nil); !bytes.Equal(got.body, data) {
		t.Fatal("stored bytes differ")
	}
}

// A simple store on a full disk answers 507 in the File API's shape, and
// leaves no temp file behind.
func TestStoreOnFullDiskIs507(t *testing.T) {
	e := newTEnv(t, Options{})
	fullDisk(e, func() bool { return true })
	r := e.do("POST", "/api/store/S3?key="+key, bytes.NewReader(make([]byte, 100_000)), "Content-Type", "application/octet-stream")
	if r.status != 507 || !strings.Contains(string(r.body), "the server's disk is full") || r.header.Get("Retry-After") != "30" {
		t.Fatalf("store on a full disk: %d %v %s", r.status, r.header, r.body)
	}
	if ents, _ := os.ReadDir(filepath.Join(e.dir, "tmp")); len(ents) != 0 {
		t.Fatalf("left in tmp/: %v", ents)
	}
}

// clockAt is a settable clock for Options.Now.
type clockAt struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clockAt) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clockAt) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// When a write finds the disk full, the server makes room and tries
// again: the processing cache goes first, then multipart uploads idle for
// a minute or more, the oldest first; an upload active within the minute
// is kept, and with nothing left to free the answer is 507.
func TestFullDiskMakesRoomOldestFirst(t *testing.T) {
	clock := &clockAt{t: time.Now()}
	e := newTEnv(t, Options{Now: clock.now})
	part := bytes.Repeat([]byte{7}, 4096)
	start := func() (mp, string) {
		m := e.mpStart(len(part)*2, nil)
		if r := m.part(1, part, nil); r.status != 200 {
			t.Fatalf("part: %d %s", r.status, r.body)
		}
		return m, filepath.Join(e.dir, "sessions", m.start["upload_id"].(string))
	}
	_, oldest := start()
	clock.add(5 * time.Minute)
	_, older := start()
	clock.add(5 * time.Minute)
	_, fresh := start()
	clock.add(30 * time.Second)

	// A cached transformation, which a full disk drops first.
	img := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 64, 48))), "")
	if r := e.do("GET", "/resize=width:32/"+img, nil); r.status != 200 {
		t.Fatalf("transform: %d %s", r.status, r.body)
	}
	cached := func() bool { m, _ := filepath.Glob(filepath.Join(e.dir, "cache", "*", "*.json")); return len(m) > 0 }
	if !cached() {
		t.Fatal("no cache entry to drop")
	}
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }

	fullDisk(e, cached)
	e.storeRaw([]byte("needs room"), "")
	if cached() || !exists(oldest) || !exists(older) {
		t.Fatalf("the cache should have gone first (cache %v, oldest %v, older %v)", cached(), exists(oldest), exists(older))
	}

	fullDisk(e, func() bool { return exists(older) })
	e.storeRaw([]byte("needs room"), "")
	if exists(oldest) || exists(older) || !exists(fresh) {
		t.Fatalf("idle uploads oldest first, up to the room needed: oldest %v, older %v, fresh %v", exists(oldest), exists(older), exists(fresh))
	}

	fullDisk(e, func() bool { return exists(fresh) })
	r := e.do("POST", "/api/store/S3?key="+key, bytes.NewReader([]byte("no room")), "Content-Type", "application/octet-stream")
	if r.status != 507 || !exists(fresh) {
		t.Fatalf("an upload active within the minute is kept: %d %s, fresh %v", r.status, r.body, exists(fresh))
	}
}

// Whatever write fails for space (a session file, metadata, a rename's
// directory entry) is answered 507; a disk failing otherwise is 500.
func TestNoSpaceErrorsAre507(t *testing.T) {
	if ae := asAPIError(&os.PathError{Op: "open", Path: "/x", Err: syscall.ENOSPC}); ae.status != 507 || ae.retryAfter == 0 {
		t.Fatalf("ENOSPC maps to %d", ae.status)
	}
	if ae := asAPIError(&os.PathError{Op: "write", Path: "/x", Err: syscall.EDQUOT}); ae.status != 507 {
		t.Fatalf("EDQUOT maps to %d", ae.status)
	}
	if ae := asAPIError(diskError{&os.PathError{Op: "write", Path: "/x", Err: syscall.EIO}}); ae.status != 500 {
		t.Fatalf("EIO maps to %d", ae.status)
	}
}
