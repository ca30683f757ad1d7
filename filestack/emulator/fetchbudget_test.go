package emulator

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// A slow external source is not a busy server: the fetch does not count
// against the queue wait, so a source taking longer than QueueWait to
// arrive is processed, not answered 503.
func TestSlowExternalSourceIsNotBusy(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true, QueueWait: 200 * time.Millisecond, NoProcessCache: true})
	img := pngBytes(quadrants(40, 30))
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(600 * time.Millisecond)
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer src.Close()
	if r := e.do("GET", "/"+key+"/resize=width:10/"+src.URL+"/a.png", nil); r.status != http.StatusOK {
		t.Fatalf("slow source: %d %s", r.status, r.body)
	}
}

// An external source passed through unchanged is held in memory until it
// is written, so it holds its share of the memory budget until then:
// the bytes received count while it is fetched, and the whole body while
// it goes out to a slow client.
func TestExternalPassthroughHoldsBudget(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget,
		QueueWait: 300 * time.Millisecond, NoProcessCache: true})
	body := bytes.Repeat([]byte("external bytes "), 100_000) // 1.5 MB
	const first = 1 << 20
	release := make(chan struct{})
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(body[:first])
		w.(http.Flusher).Flush()
		<-release
		w.Write(body[first:])
	}))
	defer src.Close()
	done := make(chan resp)
	go func() { done <- e.do("GET", "/"+key+"/"+src.URL+"/a.txt", nil) }()
	// Once the first MiB is in, it holds at least that much.
	waitHeld(t, e, first)
	close(release)
	if r := <-done; r.status != http.StatusOK || !bytes.Equal(r.body, body) {
		t.Fatalf("passthrough: %d %d bytes", r.status, len(r.body))
	}
	// Written slowly, the body holds its size until the last byte is out.
	e.s.SetFaults(Fault{Endpoint: "cdn", BytesPerSecond: 2 << 20})
	holdsWhileWriting(t, e, "/"+key+"/"+src.URL+"/a.txt", budget)
}

// waitHeld waits until at least n bytes of the memory budget are taken.
func waitHeld(t *testing.T, e *tenv, n int64) {
	t.Helper()
	budget := e.s.opts.MemoryBudget
	for deadline := time.Now().Add(5 * time.Second); ; {
		if !e.s.mem.TryAcquire(budget - n + 1) {
			return
		}
		e.s.mem.Release(budget - n + 1)
		if time.Now().After(deadline) {
			t.Fatalf("%d bytes of the budget were never taken", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// holdsWhileWriting GETs path, whose body the server writes slowly (a
// throttle fault), and checks that while it is being written the memory
// budget holds at least its size; once written, all of it is free.
func holdsWhileWriting(t *testing.T, e *tenv, path string, budget int64) {
	t.Helper()
	res, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.ContentLength < 256<<10 {
		t.Fatalf("%s: %d with %d bytes; the test needs a large body", path, res.StatusCode, res.ContentLength)
	}
	// The headers are out, most of the body is not: its share is held.
	if e.s.mem.TryAcquire(budget - res.ContentLength + 1) {
		e.s.mem.Release(budget - res.ContentLength + 1)
		t.Fatalf("%s: the budget was free for more than all but the %d-byte body being written", path, res.ContentLength)
	}
	if n, err := io.Copy(io.Discard, res.Body); err != nil || n != res.ContentLength {
		t.Fatalf("%s: read %d of %d: %v", path, n, res.ContentLength, err)
	}
	for deadline := time.Now().Add(3 * time.Second); !e.s.mem.TryAcquire(budget); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the budget was not given back after the body was written", path)
		}
	}
	e.s.mem.Release(budget)
}

// A processed result and a zip are held in memory until written, like a
// passthrough: their share of the budget is held until then, not given
// back when the work is done.
func TestResultsHoldBudgetUntilWritten(t *testing.T) {
	const budget = 32 << 20
	e := newTEnv(t, Options{MemoryBudget: budget, MaxProcessInput: budget / 2, NoProcessCache: true})
	img := pngBytes(noise(512, 512)) // incompressible: about 1 MiB as PNG
	h := e.storeRaw(img, "&filename=n.png")
	h2 := e.storeRaw(img, "&filename=m.png")
	e.s.SetFaults(Fault{Endpoint: "cdn", BytesPerSecond: 2 << 20})
	t.Run("processed", func(t *testing.T) { holdsWhileWriting(t, e, "/rotate=deg:180/"+h, budget) })
	t.Run("zip", func(t *testing.T) { holdsWhileWriting(t, e, "/"+key+"/zip/["+h+","+h2+"]", budget) })
}

// A slow external source holds only what it has sent, not the most a
// fetch may hold: while two sources trickle (one with a Content-Length,
// one without) processing of other files goes on instead of being
// refused as busy.
func TestSlowExternalSourcesHoldLittle(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget / 2,
		QueueWait: 300 * time.Millisecond, NoProcessCache: true})
	img := pngBytes(quadrants(40, 30))
	h := e.storeRaw(img, "&filename=q.png")
	var started sync.WaitGroup
	started.Add(2)
	release := make(chan struct{})
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sized.png" {
			w.Header().Set("Content-Length", strconv.Itoa(len(img)))
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(img[:20])
		w.(http.Flusher).Flush()
		started.Done()
		<-release
		w.Write(img[20:])
	}))
	defer src.Close()
	done := make(chan resp, 2)
	for _, p := range []string{"/sized.png", "/chunked.png"} {
		go func() { done <- e.do("GET", "/"+key+"/resize=width:10/"+src.URL+p, nil) }()
	}
	started.Wait()
	r := e.do("GET", "/resize=width:10/"+h, nil)
	close(release)
	for range 2 {
		if r := <-done; r.status != http.StatusOK {
			t.Errorf("slow source: %d %s", r.status, r.body)
		}
	}
	if r.status != http.StatusOK {
		t.Fatalf("processing while two sources trickle in: %d %s", r.status, r.body)
	}
}

