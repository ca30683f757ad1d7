package emulator

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

func TestBoxFactors(t *testing.T) {
	for _, tt := range []struct{ sw, sh, nw, nh, kx, ky int }{
		{4000, 3000, 300, 225, 6, 6}, // 13.3× → 2.2× left for Lanczos
		{1000, 1000, 300, 300, 1, 1}, // 3.3×: Lanczos alone
		{1200, 900, 300, 225, 2, 2},  // 4×  → 2×
		{5000, 100, 100, 100, 25, 1}, // fit=scale may reduce one axis only
		{10, 10, 0, 0, 5, 5},         // a zero target does not divide by zero
	} {
		kx, ky := boxFactors(tt.sw, tt.sh, tt.nw, tt.nh)
		if kx != tt.kx || ky != tt.ky {
			t.Errorf("boxFactors(%d,%d,%d,%d) = %d,%d, want %d,%d", tt.sw, tt.sh, tt.nw, tt.nh, kx, ky, tt.kx, tt.ky)
		}
		if r := float64(tt.sw) / float64(kx) / float64(max(1, tt.nw)); kx > 1 && (r < 2 || r >= 3) {
			t.Errorf("%d→%d leaves %.2f× for Lanczos, want 2–3×", tt.sw, tt.nw, r)
		}
	}
}

// Blocks are averaged exactly, the last (partial) blocks over the pixels
// they have, and transparent pixels do not tint their block.
func TestBoxReduceAverages(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			src.SetNRGBA(x, y, color.NRGBA{uint8(10 * x), uint8(20 * y), 100, 255})
		}
	}
	src.SetNRGBA(1, 1, color.NRGBA{255, 255, 255, 0}) // transparent: no colour weight
	got := boxReduce(src, 2, 2).(*image.NRGBA)
	if got.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("bounds %v", got.Bounds())
	}
	want := map[image.Point]color.NRGBA{
		{0, 0}: {3, 7, 100, 191}, // (0+10+0)/3, (0+0+20)/3 over the 3 opaque pixels; alpha 765/4
		{2, 0}: {40, 10, 100, 255},
		{1, 1}: {25, 40, 100, 255},
		{2, 1}: {40, 40, 100, 255},
	}
	for p, w := range want {
		if c := got.NRGBAAt(p.X, p.Y); c != w {
			t.Errorf("block %v = %v, want %v", p, c, w)
		}
	}
	ycc := image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(i * 10)
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = 128, 128
	}
	g := boxReduce(ycc, 2, 2).(*image.NRGBA)
	// Block (0,0) holds Y 0, 10, 40, 50: mean 25, a grey.
	if c := g.NRGBAAt(0, 0); c != (color.NRGBA{25, 25, 25, 255}) {
		t.Errorf("YCbCr block = %v, want grey 25", c)
	}
	if boxReduce(src, 1, 1) != image.Image(src) {
		t.Error("a 1×1 reduction copied the image")
	}
}

// photoLike is a deterministic image with smooth gradients, hard edges and
// fine texture, JPEG-decoded like a real photo.
func photoLike(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			v := 128 + 60*math.Sin(9*fx+4*fy) + 30*math.Sin(float64(x*y%97)/7)
			if (x/(w/7)+y/(h/5))%2 == 0 {
				v += 40
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(clamp255(v)), uint8(clamp255(255 * fy)), uint8(clamp255(255 - v)), 255})
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	out, _ := jpeg.Decode(&b)
	return out
}

func clamp255(v float64) float64 { return math.Max(0, math.Min(255, v)) }

// psnr compares the RGB channels of two images of the same size.
func psnr(a, b image.Image) float64 {
	var sum float64
	n := 0
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			p := color.NRGBAModel.Convert(a.At(x, y)).(color.NRGBA)
			q := color.NRGBAModel.Convert(b.At(x, y)).(color.NRGBA)
			for _, d := range []float64{float64(p.R) - float64(q.R), float64(p.G) - float64(q.G), float64(p.B) - float64(q.B)} {
				sum += d * d
			}
			n += 3
		}
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(n)))
}

// The box-then-Lanczos result stays within 35 dB PSNR of Lanczos alone
// (the previous result) for every fit that resizes.
func TestResizeMatchesLanczosAlone(t *testing.T) {
	src := photoLike(2000, 1500)
	for _, tt := range []struct {
		task string
		old  image.Image
	}{
		{"resize=width:150", imaging.Resize(src, 150, 113, imaging.Lanczos)},
		{"resize=width:150,height:150,fit:crop", imaging.Fill(src, 150, 150, imaging.Center, imaging.Lanczos)},
		{"resize=width:100,height:300,fit:scale", imaging.Resize(src, 100, 300, imaging.Lanczos)},
	} {
		task, err := transform.ParseTask(tt.task)
		if err != nil {
			t.Fatal(err)
		}
		got, err := applyImageTask(src, task)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds().Size() != tt.old.Bounds().Size() {
			t.Fatalf("%s: %v, want %v", tt.task, got.Bounds().Size(), tt.old.Bounds().Size())
		}
		if p := psnr(got, tt.old); p < 35 {
			t.Errorf("%s: PSNR %.1f dB against Lanczos alone, want ≥ 35", tt.task, p)
		} else {
			t.Logf("%s: PSNR %.1f dB", tt.task, p)
		}
	}
}
