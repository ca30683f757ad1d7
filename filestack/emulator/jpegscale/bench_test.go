package jpegscale

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"github.com/fsdeck/fsdeck/internal/benchpair"
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
		b.Run("paired-1/"+strconv.Itoa(denom), func(b *testing.B) {
			benchpair.Run(b, "1/"+strconv.Itoa(denom), benchpair.Timed(b, fork), "image/jpeg", benchpair.Timed(b, std), benchpair.AOverB)
		})
	}
}
