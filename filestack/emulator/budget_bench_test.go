package emulator

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"
)

// largePNG is a w×h PNG with enough detail that it does not compress to
// nothing (so reading it costs memory too), quick to encode.
func largePNG(b *testing.B, w, h int) []byte {
	b.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	x := uint32(88172645)
	for i := 0; i < len(img.Pix); i += 4 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(i>>10)^byte(x)&7, byte(i>>14), byte(x>>8)&15, 255
	}
	var buf bytes.Buffer
	(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	return buf.Bytes()
}

// peakHeap samples the heap's object bytes until stop is closed.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// BenchmarkProcessingMemoryBudget runs 8 concurrent uncached resizes of a
// 4000×3000 PNG (48 MB decoded) per iteration, with a 128 MiB budget (and
// Go's soft heap limit at the budget, as `fsdeck serve` sets it) and with a
// budget too large to bind, and reports the sampled peak heap.
func BenchmarkProcessingMemoryBudget(b *testing.B) {
	src := largePNG(b, benchSize(4000, 800), benchSize(3000, 600))
	for _, budget := range []int64{128 << 20, 64 << 30} {
		b.Run("budget="+strconv.FormatInt(budget>>20, 10)+"MiB", func(b *testing.B) {
			if budget < 1<<30 {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(budget))
			}
			_, srv := benchServer(b, Options{NoProcessCache: true, MemoryBudget: budget, QueueWait: time.Minute})
			h := benchStore(b, srv, src)
			runtime.GC()
			stop := make(chan struct{})
			peak := peakHeap(stop)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var wg sync.WaitGroup
				for n := range 8 {
					wg.Go(func() {
						res, err := http.Get(srv.URL + "/resize=width:" + strconv.Itoa(300+n) + "/" + h)
						if err != nil || res.StatusCode != 200 {
							b.Errorf("%v %v", err, res)
							return
						}
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
					})
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(len(src))/(1<<20), "src-MiB")
		})
	}
}
