package emulator

import (
	"context"
	"crypto/rand"
	"image"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// allocatedDuring is the heap allocated (by every goroutine) while f runs.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestStepOverPixelLimitRefusedBeforeWork: a tiny PNG upscaled and then
// bordered past the pixel limit is refused from the plan, before the
// upscale allocates anything.
func TestStepOverPixelLimitRefusedBeforeWork(t *testing.T) {
	e := newTEnv(t, Options{MaxImagePixels: 4_000_000, NoProcessCache: true})
	h := e.storeRaw(pngBytes(quadrants(4, 4)), "")
	var r resp
	alloc := allocatedDuring(func() {
		r = e.do("GET", "/resize=width:1900,height:1900,fit:scale/border=width:100/"+h, nil)
	})
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "border") {
		t.Fatalf("want 400 naming border, got %d %s", r.status, r.body)
	}
	if alloc > 8<<20 {
		t.Fatalf("refusing the chain allocated %d MiB: the upscale ran before the check", alloc>>20)
	}
}

// TestPlanDimsMatchTasks: the planner's geometry is the tasks' geometry.
func TestPlanDimsMatchTasks(t *testing.T) {
	img := quadrants(300, 200)
	for _, spec := range []string{
		"resize=width:120", "resize=height:50", "resize=width:100,height:100", "resize=width:90,height:90,fit:crop",
		"resize=width:500,height:40,fit:scale", "resize=width:900,fit:max", "resize=width:100,fit:max",
		"crop=dim:[10,20,100,50]", "crop=dim:[250,150,200,200]", "rotate=deg:90", "rotate=deg:180",
		"rotate=deg:270", "rotate=deg:30", "rotate=deg:exif", "border=width:7", "flip", "sharpen=amount:3",
		"pixelate=amount:4", "circle", "rounded_corners", "partial_blur=objects:[[5,5,40,40]]",
	} {
		task, err := transform.ParseTask(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		out, err := applyImageTask(img, task)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		got, _ := stepDims(dims{300, 200}, task)
		if b := out.Bounds(); got.w != int64(b.Dx()) || got.h != int64(b.Dy()) {
			t.Errorf("%s: planned %d×%d, task made %d×%d", spec, got.w, got.h, b.Dx(), b.Dy())
		}
	}
}

// TestMemoryBudgetQueuesThen503: while processing in flight holds the
// budget, a new request waits QueueWait, then gets 503 with Retry-After;
// once the budget frees, it runs; one that can never fit is a 400.
func TestMemoryBudgetQueuesThen503(t *testing.T) {
	e := newTEnv(t, Options{MemoryBudget: 4 << 20, QueueWait: 300 * time.Millisecond, NoProcessCache: true})
	h := e.storeRaw(pngBytes(quadrants(400, 300)), "")
	if !e.s.mem.TryAcquire(4 << 20) {
		t.Fatal("budget not free at start")
	}
	r := e.do("GET", "/resize=width:100/"+h, nil)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("with the budget taken: %d (Retry-After %q) %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	go func() { time.Sleep(100 * time.Millisecond); e.s.mem.Release(4 << 20) }()
	if r := e.do("GET", "/resize=width:100/"+h, nil); r.status != http.StatusOK {
		t.Fatalf("budget freed while queued: %d %s", r.status, r.body)
	}
	big := e.storeRaw(pngBytes(image.NewNRGBA(image.Rect(0, 0, 1200, 1000))), "")
	if r := e.do("GET", "/resize=width:100/"+big, nil); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "budget") {
		t.Fatalf("an image over the whole budget: %d %s", r.status, r.body)
	}
}

// TestSlotTakenBeforeSourceRead: requests queued behind busy processing
// slots have not read their (large) source yet.
func TestSlotTakenBeforeSourceRead(t *testing.T) {
	e := newTEnv(t, Options{QueueWait: 400 * time.Millisecond, NoProcessCache: true})
	data := make([]byte, 8<<20)
	rand.Read(data)
	h := e.storeRaw(data, "&mimetype=image/png")
	for range cap(e.s.procSem) {
		e.s.procSem <- struct{}{}
	}
	defer func() {
		for range cap(e.s.procSem) {
			<-e.s.procSem
		}
	}()
	alloc := allocatedDuring(func() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/resize=width:10/"+h, nil)
				if res, err := http.DefaultClient.Do(req); err == nil {
					res.Body.Close()
				}
			})
		}
		wg.Wait()
	})
	if alloc > 16<<20 {
		t.Fatalf("8 queued requests for an 8 MiB source allocated %d MiB while waiting for a slot", alloc>>20)
	}
}

// slowChain is n strong sharpen steps: tens of milliseconds each on a
// 400×400 image, more under the race detector.
func slowChain(n int) string {
	return strings.Repeat("sharpen=amount:20/", n)
}

// TestProcessTimeoutAnswers504: a chain that runs past ProcessTimeout is
// stopped between steps and answered like Filestack's timeout.
func TestProcessTimeoutAnswers504(t *testing.T) {
	e := newTEnv(t, Options{ProcessTimeout: 300 * time.Millisecond, NoProcessCache: true})
	h := e.storeRaw(pngBytes(quadrants(600, 600)), "")
	r := e.do("GET", "/"+slowChain(30)+h, nil)
	if r.status != http.StatusGatewayTimeout || !strings.Contains(string(r.body), "too long") {
		t.Fatalf("want 504 'too long', got %d %s", r.status, r.body)
	}
}

// TestClientGoneStopsProcessing: when the client disconnects, the chain
// stops at the next step instead of running to its end.
func TestClientGoneStopsProcessing(t *testing.T) {
	e := newTEnv(t, Options{NoProcessCache: true})
	h := e.storeRaw(pngBytes(quadrants(400, 400)), "")
	e.s.ResetRequests()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/"+slowChain(200)+h, nil)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the chain finished within 300ms (%d): make it longer", res.StatusCode)
	}
	gone := time.Now()
	for len(e.s.Requests()) == 0 {
		if time.Since(gone) > 4*time.Second {
			t.Fatal("processing went on for 4s after the client left")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPlanCostCountsDecodedSource: the price of a chain includes the
// decoded source (w×h×4, 8 for 16-bit) before anything is decoded.
func TestPlanCostCountsDecodedSource(t *testing.T) {
	c, err := transform.Parse("/resize=width:10/HANDLEHANDLEHANDLE00")
	if err != nil {
		t.Fatal(err)
	}
	src := srcHeader{size: 300 << 10, dims: dims{10000, 10000}, format: "png", pixel: 4 * 100_000_000, ok: true}
	png := encoding{format: "png"}
	cost, err := planCost(src, c, 100_000_000, png, nil)
	if err != nil || cost < 400_000_000 || cost > 420_000_000 {
		t.Fatalf("10000×10000 PNG resized to 10: cost %d, %v (want about 400 MB)", cost, err)
	}
	src.pixel = 8 * 100_000_000
	if cost16, _ := planCost(src, c, 100_000_000, png, nil); cost16 < 800_000_000 {
		t.Fatalf("a 16-bit source is priced %d", cost16)
	}
}
