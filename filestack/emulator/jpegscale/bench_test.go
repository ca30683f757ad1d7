package jpegscale

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand"
	"testing"
)

// BenchmarkDecode12MP decodes a 4000×3000 4:2:0 JPEG with image/jpeg and
// with the fork at each scale.
func BenchmarkDecode12MP(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewSource(1))
	for i := range img.Y {
		img.Y[i] = uint8(i%4000/16) ^ uint8(r.Intn(16))
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i%2000/8), uint8(i/2000/6)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	data := buf.Bytes()
	b.Run("image-jpeg", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, denom := range []int{1, 2, 4, 8} {
		b.Run("1/"+string(rune('0'+denom)), func(b *testing.B) {
			for b.Loop() {
				if _, err := Decode(bytes.NewReader(data), denom); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	_ = color.Gray{}
}
