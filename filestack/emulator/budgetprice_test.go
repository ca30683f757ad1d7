package emulator

import (
	"bytes"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// jpegHeader is the start of a w×h JPEG (baseline, or progressive when
// sof is 0xc2) with 4:2:0 chroma: all the planner reads, since a source
// is priced from its header before any of it is decoded.
func jpegHeader(w, h int, sof byte) []byte {
	return []byte{0xff, 0xd8,
		0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // JFIF
		0xff, sof, 0x00, 0x11, 0x08, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 0x03,
		0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9}
}

// priceOf is what admission prices a chain at on a stored source.
func priceOf(t *testing.T, e *tenv, handle, spec string, webp bool) (plan, error) {
	t.Helper()
	c, err := transform.Parse("/" + spec + "/" + handle)
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := e.s.storedHeader(c, handle)
	if err != nil {
		t.Fatal(err)
	}
	return e.s.chainCost(hdr, c, creds{}, webp)
}

// The budget refuses what it cannot hold, priced by what the chain really
// holds: on a 24 MP photograph with 256 MiB, a WebP conversion (the
// encoder keeps about 50 bytes a pixel) is refused, before any of the
// source is read, and priced at least as high as any resize or
// conversion of the same image; a PNG conversion is priced for its
// output (at least the raw pixels) above a JPEG one.
func TestBudgetPricesConversions(t *testing.T) {
	e := newTEnv(t, Options{MemoryBudget: 256 << 20, NoProcessCache: true})
	h := e.storeRaw(jpegHeader(6000, 4000, 0xc0), "")
	r := e.do("GET", "/output=format:webp/"+h, nil)
	if r.status != 400 || !strings.Contains(string(r.body), "memory budget") || !strings.Contains(string(r.body), "webp") {
		t.Fatalf("WebP of 24 MP with a 256 MiB budget: %d %s", r.status, r.body)
	}
	webp, _ := priceOf(t, e, h, "output=format:webp", false)
	for _, spec := range []string{"resize=width:3000", "resize=width:6000,height:4000,fit:scale", "output=format:png",
		"output=format:jpg", "output=format:gif", "rotate=deg:45", "sharpen=amount:5", "blur=amount:10"} {
		p, _ := priceOf(t, e, h, spec, false)
		if webp.cost < p.cost {
			t.Errorf("webp priced %d MiB, below %s at %d MiB", webp.cost>>20, spec, p.cost>>20)
		}
	}
	pngP, _ := priceOf(t, e, h, "output=format:png", false)
	jpgP, _ := priceOf(t, e, h, "output=format:jpg", false)
	if px := int64(6000 * 4000); pngP.cost < 3*px || pngP.cost <= jpgP.cost {
		t.Errorf("png conversion priced %d MiB, jpg %d MiB", pngP.cost>>20, jpgP.cost>>20)
	}
}

// A progressive JPEG keeps every coefficient until its last scan (4 bytes
// a sample): it is priced that much above a baseline one.
func TestProgressiveJPEGPricedHigher(t *testing.T) {
	e := newTEnv(t, Options{MemoryBudget: 1 << 40})
	base := e.storeRaw(jpegHeader(4000, 3000, 0xc0), "")
	prog := e.storeRaw(jpegHeader(4000, 3000, 0xc2), "")
	b, _ := priceOf(t, e, base, "resize=width:100", false)
	p, _ := priceOf(t, e, prog, "resize=width:100", false)
	if samples := int64(4000 * 3000 * 3 / 2); p.cost-b.cost < 4*samples*9/10 {
		t.Fatalf("progressive %d MiB, baseline %d MiB", p.cost>>20, b.cost>>20)
	}
}

// auto_image answers WebP to a client that takes it when the budget can
// hold the encoder; when it cannot, it answers in the source's format
// rather than failing, while an explicit output=format:webp is refused.
func TestAutoImageFallsBackWhenWebPDoesNotFit(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 1000, 800))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 13 % 251)
	}
	var src bytes.Buffer
	jpeg.Encode(&src, img, &jpeg.Options{Quality: 90})
	e := newTEnv(t, Options{MemoryBudget: 24 << 20, NoProcessCache: true})
	h := e.storeRaw(src.Bytes(), "")
	r := e.do("GET", "/auto_image/"+h, nil, "Accept", "image/webp,*/*")
	if r.status != 200 || r.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("auto_image over the budget for WebP: %d %s %.200s", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r := e.do("GET", "/output=format:webp/"+h, nil); r.status != 400 || !strings.Contains(string(r.body), "memory budget") {
		t.Fatalf("output=format:webp over the budget: %d %s", r.status, r.body)
	}
	big := newTEnv(t, Options{MemoryBudget: 256 << 20, NoProcessCache: true})
	h = big.storeRaw(src.Bytes(), "")
	if r := big.do("GET", "/auto_image/"+h, nil, "Accept", "image/webp,*/*"); r.status != 200 || r.header.Get("Content-Type") != "image/webp" {
		t.Fatalf("auto_image within the budget: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
