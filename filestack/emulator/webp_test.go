package emulator

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/webp"
)

// TestWebPOutputIsLossless: output=format:webp is encoded losslessly in
// pure Go, so every pixel (alpha included) survives, and `quality` cannot
// change the result.
func TestWebPOutputIsLossless(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 48, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 48; x++ {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 5), uint8(y * 6), uint8((x * y) % 251), uint8(255 - x)})
		}
	}
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(src), "&filename=g.png")
	var bodies [][]byte
	for _, q := range []string{"1", "100"} {
		r := e.do("GET", "/output=format:webp,quality:"+q+"/"+h, nil)
		if r.status != 200 || r.header.Get("Content-Type") != "image/webp" {
			t.Fatalf("quality %s: %d %q %s", q, r.status, r.header.Get("Content-Type"), r.body)
		}
		got, err := webp.Decode(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("quality %s: not a WebP: %v", q, err)
		}
		for y := 0; y < 40; y++ {
			for x := 0; x < 48; x++ {
				if g, w := color.NRGBAModel.Convert(got.At(x, y)), src.NRGBAAt(x, y); g != w {
					t.Fatalf("quality %s: pixel (%d,%d) = %v, want %v", q, x, y, g, w)
				}
			}
		}
		bodies = append(bodies, r.body)
	}
	if !bytes.Equal(bodies[0], bodies[1]) {
		t.Fatal("quality changed a lossless WebP")
	}
}
