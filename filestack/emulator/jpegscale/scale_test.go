package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtures are JPEGs of every layout the decoder takes: Go's own test
// images (150×103: 4:1:0, 4:1:1, 4:2:2, 4:4:0, 4:4:4, progressive,
// separate DC progression, restart markers, RGB, CMYK, grayscale with
// nominal 2×2 sampling; the CMYK one with its Adobe transform set to 2
// for YCCK) and 331×253 ones written by libjpeg (odd sizes:
// 4:4:4, 4:2:0 progressive, restart markers every 3 and 2 MCUs, a
// progressive grayscale).
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob("testdata/*.jp*g")
	if err != nil || len(names) < 10 {
		t.Fatalf("fixtures: %v %v", names, err)
	}
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(n)] = b
	}
	return out
}

// At full size the fork decodes exactly as image/jpeg does, and fails
// where it fails.
func TestFullSizeIsImageJPEG(t *testing.T) {
	for name, data := range fixtures(t) {
		want, werr := jpeg.Decode(bytes.NewReader(data))
		got, gerr := Decode(bytes.NewReader(data), 1)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%s: image/jpeg %v, fork %v", name, werr, gerr)
		}
		if werr != nil {
			continue
		}
		if d := maxDiff(t, want, got); d != 0 {
			t.Errorf("%s: differs from image/jpeg by up to %d", name, d)
		}
	}
}

// maxDiff compares two images of the same type and bounds, channel by
// channel.
func maxDiff(t *testing.T, a, b image.Image) int {
	t.Helper()
	if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) || a.Bounds() != b.Bounds() {
		t.Fatalf("%T %v against %T %v", a, a.Bounds(), b, b.Bounds())
	}
	most := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p, q := channels(a, x, y), channels(b, x, y)
			for i := range p {
				most = max(most, abs(p[i]-q[i]))
			}
		}
	}
	return most
}

// channels is a pixel as its image stores it (Y, Cb, Cr; gray; C, M, Y,
// K; R, G, B, A).
func channels(m image.Image, x, y int) []int {
	switch m := m.(type) {
	case *image.YCbCr:
		yi, ci := m.YOffset(x, y), m.COffset(x, y)
		return []int{int(m.Y[yi]), int(m.Cb[ci]), int(m.Cr[ci])}
	case *image.Gray:
		return []int{int(m.Pix[m.PixOffset(x, y)])}
	case *image.CMYK:
		i := m.PixOffset(x, y)
		return []int{int(m.Pix[i]), int(m.Pix[i+1]), int(m.Pix[i+2]), int(m.Pix[i+3])}
	case *image.RGBA:
		i := m.PixOffset(x, y)
		return []int{int(m.Pix[i]), int(m.Pix[i+1]), int(m.Pix[i+2]), int(m.Pix[i+3])}
	}
	panic(fmt.Sprintf("%T", m))
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// meanOver is the mean of channel c of full over the denom×denom square
// of scaled pixel (x, y), and whether it cannot be compared: one of those
// pixels was clipped to 0 or 255 (the mean of clipped pixels is not the
// clipped mean), or the square reaches past the image's bounds where the
// padding of its last blocks is not at hand. A YCbCr or gray image is
// read past its bounds, into that padding, which the reduced decode
// averages too; an RGB or CMYK one is converted without it.
func meanOver(full image.Image, c, x, y, denom int) (mean float64, skip bool) {
	var sum, n float64
	r := full.Bounds()
	for yy := y * denom; yy < (y+1)*denom; yy++ {
		for xx := x * denom; xx < (x+1)*denom; xx++ {
			var v uint8
			switch m := full.(type) {
			case *image.YCbCr:
				v = ycbcrPadded(m, c, xx, yy)
			case *image.Gray:
				v = m.Pix[yy*m.Stride+xx]
			default:
				if !(image.Point{xx, yy}.In(r)) {
					skip = true
					continue
				}
				v = uint8(channels(full, xx, yy)[c])
			}
			sum += float64(v)
			n++
			skip = skip || v == 0 || v == 255
		}
	}
	return sum / n, skip
}

// ycbcrPadded reads a sample of a decoded YCbCr image's full buffer,
// padding included, chroma nearest to the luma position.
func ycbcrPadded(m *image.YCbCr, c, x, y int) uint8 {
	if c == 0 {
		return m.Y[y*m.YStride+x]
	}
	hr, vr := map[image.YCbCrSubsampleRatio][2]int{
		image.YCbCrSubsampleRatio444: {1, 1}, image.YCbCrSubsampleRatio422: {2, 1}, image.YCbCrSubsampleRatio420: {2, 2},
		image.YCbCrSubsampleRatio440: {1, 2}, image.YCbCrSubsampleRatio411: {4, 1}, image.YCbCrSubsampleRatio410: {4, 2},
	}[m.SubsampleRatio][0], 0
	vr = map[image.YCbCrSubsampleRatio]int{
		image.YCbCrSubsampleRatio444: 1, image.YCbCrSubsampleRatio422: 1, image.YCbCrSubsampleRatio420: 2,
		image.YCbCrSubsampleRatio440: 2, image.YCbCrSubsampleRatio411: 1, image.YCbCrSubsampleRatio410: 2,
	}[m.SubsampleRatio]
	i := (y/vr)*m.CStride + x/hr
	if c == 1 {
		return m.Cb[i]
	}
	return m.Cr[i]
}

// Each reduced pixel is the mean of the full-size pixels it stands for,
// for every scale and layout: within rounding, but where full-size pixels
// were clipped to [0, 255]. (Most of the RGB and CMYK fixtures' pixels are
// clipped: at least a quarter must be left to compare.)
func TestReducedIsMeanOfFullSize(t *testing.T) {
	for name, data := range fixtures(t) {
		full, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			continue // the truncated file: TestErrorsAsImageJPEG
		}
		fb := full.Bounds()
		for _, denom := range []int{2, 4, 8} {
			got, err := Decode(bytes.NewReader(data), denom)
			if err != nil {
				t.Fatalf("%s 1/%d: %v", name, denom, err)
			}
			want := image.Rect(0, 0, (fb.Dx()+denom-1)/denom, (fb.Dy()+denom-1)/denom)
			if got.Bounds() != want {
				t.Fatalf("%s 1/%d: bounds %v, want %v", name, denom, got.Bounds(), want)
			}
			if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", full) {
				t.Fatalf("%s 1/%d: %T, full size is %T", name, denom, got, full)
			}
			var skipped, n int
			var sum, most float64
			for y := 0; y < want.Dy(); y++ {
				for x := 0; x < want.Dx(); x++ {
					for c, v := range channels(got, x, y) {
						mean, skip := meanOver(full, c, x, y, denom)
						d := math.Abs(float64(v) - mean)
						if skip {
							skipped++
							continue
						}
						sum += d
						n++
						most = max(most, d)
					}
				}
			}
			t.Logf("%s 1/%d: %v, mean |diff| %.3f, max %.2f (%d samples left out: clipped at full size, or over missing padding)",
				name, denom, got.Bounds().Size(), sum/float64(n), most, skipped)
			// Planes are compared as decoded, but a YCCK file's are
			// converted to RGB after the reduction: the rounding of
			// each plane grows by up to 1.77 (Cb's share of blue).
			tolerance := 1.5
			if strings.Contains(name, "ycck") {
				tolerance = 4.5
			}
			if most > tolerance || sum/float64(n) > 0.4 || skipped > 3*n {
				t.Errorf("%s 1/%d: mean |diff| %.3f, max %.2f; %d compared, %d left out", name, denom, sum/float64(n), most, n, skipped)
			}
		}
	}
}
