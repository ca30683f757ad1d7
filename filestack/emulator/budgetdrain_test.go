package emulator

import (
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Every path through admission, the ones that fail included, gives back
// all it took: after a run of requests that succeed, fail to fetch, fail
// to decode, are too dear, fall back or are debugged, the whole memory
// budget and every processing slot can be taken again.
func TestBudgetComesBackOnEveryPath(t *testing.T) {
	const budget = 16 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget / 2,
		QueueWait: 100 * time.Millisecond, NoProcessCache: true})
	img := pngBytes(quadrants(16, 12))
	h := e.storeRaw(img, "&filename=q.png")
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(img)
		case "/huge.png":
			// A valid header announcing far more pixels than the budget.
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngHeader(60000, 60000))
		case "/dear.png":
			// Within the pixel limit, but more than the whole budget.
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngHeader(4000, 4000))
		case "/half.png":
			// About half the budget once decoded.
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngHeader(1500, 1500))
		case "/big":
			w.Write(make([]byte, budget/2+1))
		case "/junk.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("not an image at all"))
		case "/redirect":
			http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer src.Close()
	paths := []string{
		"/" + key + "/" + src.URL + "/ok.png",
		"/" + key + "/resize=w:4/" + src.URL + "/ok.png",
		"/" + key + "/resize=w:4/" + src.URL + "/missing.png",
		"/" + key + "/" + src.URL + "/missing.png",
		"/" + key + "/resize=w:4/" + src.URL + "/huge.png",
		"/" + key + "/resize=w:4/" + src.URL + "/dear.png",
		"/" + key + "/resize=w:4/" + src.URL + "/big",
		"/" + key + "/" + src.URL + "/big",
		"/" + key + "/resize=w:4/" + src.URL + "/junk.png",
		"/" + key + "/resize=w:4/" + src.URL + "/redirect",
		"/" + key + "/resize=w:4/fallback=handle:" + h + "/" + src.URL + "/junk.png",
		"/" + key + "/resize=w:4/fallback=handle:" + h + "/" + src.URL + "/missing.png",
		"/" + key + "/debug/resize=w:4/" + src.URL + "/ok.png",
		"/" + key + "/debug/" + src.URL + "/ok.png",
		"/" + key + "/debug/resize=w:4/" + src.URL + "/huge.png",
		"/" + key + "/zip/[" + h + "," + src.URL + "/ok.png]",
		"/" + key + "/zip/[" + h + "," + src.URL + "/missing.png]",
		"/resize=w:4/" + h,
		"/resize=w:4/fallback=handle:" + h + "/" + h,
		"/" + key + "/debug/resize=w:4/" + h,
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "HEAD"} {
			r := e.do(m, p, nil)
			if r.status == 0 || r.status >= 500 {
				t.Errorf("%s %s: %d %s", m, p, r.status, truncate(string(r.body), 200))
			}
		}
	}
	if r := e.postJSON("/process", map[string]any{"apikey": key, "sources": []string{src.URL + "/missing.png"},
		"tasks": []any{map[string]any{"name": "store"}}}); r.status == 0 {
		t.Error("/process: no answer")
	}
	// With half the budget taken, the fetch's reservation fits but the
	// decoded image's does not: the wait to settle it ends in 503.
	if !e.s.mem.TryAcquire(budget / 2) {
		t.Fatal("budget not free")
	}
	if r := e.do("GET", "/"+key+"/resize=w:4/"+src.URL+"/half.png", nil); r.status != http.StatusServiceUnavailable {
		t.Errorf("half.png with half the budget taken: %d %s, want 503", r.status, truncate(string(r.body), 200))
	}
	e.s.mem.Release(budget / 2)
	if !e.s.mem.TryAcquire(budget) {
		t.Fatal("some memory budget was never given back")
	}
	e.s.mem.Release(budget)
	for range cap(e.s.procSem) {
		select {
		case e.s.procSem <- struct{}{}:
		default:
			t.Fatal("a processing slot was never given back")
		}
	}
}

// pngHeader is the start of a PNG file: signature and IHDR chunk, enough
// for image.DecodeConfig.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 17)
	copy(ihdr, "IHDR")
	binary.BigEndian.PutUint32(ihdr[4:], w)
	binary.BigEndian.PutUint32(ihdr[8:], h)
	ihdr[12], ihdr[13] = 8, 6 // 8-bit RGBA
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
	return b
}
