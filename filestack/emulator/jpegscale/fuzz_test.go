package jpegscale

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"testing"
)

// The restart-marker fixtures really have restart markers (RST0 and on,
// after a DRI segment), so the tests above cover resynchronising at them.
func TestFixturesHaveRestartMarkers(t *testing.T) {
	for name, data := range fixtures(t) {
		switch name {
		case "odd-420-restart.jpg", "odd-444-progressive-restart.jpg", "video-001.restart2.jpeg":
			if !bytes.Contains(data, []byte{0xff, 0xdd}) || !bytes.Contains(data, []byte{0xff, 0xd0}) || !bytes.Contains(data, []byte{0xff, 0xd1}) {
				t.Errorf("%s has no restart markers", name)
			}
		}
	}
}

// A file image/jpeg refuses is refused at every scale, and a denominator
// other than 1, 2, 4 or 8 is refused.
func TestErrorsAsImageJPEG(t *testing.T) {
	data := fixtures(t)["odd-420-restart.jpg"]
	for _, bad := range [][]byte{data[:len(data)/2], data[:300], append(append([]byte{}, data[:2000]...), 0xff, 0xd3, 0x01), {0xff, 0xd8, 0xff}} {
		checkAgainstImageJPEG(t, bad)
	}
	if _, err := Decode(bytes.NewReader(data), 3); err == nil {
		t.Error("1/3 decoded")
	}
}

// checkAgainstImageJPEG decodes data at every scale: each succeeds where
// image/jpeg does and fails where it fails, at ceil(size/denom), and at
// full size with image/jpeg's pixels.
func checkAgainstImageJPEG(t *testing.T, data []byte) {
	t.Helper()
	want, werr := jpeg.Decode(bytes.NewReader(data))
	for _, denom := range []int{1, 2, 4, 8} {
		got, err := Decode(bytes.NewReader(data), denom)
		if (err == nil) != (werr == nil) {
			t.Fatalf("1/%d: image/jpeg says %v, the fork %v", denom, werr, err)
		}
		if err != nil {
			continue
		}
		wb := want.Bounds()
		if b := got.Bounds(); b != image.Rect(0, 0, (wb.Dx()+denom-1)/denom, (wb.Dy()+denom-1)/denom) {
			t.Fatalf("1/%d: bounds %v of %v", denom, b, wb)
		}
		if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
			t.Fatalf("1/%d: %T, image/jpeg %T", denom, got, want)
		}
		if denom == 1 {
			if d := maxDiff(t, want, got); d != 0 {
				t.Fatalf("full size differs from image/jpeg by %d", d)
			}
		}
	}
}

// FuzzDecode: whatever the bytes, the decoder at every scale neither
// panics nor disagrees with image/jpeg about whether they are a JPEG
// (seeds: every fixture, whole and cut short).
func FuzzDecode(f *testing.F) {
	for _, data := range fixtures(f) {
		f.Add(data)
		f.Add(data[:len(data)*2/3])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<17 {
			return // large images only cost time (image/jpeg's fuzzer skips them too)
		}
		checkAgainstImageJPEG(t, data)
	})
}
