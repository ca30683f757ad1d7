package emulator

import (
	"image"
	"image/color"
	"math"
	"net/http"
	"slices"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// A plan is what a chain will cost before any of it runs: the size of every
// step's output, from the source's header and each task's geometry, and an
// estimate of the memory the request holds at its peak. Steps over the pixel
// limit are refused here, before the work, not after it.

// dims is an image size in pixels.
type dims struct{ w, h int64 }

func (d dims) px() int64 { return d.w * d.h }

// srcHeader is what the planner knows about a source image.
type srcHeader struct {
	size int64 // encoded bytes held in memory
	dims dims
	bpp  int64 // bytes per decoded pixel
	ok   bool  // false: not an image (the chain fails at decode)
}

// headerOf reads dims and pixel depth from an image header; 16-bit images
// decode to 8 bytes a pixel, everything else to at most 4.
func headerOf(cfg image.Config, size int64) srcHeader {
	bpp := int64(4)
	switch cfg.ColorModel {
	case color.NRGBA64Model, color.RGBA64Model:
		bpp = 8
	}
	return srcHeader{size: size, dims: dims{int64(cfg.Width), int64(cfg.Height)}, bpp: bpp, ok: true}
}

// passTasks never touch pixels' geometry (they only change the encoding
// or end the chain).
var passTasks = map[string]bool{"quality": true, "output": true, "compress": true, "no_metadata": true,
	"auto_image": true, "fallback": true, "store": true, "imagesize": true, "metadata": true}

// filterTasks keep the size but need a scratch image as large as the output.
var filterTasks = map[string]bool{"sharpen": true, "blur": true, "partial_blur": true, "partial_pixelate": true,
	"pixelate": true, "rounded_corners": true, "circle": true}

// needsPixels reports whether the chain decodes its source.
func needsPixels(c transform.Chain) bool {
	for _, t := range c.Tasks {
		if t.Name != "store" && t.Name != "fallback" && t.Name != "metadata" {
			return true
		}
	}
	return false
}

// planCost checks every step's output against maxPx and returns the peak
// bytes the request may hold: the encoded source, its decoded pixels, the
// largest step (input, output and scratch), and the encoded result. extra
// prices watermark images by handle (their own bytes and pixels).
func planCost(src srcHeader, c transform.Chain, maxPx int64, extra func(transform.Task, dims) int64) (int64, error) {
	if !needsPixels(c) || !src.ok {
		return 2 * src.size, nil
	}
	if src.dims.px() > maxPx {
		return 0, errorf(http.StatusBadRequest, "image is too large to process: %d×%d exceeds %d pixels", src.dims.w, src.dims.h, maxPx)
	}
	cur, peak := src.dims, int64(0)
	first := true
	for _, t := range c.Tasks {
		if passTasks[t.Name] {
			continue
		}
		out, scratch := stepDims(cur, t)
		if out.px() > maxPx {
			return 0, errorf(http.StatusBadRequest, "result of `%s` would be %d×%d, over the %d-pixel limit", t.Name, out.w, out.h, maxPx)
		}
		live := out.px() + scratch
		if !first {
			live += cur.px() // the source's decoded pixels are counted apart
		}
		step := 4 * live
		if extra != nil {
			step += extra(t, cur)
		}
		peak = max(peak, step)
		cur, first = out, false
	}
	return src.size + src.bpp*src.dims.px() + peak + 4*cur.px(), nil
}

// stepDims is the output size of one task and the scratch pixels it needs
// on top of input and output. It follows applyImageTask's geometry.
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
		return rotateDims(in, t), 0
	case "border":
		bw := int64(max(0, t.Int("width", 2)))
		return dims{in.w + 2*bw, in.h + 2*bw}, 0
	}
	if filterTasks[t.Name] {
		return in, in.px()
	}
	return in, 0
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
