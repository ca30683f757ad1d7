package emulator

import (
	"bytes"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// removeSubdirs deletes what matches pattern under the data dir, as
// someone cleaning it by hand while the server runs would.
func removeSubdirs(t *testing.T, dir, pattern string) {
	t.Helper()
	ms, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil || len(ms) == 0 {
		t.Fatalf("nothing matches %s: %v", pattern, err)
	}
	for _, m := range ms {
		if err := os.RemoveAll(m); err != nil {
			t.Fatal(err)
		}
	}
}

// A data dir cleaned while the server runs (rm -rf files/*/ tmp) does not
// break it: a multipart upload whose parts were already sent completes,
// and later uploads (which go through tmp/) are stored and readable.
func TestCleanedDataDirKeepsWorking(t *testing.T) {
	e := newTEnv(t, Options{})
	p1, p2 := bytes.Repeat([]byte("a"), 2000), []byte("tail")
	m := e.mpStart(len(p1)+len(p2), nil)
	etags := map[int]string{}
	for n, d := range map[int][]byte{1: p1, 2: p2} {
		r := m.part(n, d, nil)
		if r.status != 200 {
			t.Fatalf("PUT %d: %d %s", n, r.status, r.body)
		}
		etags[n] = r.header.Get("ETag")
	}
	removeSubdirs(t, e.dir, "files/*")
	removeSubdirs(t, e.dir, "tmp")
	r := m.complete(etagsBody(len(p1)+len(p2), etags))
	if r.status != 200 {
		t.Fatalf("complete after the data dir was cleaned: %d %s", r.status, r.body)
	}
	h := r.json(t)["handle"].(string)
	if got := e.do("GET", "/"+h, nil); !bytes.Equal(got.body, append(append([]byte{}, p1...), p2...)) {
		t.Fatalf("completed file reads %d %q", got.status, truncate(string(got.body), 40))
	}
	removeSubdirs(t, e.dir, "files")
	if err := os.RemoveAll(filepath.Join(e.dir, "tmp")); err != nil {
		t.Fatal(err)
	}
	h2 := e.storeRaw([]byte("after the cleaning"), "&filename=b.txt")
	if got := e.do("GET", "/"+h2, nil); string(got.body) != "after the cleaning" {
		t.Fatalf("stored file reads %d %q", got.status, got.body)
	}
	// Without sessions/ and cache/, new uploads and processing go on too.
	removeSubdirs(t, e.dir, "sessions")
	removeSubdirs(t, e.dir, "cache")
	m = e.mpStart(len(p1)+len(p2), nil)
	for n, d := range map[int][]byte{1: p1, 2: p2} {
		etags[n] = m.part(n, d, nil).header.Get("ETag")
	}
	if r := m.complete(etagsBody(len(p1)+len(p2), etags)); r.status != 200 {
		t.Fatalf("upload without sessions/: %d %s", r.status, r.body)
	}
	img := e.storeRaw(pngBytes(quadrants(8, 8)), "&filename=q.png")
	for range 2 { // computed, then from the cache
		if r := e.do("GET", "/flip/"+img, nil); r.status != 200 {
			t.Fatalf("processing without cache/: %d %s", r.status, r.body)
		}
	}
	if n, _ := cacheFiles(t, e.dir); n == 0 {
		t.Fatal("nothing was cached after cache/ was removed")
	}
}

// An internal error answers without the server's paths; the log line of
// the request has them. A disk failure while storing a body is an
// internal error too, not a 400 blaming the request body.
func TestInternalErrorHidesPaths(t *testing.T) {
	log := &syncBuffer{}
	e := newTEnv(t, Options{Logger: slog.New(slog.NewTextHandler(log, nil))})
	hidden := func(what string, r resp, want int) {
		t.Helper()
		if r.status != want || !strings.Contains(string(r.body), "internal error") {
			t.Fatalf("%s: %d %s", what, r.status, r.body)
		}
		if strings.Contains(string(r.body), e.dir) {
			t.Fatalf("%s: the answer shows server paths: %s", what, r.body)
		}
	}
	// The parts are in, then the session's data file goes: complete fails.
	p1, p2 := bytes.Repeat([]byte("a"), 2000), []byte("tail")
	m := e.mpStart(len(p1)+len(p2), nil)
	etags := map[int]string{}
	for n, d := range map[int][]byte{1: p1, 2: p2} {
		etags[n] = m.part(n, d, nil).header.Get("ETag")
	}
	removeSubdirs(t, e.dir, "sessions/*/data")
	hidden("complete without its data file", m.complete(etagsBody(len(p1)+len(p2), etags)), http.StatusInternalServerError)
	// tmp/ replaced by a plain file: no temp file can be made there.
	removeSubdirs(t, e.dir, "tmp")
	if err := os.WriteFile(filepath.Join(e.dir, "tmp"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.do("POST", "/api/store/S3?key="+key, strings.NewReader("data"), "Content-Type", "application/octet-stream")
	hidden("store without a tmp directory", r, http.StatusInternalServerError)
	for deadline := time.Now().Add(3 * time.Second); strings.Count(log.String(), "status=500") < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	for _, p := range []string{filepath.Join(e.dir, "sessions"), filepath.Join(e.dir, "tmp")} {
		if !strings.Contains(log.String(), p) {
			t.Fatalf("the log does not name %s:\n%s", p, log.String())
		}
	}
}
