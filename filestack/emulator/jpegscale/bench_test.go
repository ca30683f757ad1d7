package jpegscale

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkDecode12MP decodes a 4000×3000 4:2:0 JPEG with image/jpeg and
// with the fork at each scale. The paired cases are the ones to quote:
// each iteration decodes with both, in alternating order, and they report
// the median of the per-pair ratios (the fork's time ÷ image/jpeg's) with
// every pair logged (-v). FSDECK_BENCH_SMOKE=1 decodes a 0.5 MP image, so
// that .ci/run can run it once; its figures then mean nothing.
func BenchmarkDecode12MP(b *testing.B) {
	w, h := 4000, 3000
	if os.Getenv("FSDECK_BENCH_SMOKE") == "1" {
		w, h = 800, 600
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewSource(1))
	for i := range img.Y {
		img.Y[i] = uint8(i%w/16) ^ uint8(r.Intn(16))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i%(w/2)/8), uint8(i/(w/2)/6)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	data := buf.Bytes()
	std := func() error { _, err := jpeg.Decode(bytes.NewReader(data)); return err }
	b.Run("image-jpeg", func(b *testing.B) {
		for b.Loop() {
			if err := std(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, denom := range []int{1, 2, 4, 8} {
		fork := func() error { _, err := Decode(bytes.NewReader(data), denom); return err }
		b.Run("1/"+strconv.Itoa(denom), func(b *testing.B) {
			for b.Loop() {
				if err := fork(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("paired-1/"+strconv.Itoa(denom), func(b *testing.B) { pairs(b, "1/"+strconv.Itoa(denom), fork, "image/jpeg", std) })
	}
}

// pairs runs a and b once each per iteration, in alternating order, logs
// each pair and reports the median of the per-pair ratios (a's time ÷
// b's: below 1 when a is faster).
func pairs(bm *testing.B, aName string, a func() error, bName string, b func() error) {
	timed := func(f func() error) float64 {
		start := time.Now()
		if err := f(); err != nil {
			bm.Fatal(err)
		}
		return time.Since(start).Seconds()
	}
	var ratios []float64
	for i := 0; bm.Loop(); i++ {
		var ta, tb float64
		if i%2 == 0 {
			ta, tb = timed(a), timed(b)
		} else {
			tb, ta = timed(b), timed(a)
		}
		ratios = append(ratios, ta/tb)
		bm.Logf("pair %d: %s %.1f ms, %s %.1f ms, ratio %.2f", i+1, aName, 1000*ta, bName, 1000*tb, ta/tb)
	}
	slices.Sort(ratios)
	if n := len(ratios); n > 0 {
		bm.ReportMetric((ratios[(n-1)/2]+ratios[n/2])/2, "median-ratio")
	}
}
