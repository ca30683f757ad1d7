package emulator

import (
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// A plan is what a chain will cost before any of it runs: the size of every
// step's output, from the source's header and each task's geometry, and an
// estimate of the memory the request holds at its peak. Steps over the pixel
// limit are refused here, before the work, not after it.

// dims is an image size in pixels.
type dims struct{ w, h int64 }

func (d dims) px() int64 { return d.w * d.h }

// srcHeader is what the planner knows about a source image (headerOf).
type srcHeader struct {
	size   int64 // encoded bytes held in memory
	dims   dims
	format string // as image.DecodeConfig names it: jpeg, png, gif, webp, bmp, tiff
	pixel  int64  // bytes of the decoded image, as the decoder returns it
	work   int64  // the decoder's working memory besides
	opaque bool   // the decoded image has no transparent pixels
	deep   bool   // 16 bits a channel
	ok     bool   // false: not an image (the chain fails at decode)
	// A JPEG's frame, its EXIF orientation (jpegOrientation) and
	// whether it may be decoded reduced (reducibleJPEG, shrinkload.go).
	jpeg      jpegFrame
	orient    int
	reducible bool
}

// passTasks never touch pixels' geometry (they only change the encoding
// or end the chain).
var passTasks = map[string]bool{"quality": true, "output": true, "compress": true, "no_metadata": true,
	"auto_image": true, "fallback": true, "store": true, "imagesize": true, "metadata": true}

// needsPixels reports whether the chain decodes its source.
func needsPixels(c transform.Chain) bool {
	for _, t := range c.Tasks {
		if t.Name != "store" && t.Name != "fallback" && t.Name != "metadata" {
			return true
		}
	}
	return false
}

// encoding is how the plan's result is written: the format (jpg, png,
// gif, webp) and JPEG quality.
type encoding struct {
	format  string
	quality int
}

// planCost checks every step's output against maxPx and returns the peak
// bytes the request holds: the encoded source, which is kept throughout,
// plus the most that is live at once at any stage — decoding (the decoded
// image and the decoder's working memory), each step (its input, its
// output and its scratch: an image is garbage once the next step is done
// with it), and encoding (the last image, the encoder's working memory and
// the buffer of the result). extra prices watermark images by handle
// (their own bytes and pixels).
func planCost(src srcHeader, c transform.Chain, maxPx int64, enc encoding, extra func(transform.Task, dims) int64) (int64, error) {
	if !needsPixels(c) || !src.ok {
		return 2 * src.size, nil
	}
	if src.dims.px() > maxPx {
		return 0, errorf(http.StatusBadRequest, "image is too large to process: %d×%d exceeds %d pixels", src.dims.w, src.dims.h, maxPx)
	}
	// Each stage holds what it works on, and what the stage before let go
	// of (freed) until the collector runs.
	cur, pixel, work := src.dims, src.pixel, src.work
	load := src.loadPlan(c)
	if load.denom > 1 {
		// Decoded reduced: what jpegscale holds, and the reduced size
		// until the resize it serves.
		pixel, work = src.jpeg.reducedBytes(src.dims, int64(load.denom))
		cur = load.start
	}
	curBytes, peak, freed := pixel, pixel+work, work
	if wantsEXIFRotation(c) {
		// Turned while decoding into a copy (the caller prices both
		// orientations).
		peak, freed, curBytes = peak+4*cur.px(), pixel+work, 4*cur.px()
	}
	opaque, deep := src.opaque, src.deep
	for i, t := range c.Tasks {
		if passTasks[t.Name] {
			continue
		}
		out, scratch := stepDims(cur, t)
		if load.denom > 1 && i < load.resizeAt {
			out = load.held[i]
		} else if load.denom > 1 && i == load.resizeAt {
			out = dims{int64(load.target.X), int64(load.target.Y)}
		}
		if out.px() > maxPx {
			return 0, errorf(http.StatusBadRequest, "result of `%s` would be %d×%d, over the %d-pixel limit", t.Name, out.w, out.h, maxPx)
		}
		held := 4 * scratch // besides input and output
		if extra != nil {
			held += extra(t, cur)
		}
		peak = max(peak, freed+curBytes+4*out.px()+held)
		freed = curBytes + held
		cur, curBytes = out, 4*out.px()
		opaque, deep = opaque && keepsOpaque(t), false
	}
	if enc.format != "" {
		peak = max(peak, freed+curBytes+encodeWork(enc.format, cur, opaque, deep, enc.quality)+
			outputBound(enc.format, cur, opaque, deep, enc.quality))
	}
	return src.size + peak + requestOverhead, nil
}

// loadPlan is how the source is decoded for chain c (planLoad): reduced
// only for a JPEG whose frame header was read.
func (src srcHeader) loadPlan(c transform.Chain) loadPlan {
	if !src.reducible {
		return loadPlan{denom: 1}
	}
	o := 1
	if wantsEXIFRotation(c) {
		o = src.orient
	}
	return planLoad(c, int(src.dims.w), int(src.dims.h), o)
}

// requestOverhead is what any processing request holds besides its images:
// the workers' row buffers, the connection's buffers, the chain.
const requestOverhead = 512 << 10

// keepsOpaque reports whether a task leaves an opaque image opaque: those
// that paint a color (a background, a border) keep it so when the color
// is opaque. (An overlay onto an opaque image stays opaque.)
func keepsOpaque(t transform.Task) bool {
	switch t.Name {
	case "rounded_corners", "circle":
		return bgColor(t, "white").A == 255
	case "border":
		c, ok := transform.ParseColor(t.String("color", "black"))
		return ok && c.A == 255
	case "rotate":
		d := t.Int("deg", 0) % 360
		return t.String("deg", "") == "exif" || d%90 == 0 || bgColor(t, "white").A == 255
	}
	return true
}

// outputEncoding is how a chain's result is written, as the pipeline
// decides it (output's format, auto_image's WebP for a client that takes
// it, else the source's format; png for one the emulator does not write),
// and the JPEG quality.
func outputEncoding(c transform.Chain, srcFormat string, webp bool) encoding {
	e := encoding{quality: 90}
	for _, t := range c.Tasks {
		switch t.Name {
		case "quality":
			e.quality = t.Int("value", 90)
		case "auto_image":
			if webp {
				e.format = "webp"
			}
		case "output":
			switch f := strings.ToLower(t.String("format", "")); f {
			case "jpg", "jpeg", "pjpg":
				e.format = "jpg"
			case "png", "gif", "webp":
				e.format = f
			}
			if q := t.String("quality", ""); q != "" && q != "input" {
				e.quality = t.Int("quality", 90)
			}
		}
	}
	if e.format == "" {
		e.format = map[string]string{"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}[srcFormat]
	}
	if e.format == "" {
		e.format = "png"
	}
	return e
}

// stepDims is the output size of one task and the scratch pixels (4
// bytes each) it holds besides its input and output. It follows
// applyImageTask's geometry and the imaging functions it calls.
func stepDims(in dims, t transform.Task) (out dims, scratch int64) {
	switch t.Name {
	case "resize":
		return resizeDims(in, t)
	case "crop":
		x, y, w, h := int64(t.Int("x", 0)), int64(t.Int("y", 0)), int64(t.Int("width", 0)), int64(t.Int("height", 0))
		if v, ok := t.Lookup("dim"); ok {
			if d, _ := v.AsInts(); len(d) == 4 {
				x, y, w, h = int64(d[0]), int64(d[1]), int64(d[2]), int64(d[3])
			}
		}
		w = max(0, min(x+w, in.w)-max(x, 0))
		h = max(0, min(y+h, in.h)-max(y, 0))
		return dims{w, h}, 0
	case "rotate":
		out := rotateDims(in, t)
		if d := t.Int("deg", 0) % 360; t.String("deg", "") != "exif" && d%90 != 0 {
			return out, in.px() // imaging.Rotate works on an NRGBA copy
		}
		return out, 0
	case "border":
		bw := int64(max(0, t.Int("width", 2)))
		out := dims{in.w + 2*bw, in.h + 2*bw}
		return out, out.px() // the canvas, then the copy Paste makes of it
	case "blur":
		return in, in.px() // the horizontal pass
	case "sharpen":
		return in, 2 * in.px() // a blur (both passes) beside the output
	case "pixelate":
		a := int64(max(2, t.Int("amount", 2)))
		return in, 2*in.px()/a + 1
	case "partial_blur", "partial_pixelate":
		// A region is cut, processed (blur: two passes) and, for ovals,
		// mixed through two more copies; the output is a clone.
		return in, 5 * largestRegion(in, t)
	}
	return in, 0
}

// largestRegion is the pixels of the largest region a partial task names,
// within the image.
func largestRegion(in dims, t transform.Task) int64 {
	v, _ := t.Lookup("objects")
	var most int64
	for _, o := range v.List {
		d, _ := o.AsInts()
		if len(d) != 4 {
			continue
		}
		w := max(0, min(int64(d[0])+int64(d[2]), in.w)-max(int64(d[0]), 0))
		h := max(0, min(int64(d[1])+int64(d[3]), in.h)-max(int64(d[1]), 0))
		most = max(most, w*h)
	}
	return most
}

// resizeDims mirrors resize: clip and max fit inside, scale distorts, crop
// fills (resizing to cover first, then cutting). Scratch is the box-reduced
// copy (within a few times the target on each side, never more than the
// input) and Lanczos' intermediate pass (target width × input height at
// most).
func resizeDims(in dims, t transform.Task) (dims, int64) {
	sw, sh := float64(max(1, in.w)), float64(max(1, in.h))
	w, h := int64(t.Int("width", 0)), int64(t.Int("height", 0))
	if w == 0 {
		w = max(1, int64(math.Round(sw*float64(h)/sh)))
	}
	if h == 0 {
		h = max(1, int64(math.Round(sh*float64(w)/sw)))
	}
	fit := t.String("fit", "clip")
	switch fit {
	case "scale":
		return dims{w, h}, reduced(in, w*h) + w*in.h
	case "crop":
		r := math.Max(float64(w)/sw, float64(h)/sh)
		cw, ch := int64(math.Ceil(sw*r)), int64(math.Ceil(sh*r))
		return dims{w, h}, reduced(in, cw*ch) + cw*ch + cw*in.h
	}
	ratio := math.Min(float64(w)/sw, float64(h)/sh)
	if fit == "max" && ratio >= 1 {
		return in, 0
	}
	nw := max(1, int64(math.Round(sw*ratio)))
	nh := max(1, int64(math.Round(sh*ratio)))
	return dims{nw, nh}, reduced(in, nw*nh) + nw*in.h
}

// reduced bounds the box-reduced copy a resize to outPx pixels makes.
func reduced(in dims, outPx int64) int64 { return min(in.px(), 16*outPx) }

// rotateDims mirrors rotate: right angles swap or keep the sides, other
// angles grow to the rotated bounding box, computed as imaging.Rotate does.
func rotateDims(in dims, t transform.Task) dims {
	d := t.String("deg", "")
	if d == "" || d == "exif" {
		return in
	}
	angle := float64(360 - t.Int("deg", 0)%360)
	angle -= math.Floor(angle/360) * 360
	switch angle {
	case 0, 180:
		return in
	case 90, 270:
		return dims{in.h, in.w}
	}
	sin, cos := math.Sincos(math.Pi * angle / 180)
	w, h := float64(in.w-1), float64(in.h-1)
	xs := []float64{0, w * cos, w*cos - h*sin, -h * sin}
	ys := []float64{0, w * sin, w*sin + h*cos, h * cos}
	side := func(v []float64) int64 {
		n := slices.Max(v) - slices.Min(v) + 1
		if n-math.Floor(n) > 0.1 {
			n++
		}
		return int64(n)
	}
	return dims{side(xs), side(ys)}
}
