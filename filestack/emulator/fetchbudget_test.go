package emulator

import (
	"net/http"
	"net/http/httptest"
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
// while it is being fetched, processing that needs the whole budget waits.
func TestExternalPassthroughHoldsBudget(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget,
		QueueWait: 300 * time.Millisecond, NoProcessCache: true})
	entered, release := make(chan struct{}), make(chan struct{})
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		w.Write([]byte("external bytes"))
	}))
	defer src.Close()
	done := make(chan resp)
	go func() { done <- e.do("GET", "/"+key+"/"+src.URL+"/a.txt", nil) }()
	<-entered
	if e.s.mem.TryAcquire(1) {
		e.s.mem.Release(1)
		close(release)
		<-done
		t.Fatal("the budget was free while an external source was being fetched")
	}
	close(release)
	if r := <-done; r.status != http.StatusOK || string(r.body) != "external bytes" {
		t.Fatalf("passthrough: %d %s", r.status, r.body)
	}
	if !e.s.mem.TryAcquire(budget) {
		t.Fatal("the passthrough did not give its budget back")
	}
	e.s.mem.Release(budget)
}

// admitZip prices an external item at the most a fetch may hold, not at 0.
func TestZipPricesExternalItems(t *testing.T) {
	const budget = 8 << 20
	e := newTEnv(t, Options{FetchPrivate: true, MemoryBudget: budget, MaxProcessInput: budget / 2,
		QueueWait: 200 * time.Millisecond, NoProcessCache: true})
	h := e.storeRaw([]byte("stored"), "&filename=a.txt")
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ext")) }))
	defer src.Close()
	// With just over half the budget taken, a zip of a stored 6-byte file
	// fits, one with an external item (priced 2 × MaxProcessInput) waits,
	// then 503.
	if !e.s.mem.TryAcquire(budget/2 + 1) {
		t.Fatal("budget not free")
	}
	defer e.s.mem.Release(budget/2 + 1)
	if r := e.do("GET", "/"+key+"/zip/["+h+","+h+"]", nil); r.status != http.StatusOK {
		t.Fatalf("stored zip: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/"+key+"/zip/["+h+","+src.URL+"/b.txt]", nil); r.status != http.StatusServiceUnavailable {
		t.Fatalf("zip with an external item: %d %s, want 503", r.status, r.body)
	}
}