// The budget is never exceeded: with all but a little of it taken, a
// source that needs more waits for it and is refused as busy.
func TestFetchWaitsForBudget(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget / 2,
		QueueWait: 200 * time.Millisecond, NoProcessCache: true})
	body := make([]byte, 1<<20)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sized" {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		w.Write(body)
	}))
	defer src.Close()
	const taken = budget - 256<<10
	if !e.s.mem.TryAcquire(taken) {
		t.Fatal("budget not free")
	}
	for _, p := range []string{"/sized", "/chunked"} {
		if r := e.do("GET", "/"+key+"/"+src.URL+p, nil); r.status != http.StatusServiceUnavailable {
			t.Errorf("%s with the budget taken: %d %s, want 503", p, r.status, truncate(string(r.body), 100))
		}
	}
	e.s.mem.Release(taken)
	if !e.s.mem.TryAcquire(budget) {
		t.Fatal("a refused fetch kept some of the budget")
	}
	e.s.mem.Release(budget)
	if r := e.do("GET", "/"+key+"/"+src.URL+"/chunked", nil); r.status != http.StatusOK || len(r.body) != len(body) {
		t.Fatalf("with the budget free: %d, %d bytes", r.status, len(r.body))
	}
}

// A zip's external item is priced as it arrives (twice, for the source and
// its share of the archive), not at the most a fetch may hold: with just
// over half the budget taken a zip with a small external item is made,
// while one whose external item needs more than is left waits, then 503.
func TestZipPricesExternalItems(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget / 2,
		QueueWait: 200 * time.Millisecond, NoProcessCache: true})
	h := e.storeRaw([]byte("stored"), "&filename=a.txt")
	big := make([]byte, 1<<20)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big.bin" {
			w.Write(big)
			return
		}
		w.Write([]byte("ext"))
	}))
	defer src.Close()
	if !e.s.mem.TryAcquire(budget/2 + 1) {
		t.Fatal("budget not free")
	}
	if r := e.do("GET", "/"+key+"/zip/["+h+","+src.URL+"/b.txt]", nil); r.status != http.StatusOK {
		t.Errorf("zip with a small external item: %d %s", r.status, r.body)
	}
	// 1 MiB fetched needs 2 MiB in all; 1.5 MiB is left.
	if !e.s.mem.TryAcquire(budget/2 - 3<<19) {
		t.Fatal("budget not free")
	}
	if r := e.do("GET", "/"+key+"/zip/["+h+","+src.URL+"/big.bin]", nil); r.status != http.StatusServiceUnavailable {
		t.Errorf("zip with a large external item and 1.5 MiB free: %d %s, want 503", r.status, truncate(string(r.body), 100))
	}
	e.s.mem.Release(budget - 3<<19 + 1)
	if !e.s.mem.TryAcquire(budget) {
		t.Fatal("a zip kept some of the budget")
	}
	e.s.mem.Release(budget)
}
