package emulator

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// fullDecodeResult is what the emulator answered before shrink on load:
// the whole JPEG decoded (EXIF orientation applied when the chain asks
// for it), then every task in turn.
func fullDecodeResult(t *testing.T, src []byte, spec string) image.Image {
	t.Helper()
	c, err := transform.Parse("/" + spec + "/AAAAAAAAAAAAAAAAAAAA")
	if err != nil {
		t.Fatal(err)
	}
	img, err := imaging.Decode(bytes.NewReader(src), imaging.AutoOrientation(wantsEXIFRotation(c)))
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range c.Tasks {
		if encodingOnly[task.Name] {
			continue
		}
		if img, err = applyImageTask(img, task); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// plannedDenom is the reduction the emulator decodes src at for spec.
func plannedDenom(t *testing.T, src []byte, spec string) int {
	t.Helper()
	c, err := transform.Parse("/" + spec + "/AAAAAAAAAAAAAAAAAAAA")
	if err != nil {
		t.Fatal(err)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	return sourceLoadPlan(c, cfg, format, src).denom
}

// shrinkCase is a chain on a JPEG, the reduction it must decode at, and
// the PSNR its result must keep against the full decode's.
type shrinkCase struct {
	name, spec string
	src        []byte
	denom      int
}

// shrinkCases covers the scales, the chroma layouts (4:2:0 as Go writes
// it, and libjpeg's 4:2:2 with restart markers, 4:4:4 and 4:2:0
// progressive, grayscale, CMYK and RGB), odd sizes, fits, crops before the resize,
// flips and rotations, and all eight EXIF orientations.
func shrinkCases(t *testing.T) []shrinkCase {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photoLike(2400, 1800), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	go420 := buf.Bytes()
	buf = bytes.Buffer{}
	jpeg.Encode(&buf, photoLike(1001, 751), &jpeg.Options{Quality: 90})
	odd := buf.Bytes()
	buf = bytes.Buffer{}
	jpeg.Encode(&buf, photoLike(1008, 752), &jpeg.Options{Quality: 90})
	camera := buf.Bytes() // sides that whole blocks divide, as cameras write
	file := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cs := []shrinkCase{
		{"420 to 300", "resize=width:300", go420, 4},
		{"420 to 100", "resize=width:100", go420, 8},
		{"420 to 150 (7× down, not 8)", "resize=width:150", go420, 4},
		{"420 to 600", "resize=width:600", go420, 2},
		{"420 to 1000: no reduction", "resize=width:1000", go420, 1},
		{"420 fit:crop", "resize=width:200,height:200,fit:crop", go420, 4},
		{"420 fit:crop aligned top-left", "resize=width:300,height:100,fit:crop,align:[top,left]", go420, 4},
		{"420 fit:scale", "resize=width:100,height:300,fit:scale", go420, 2},
		{"420 fit:max", "resize=width:250,height:250,fit:max", go420, 4},
		{"420 aligned crop, then resize", "crop=dim:[96,48,1600,1200]/resize=width:200", go420, 4},
		{"420 crop on 2-pixel edges", "crop=dim:[102,50,1600,1200]/resize=width:200", go420, 2},
		{"420 crop off every edge", "crop=dim:[101,51,1601,1201]/resize=width:200", go420, 1},
		{"420 crop to the far edges", "crop=dim:[800,600,5000,5000]/resize=width:100", go420, 8},
		{"420 rotate 90, crop, resize", "rotate=deg:90/crop=dim:[0,8,1800,2000]/resize=width:200/output=format:png", go420, 4},
		{"420 flip, flop, resize", "flip/flop/resize=height:120", go420, 4},
		{"420 blur first: no reduction", "blur=amount:2/resize=width:150", go420, 1},
		{"420 rotate 30 first: no reduction", "rotate=deg:30/resize=width:150", go420, 1},
		{"420 resize then more", "resize=width:100/sepia/border=width:3", go420, 8},
		{"odd 420 to 100", "resize=width:100", odd, 4},
		{"odd 420 crop to edges, resize", "crop=dim:[0,0,1001,700]/resize=width:60", odd, 4},
		{"odd 420 flopped: no reduction", "flop/resize=width:60", odd, 1},
		{"odd 420 EXIF 6: no reduction", "rotate=deg:exif/resize=width:60", insertEXIFOrientation(odd, 6), 1},
		{"422 restart to 100", "resize=width:100", file("photo-422-restart.jpg"), 4},
		{"422 restart to 200", "resize=width:200", file("photo-422-restart.jpg"), 2},
		{"444 progressive to 50", "resize=width:50", file("photo-444-progressive.jpg"), 8},
		{"444 progressive flip to 100", "flip/resize=width:100", file("photo-444-progressive.jpg"), 1},
		{"420 progressive fit:crop", "resize=width:100,height:100,fit:crop", file("photo-420-progressive.jpg"), 2},
		{"gray to 150", "resize=width:150", file("photo-gray.jpg"), 2},
		{"gray to 90", "resize=width:90", file("photo-gray.jpg"), 4},
		{"CMYK (Adobe): no reduction", "resize=width:18", file("../jpegscale/testdata/video-001.cmyk.jpeg"), 1},
		{"RGB (Adobe) to 36", "resize=width:36", file("../jpegscale/testdata/video-001.rgb.jpeg"), 2},
	}
	for o := 1; o <= 8; o++ {
		withExif := insertEXIFOrientation(camera, byte(o))
		denom := 4 // 1008/220; turned 90 more: 752/90
		if o >= 5 {
			denom = 2 // turned: 752/220; turned back: 752/120
		}
		cs = append(cs,
			shrinkCase{fmt.Sprintf("EXIF %d", o), "rotate=deg:exif/resize=width:110", withExif, denom},
			shrinkCase{fmt.Sprintf("EXIF %d crop", o), "rotate=deg:exif/crop=dim:[16,8,640,480]/resize=width:70", withExif, 4},
			shrinkCase{fmt.Sprintf("EXIF %d rotate 90", o), "rotate=deg:exif/rotate=deg:90/resize=height:60", withExif, denom * 2})
	}
	return cs
}

// Shrink on load keeps the result within 40 dB PSNR of the full decode's
// (the box reduction moves from pixels to DCT blocks, and may cover more
// of it), at the size the full decode gives, for every case; the chains
// the reduction cannot serve are decoded at full size and answer exactly
// as before.
func TestShrinkOnLoadMatchesFullDecode(t *testing.T) {
	if raceEnabled {
		// Image arithmetic on one goroutine: the race detector finds
		// nothing here and makes it 90 s instead of 5; .ci/run runs it
		// without -race as well.
		t.Skip("decode comparisons run without -race (.ci/run does)")
	}
	e := newTEnv(t, Options{NoProcessCache: true})
	worst := 1000.0
	for _, tc := range shrinkCases(t) {
		if d := plannedDenom(t, tc.src, tc.spec); d != tc.denom {
			t.Errorf("%s: decoded at 1/%d, want 1/%d", tc.name, d, tc.denom)
		}
		h := e.storeRaw(tc.src, "")
		spec := tc.spec
		if !strings.Contains(spec, "output=") {
			spec += "/output=format:png"
		}
		r := e.do("GET", "/"+spec+"/"+h, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", tc.name, r.status, r.body)
		}
		got, want := decode(t, r.body), fullDecodeResult(t, tc.src, tc.spec)
		if got.Bounds().Size() != want.Bounds().Size() {
			t.Fatalf("%s: %v, the full decode gives %v", tc.name, got.Bounds().Size(), want.Bounds().Size())
		}
		p := psnr(got, want)
		t.Logf("%-40s 1/%d  %v  PSNR %.1f dB", tc.name, tc.denom, got.Bounds().Size(), p)
		if tc.denom == 1 && p < 60 {
			t.Errorf("%s: not reduced, yet PSNR %.1f dB against the full decode", tc.name, p)
		}
		if p < 40 {
			t.Errorf("%s: PSNR %.1f dB against the full decode, want ≥ 40", tc.name, p)
		}
		if tc.denom > 1 {
			worst = min(worst, p)
		}
	}
	t.Logf("lowest PSNR of a reduced decode: %.1f dB", worst)
}

// The budget prices a JPEG decoded reduced by what that holds: a 24 MP
// baseline 4:2:0 photograph resized to 300 px decodes at 1/8 (about 1 MiB
// of pixels instead of 34), and is priced accordingly, EXIF rotation
// included (the turned copy is of the reduced image), while a chain
// that needs the full size first (a blur) is still priced for it; a
// progressive one keeps all its coefficients until the last scan either
// way (4 bytes a sample).
func TestBudgetPricesShrinkOnLoad(t *testing.T) {
	e := newTEnv(t, Options{MemoryBudget: 1 << 40})
	base := e.storeRaw(jpegHeader(6000, 4000, 0xc0), "")
	prog := e.storeRaw(jpegHeader(6000, 4000, 0xc2), "")
	samples := int64(6000 * 4000 * 3 / 2)
	small, _ := priceOf(t, e, base, "resize=width:300", false)
	if small.cost > 4<<20 {
		t.Errorf("resize of 24 MP to 300 px priced %d MiB, want a reduced decode's few", small.cost>>20)
	}
	turned := e.storeRaw(insertEXIFOrientation(jpegHeader(6000, 4000, 0xc0), 6), "")
	// Turned 4000×6000: decoded at 1/4 (4.5 MB of planes), turned into
	// a 6 MB copy, box-reduced and resized.
	if p, _ := priceOf(t, e, turned, "rotate=deg:exif/resize=width:300", false); p.cost > 24<<20 {
		t.Errorf("EXIF rotation and resize of 24 MP to 300 px priced %d MiB, want a reduced decode's", p.cost>>20)
	}
	blur, _ := priceOf(t, e, base, "blur=amount:2/resize=width:300", false)
	if blur.cost < samples {
		t.Errorf("blur then resize priced %d MiB, below the full decode's %d MiB", blur.cost>>20, samples>>20)
	}
	p, _ := priceOf(t, e, prog, "resize=width:300", false)
	if p.cost < 4*samples || p.cost > 4*samples+4<<20 {
		t.Errorf("progressive resize to 300 px priced %d MiB, want its coefficients' %d MiB and little more", p.cost>>20, 4*samples>>20)
	}
}

// jpegOrientation reads what imaging's AutoOrientation reads: each of the
// eight orientations, none without EXIF, and "cannot tell" (0) when the
// bytes end before the tag.
func TestJPEGOrientation(t *testing.T) {
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil)
	plain := buf.Bytes()
	if o := jpegOrientation(plain); o != 1 {
		t.Errorf("no EXIF: %d", o)
	}
	for o := 1; o <= 8; o++ {
		withExif := insertEXIFOrientation(plain, byte(o))
		if got := jpegOrientation(withExif); got != o {
			t.Errorf("orientation %d read as %d", o, got)
		}
		if got := jpegOrientation(withExif[:30]); got != 0 {
			t.Errorf("orientation %d cut short read as %d", o, got)
		}
	}
	if o := jpegOrientation(insertEXIFOrientation(plain, 9)); o != 1 {
		t.Errorf("orientation 9 (invalid) read as %d", o)
	}
	if o := jpegOrientation([]byte("not a jpeg")); o != 1 {
		t.Errorf("not a JPEG: %d", o)
	}
}
