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

// fuzzMaxPixels bounds what FuzzDecode decodes: each input is decoded five
// times (image/jpeg and four scales) and the cost grows with the pixel
// count whatever the input's length (a 78-byte header naming 331x253 took
// as long as the whole fixture), so the bound is what keeps a run of the
// fuzzer to seconds. It is a limit of the fuzz target, not of the decoder,
// whose tests above decode every fixture at its own size.
const fuzzMaxPixels = 1 << 14

// fuzzSeeds are the fixtures, whole and cut short; one larger than
// fuzzMaxPixels is also given with smaller odd dimensions in its frame
// header (the same segments, tables and scans: progressive, restart
// markers, 4:4:4), so every kind of file still seeds the fuzzer.
func fuzzSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for name, data := range fixtures(t) {
		seeds[name] = data
		seeds[name+" cut"] = data[:len(data)*2/3]
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height <= fuzzMaxPixels {
			continue
		}
		small := withDimensions(t, data, cfg.Width/4|1, cfg.Height/4|1)
		seeds[name+" small"] = small
		seeds[name+" small cut"] = small[:len(small)*2/3]
	}
	return seeds
}

// withDimensions returns data with its frame header (SOF0-2) saying w x h.
func withDimensions(t testing.TB, data []byte, w, h int) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	for i := 2; i+9 <= len(out) && out[i] == 0xff; {
		marker, n := out[i+1], int(out[i+2])<<8|int(out[i+3])
		if marker >= 0xc0 && marker <= 0xc2 {
			out[i+5], out[i+6] = byte(h>>8), byte(h)
			out[i+7], out[i+8] = byte(w>>8), byte(w)
			return out
		}
		i += 2 + n
	}
	t.Fatal("no frame header")
	return nil
}

// Every seed is one FuzzDecode decodes (a JPEG header within
// fuzzMaxPixels), and every fixture gives at least one.
func TestFuzzSeedsAreDecoded(t *testing.T) {
	seeds := fuzzSeeds(t)
	for name := range fixtures(t) {
		decoded := 0
		for _, suffix := range []string{"", " small"} {
			data, ok := seeds[name+suffix]
			if !ok {
				continue
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err == nil && cfg.Width*cfg.Height <= fuzzMaxPixels {
				decoded++
				checkAgainstImageJPEG(t, data)
			}
		}
		if decoded == 0 {
			t.Errorf("%s: no seed within %d pixels", name, fuzzMaxPixels)
		}
	}
}

// FuzzDecode: whatever the bytes, the decoder at every scale neither
// panics nor disagrees with image/jpeg about whether they are a JPEG
// (seeds: fuzzSeeds).
func FuzzDecode(f *testing.F) {
	for _, data := range fuzzSeeds(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > fuzzMaxPixels {
			return // large images only cost time (image/jpeg's fuzzer skips them too)
		}
		checkAgainstImageJPEG(t, data)
	})
}
