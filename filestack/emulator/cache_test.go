package emulator

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// cacheFiles is the number and total size of cached results on disk.
func cacheFiles(t *testing.T, dir string) (n int, size int64) {
	t.Helper()
	filepath.WalkDir(filepath.Join(dir, "cache"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".json") {
			info, _ := d.Info()
			n, size = n+1, size+info.Size()
		}
		return nil
	})
	return n, size
}

// TestCacheBoundedLRU: the processing cache stays within CacheSize, and
// what was used last survives while the least recently used goes.
func TestCacheBoundedLRU(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(noise(200, 200)), "")
	get := func(w int) resp {
		r := e.do("GET", "/resize=width:"+itoa(w)+"/output=format:png/"+h, nil)
		if r.status != 200 {
			t.Fatalf("resize %d: %d %s", w, r.status, r.body)
		}
		return r
	}
	one := int64(len(get(150).body))
	e.s.cache.setMax(3*one + one/2) // room for three results of about this size
	for _, w := range []int{151, 152, 150, 153, 154} {
		get(w)
	}
	n, size := cacheFiles(t, e.dir)
	if size > 3*one+one/2 || n > 3 {
		t.Fatalf("cache holds %d files, %d bytes; bound %d", n, size, 3*one+one/2)
	}
	// 150 was used after 151 and 152: with room for three, 150, 153 and
	// 154 remain and 151 and 152 were evicted.
	for w, want := range map[int]bool{150: true, 151: false, 152: false, 153: true, 154: true} {
		key := e.s.cacheKey(h, versionOf(t, e, h), "", mustChain(t, "/resize=width:"+itoa(w)+"/output=format:png/"+h), false)
		if got := fileExists(e.s.cachePath(key)); got != want {
			t.Errorf("width %d cached = %v, want %v", w, got, want)
		}
	}
	if e.s.cache.bytes() != size {
		t.Errorf("index counts %d bytes, disk holds %d", e.s.cache.bytes(), size)
	}
}

// TestCacheEvictionKeepsOpenReaders: a result being sent when it is
// evicted is still delivered whole (on Unix the unlinked file stays
// readable; on Windows the delete waits for the next eviction).
func TestCacheEvictionKeepsOpenReaders(t *testing.T) {
	e := newTEnv(t, Options{})
	a, b := strings.Repeat("a", 64), strings.Repeat("b", 64)
	body := bytes.Repeat([]byte("0123456789"), 100_000)
	e.s.cache.setMax(int64(len(body)) + 10)
	e.s.cachePut(a, &result{body: body, mimetype: "image/png"})
	res, ok := e.s.cacheGet(a) // open, as while it is being sent
	if !ok {
		t.Fatal("no cache hit")
	}
	defer res.close()
	head := make([]byte, 10)
	io.ReadFull(res.file, head)
	e.s.cachePut(b, &result{body: body, mimetype: "image/png"}) // evicts a
	if _, ok := e.s.cacheGet(a); ok && runtime.GOOS != "windows" {
		t.Fatal("the older entry was not evicted")
	}
	rest, err := io.ReadAll(res.file)
	if got := append(head, rest...); err != nil || !bytes.Equal(got, body) {
		t.Fatalf("evicted while being read: got %d bytes (%v), want %d", len(got), err, len(body))
	}
}

// TestCacheTrimmedAtStart: a cache left larger than the bound by an earlier
// run is trimmed when the server starts.
func TestCacheTrimmedAtStart(t *testing.T) {
	dir := t.TempDir()
	e := newTEnv(t, Options{DataDir: dir})
	h := e.storeRaw(pngBytes(noise(200, 200)), "")
	for _, w := range []int{100, 110, 120, 130} {
		e.do("GET", "/resize=width:"+itoa(w)+"/"+h, nil)
	}
	_, size := cacheFiles(t, dir)
	e.s.Close()
	s, err := New(Options{DataDir: dir, APIKeys: []string{key}, CacheSize: size / 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, after := cacheFiles(t, dir); after > size/2 || after == 0 {
		t.Fatalf("cache of %d bytes with a bound of %d holds %d after a restart", size, size/2, after)
	}
}

// TestTempFilesOfDeadServersRemovedAtStart: temp files left by a killed
// server are removed when the next one starts, but not while another live
// server uses the same data directory.
func TestTempFilesOfDeadServersRemovedAtStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(dir, "tmp", "up-killed")
	os.WriteFile(left, make([]byte, 1<<20), 0o600)
	a, err := New(Options{DataDir: dir, APIKeys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	if fileExists(left) {
		t.Fatal("a temp file no live server owns survived the start")
	}
	live := filepath.Join(dir, "tmp", "up-live")
	os.WriteFile(live, []byte("uploading"), 0o600)
	b, err := New(Options{DataDir: dir, APIKeys: []string{key}})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if !fileExists(live) {
		t.Fatal("a second server removed the temp file of a live one")
	}
	a.Close()
}

// TestDroppedFaultLoggedAsDropped: a fault that cuts the connection is
// logged as dropped, not as status 200 with no bytes.
func TestDroppedFaultLoggedAsDropped(t *testing.T) {
	log := &syncBuffer{}
	e := newTEnv(t, Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	e.s.SetFaults(Fault{Endpoint: "store", Nth: 1, Drop: true})
	if res, err := http.Post(e.srv.URL+"/api/store/S3?key="+key, "text/plain", strings.NewReader("hello")); err == nil {
		res.Body.Close()
		t.Fatalf("the drop fault answered %d", res.StatusCode)
	}
	for deadline := time.Now().Add(3 * time.Second); !strings.Contains(log.String(), "request") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	reqs := e.s.Requests()
	if len(reqs) != 1 || !reqs[0].Dropped || reqs[0].Status != 0 {
		t.Fatalf("request log: %+v", reqs)
	}
	if line := log.String(); !strings.Contains(line, "status=dropped") || strings.Contains(line, "status=200") {
		t.Fatalf("log line: %s", line)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// versionOf is the content version the cache key uses for a stored file.
func versionOf(t *testing.T, e *tenv, h string) int64 {
	t.Helper()
	st, err := os.Stat(e.s.store.dataPath(h))
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime().UnixNano() ^ st.Size()
}

func mustChain(t *testing.T, p string) transform.Chain {
	t.Helper()
	c, err := transform.Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *cacheLRU) setMax(n int64) {
	c.mu.Lock()
	c.maxBytes = n
	c.mu.Unlock()
}

// syncBuffer is a log sink written by handlers and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
