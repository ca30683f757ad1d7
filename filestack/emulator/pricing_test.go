package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// pricedTasks is one chain of every task family in the catalogue that
// touches pixels, with the output conversions; WM stands for a watermark
// handle.
var pricedTasks = []string{
	"resize=width:3000", "resize=width:300", "resize=width:2000,height:2000,fit:crop",
	"resize=width:1000,height:1000,fit:scale", "resize=width:9000,fit:max",
	"crop=dim:[100,100,3000,2000]", "rotate=deg:90", "rotate=deg:180", "rotate=deg:45", "rotate=deg:exif",
	"flip", "flop", "output=format:webp", "output=format:png", "output=format:jpg", "output=format:gif",
	"quality=value:50", "compress", "no_metadata", "auto_image", "blur=amount:10", "sharpen=amount:5",
	"monochrome", "blackwhite", "sepia", "negative", "pixelate=amount:10",
	"modulate=brightness:120,saturation:80,hue:30", "partial_blur=objects:[[100,100,2000,1500]]",
	"partial_pixelate=objects:[[100,100,2000,1500],[2500,2500,1000,1000]]", "rounded_corners", "circle",
	"border=width:20", "watermark=file:WM,size:30", "imagesize",
	"resize=width:3000/output=format:webp", "blur=amount:5/output=format:png",
	"rotate=deg:90/resize=width:2000/output=format:png", "output=format:png/quality=value:80",
	// Decoded reduced (shrink on load), with what may come before the resize.
	"resize=width:100", "crop=dim:[96,48,1200,900]/resize=width:150", "flip/resize=width:300,height:300,fit:crop",
	"rotate=deg:exif/rotate=deg:270/resize=height:200/output=format:webp",
}

// photoJPEG is a w×h JPEG that costs encoders what a photograph does:
// gradients, shapes and noise.
func photoJPEG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewSource(1))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			n := uint8(r.Intn(24))
			img.Pix[i] = uint8(x*255/w) + n
			img.Pix[i+1] = uint8(y*255/h) + n
			img.Pix[i+2] = uint8((x/50+y/50)%2*120) + n
			img.Pix[i+3] = 255
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

// measured is what one chain was priced at and what it held at its peak.
type measured struct {
	chain         string
	status        int
	price, peak   int64
	answer        string
	took          time.Duration
	refusedByPlan bool
}

// measureChains prices every chain on src and runs it with the collector
// kept close to the live heap (GOGC 5), sampling the heap's objects: the
// peak above the idle heap is what the request really held.
func measureChains(t *testing.T, src []byte, chains []string) []measured {
	e := newTEnv(t, Options{NoProcessCache: true, MemoryBudget: 1 << 40, ProcessTimeout: 10 * time.Minute})
	h := e.storeRaw(src, "")
	wmImg := image.NewNRGBA(image.Rect(0, 0, 800, 600))
	for i := range wmImg.Pix {
		wmImg.Pix[i] = uint8(i * 7)
	}
	var wmb bytes.Buffer
	png.Encode(&wmb, wmImg)
	wm := e.storeRaw(wmb.Bytes(), "")
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	var out []measured
	for _, spec := range chains {
		spec = strings.ReplaceAll(spec, "WM", wm)
		c, err := transform.Parse("/" + spec + "/" + h)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		hdr, err := e.s.storedHeader(c, h)
		if err != nil {
			t.Fatal(err)
		}
		m := measured{chain: spec}
		p, err := e.s.chainCost(hdr, c, creds{}, true)
		m.price = p.cost
		if err != nil {
			m.refusedByPlan = true
		}
		runtime.GC()
		runtime.GC()
		stop := make(chan struct{})
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		peak := peakHeap(stop)
		start := time.Now()
		// The body is counted, not kept: the client's copy would be
		// measured with the server's.
		req, _ := http.NewRequest("GET", e.srv.URL+"/"+spec+"/"+h, nil)
		req.Header.Set("Accept", "image/webp,*/*")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var answer bytes.Buffer
		n, _ := io.Copy(io.Discard, io.TeeReader(res.Body, &limitedBuffer{b: &answer, max: 200}))
		res.Body.Close()
		m.took = time.Since(start)
		close(stop)
		m.peak = int64(<-peak) - int64(base)
		m.status = res.StatusCode
		m.answer = fmt.Sprintf("%d B %s", n, res.Header.Get("Content-Type"))
		if m.status != 200 {
			m.answer = strings.TrimSpace(answer.String())
		}
		out = append(out, m)
	}
	return out
}

// TestPricesCoverWhatChainsHold: for every task family on a 2 MP photograph,
// the price the budget reserves is at least the memory the request holds
// at its peak (measured with the collector kept close to the live heap:
// GOGC 5 lets garbage reach 5% of the heap, which the comparison allows),
// so a budget that admits it is not overrun. FSDECK_PRICING_MP=24 runs it
// on a 24-megapixel photograph.
func TestPricesCoverWhatChainsHold(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every task family on a 2 MP photograph")
	}
	if raceEnabled {
		t.Skip("the race detector changes what the heap holds, and takes minutes over this")
	}
	w, h := 1600, 1200
	if v := os.Getenv("FSDECK_PRICING_MP"); v != "" {
		// e.g. FSDECK_PRICING_MP=24 for 6000×4000
		mp, _ := strconv.ParseFloat(v, 64)
		w = int(math.Sqrt(mp * 1e6 * 4 / 3))
		h = w * 3 / 4
	}
	src := photoJPEG(w, h)
	for _, m := range measureChains(t, src, pricedTasks) {
		t.Logf("%-60s %3d  price %5d MiB  peak %5d MiB  %6.1fs  %s", m.chain, m.status, m.price>>20, m.peak>>20, m.took.Seconds(), m.answer)
		if m.status == 200 && m.peak > m.price+m.price/20+1<<20 {
			t.Errorf("%s holds %d MiB at its peak but is priced %d MiB", m.chain, m.peak>>20, m.price>>20)
		}
	}
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
