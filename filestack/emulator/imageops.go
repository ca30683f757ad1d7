package emulator

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math"
	"net/http"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// applyImageTask runs one pixel task. Parameters were validated against the
// catalogue before the chain started, so defaults here are the catalogue's.
func applyImageTask(img image.Image, t transform.Task) (image.Image, error) {
	switch t.Name {
	case "resize":
		return resize(img, t), nil
	case "crop":
		return crop(img, t)
	case "rotate":
		return rotate(img, t), nil
	case "flip":
		return imaging.FlipV(img), nil
	case "flop":
		return imaging.FlipH(img), nil
	case "rounded_corners":
		return roundedCorners(img, t), nil
	case "circle":
		return circle(img, bgColor(t, "white")), nil
	case "border":
		return border(img, t), nil
	case "sharpen":
		return imaging.Sharpen(img, float64(t.Int("amount", 2))/2), nil
	case "blur":
		return blur(img, t.Int("amount", 2)), nil
	case "monochrome":
		return imaging.Grayscale(img), nil
	case "blackwhite":
		return blackWhite(img, t.Int("threshold", 50)), nil
	case "sepia":
		return sepia(img, t.Int("tone", 80)), nil
	case "negative":
		return imaging.Invert(img), nil
	case "pixelate":
		return pixelate(img, t.Int("amount", 2)), nil
	case "modulate":
		return modulate(img, t.Int("brightness", 100), t.Int("saturation", 100), t.Int("hue", 0)), nil
	case "partial_pixelate", "partial_blur":
		return partial(img, t)
	}
	return nil, errorf(http.StatusBadRequest, "the `%s` task is not implemented by the fsdeck emulator", t.Name)
}

func blur(img image.Image, amount int) image.Image {
	if amount <= 0 {
		return img
	}
	return imaging.Blur(img, float64(amount))
}

func bgColor(t transform.Task, def string) color.NRGBA {
	c, ok := transform.ParseColor(t.String("background", def))
	if !ok {
		c, _ = transform.ParseColor(def)
	}
	return c
}

// resize implements fit clip (fit inside, keep aspect), max (clip without
// enlarging), scale (exact, distorting) and crop (fill, then cut by align).
func resize(img image.Image, t transform.Task) image.Image {
	b := img.Bounds()
	fit, w, h, keep := resizeTarget(b.Dx(), b.Dy(), t)
	if keep {
		return img
	}
	return resizeTo(img, t, fit, w, h)
}

// resizeTarget is the size a resize task gives an sw×sh image, and its
// fit; keep: the image is left as it is (max, already small enough).
func resizeTarget(sw, sh int, t transform.Task) (fit string, w, h int, keep bool) {
	w, h = t.Int("width", 0), t.Int("height", 0)
	if w == 0 {
		w = max(1, int(math.Round(float64(sw)*float64(h)/float64(sh))))
	}
	if h == 0 {
		h = max(1, int(math.Round(float64(sh)*float64(w)/float64(sw))))
	}
	fit = t.String("fit", "clip")
	if fit == "scale" || fit == "crop" {
		return fit, w, h, false
	}
	ratio := math.Min(float64(w)/float64(sw), float64(h)/float64(sh))
	if fit == "max" && ratio >= 1 {
		return fit, sw, sh, true
	}
	return fit, max(1, int(math.Round(float64(sw)*ratio))), max(1, int(math.Round(float64(sh)*ratio))), false
}

// resizeTo resizes img to w×h as resizeTarget decided (from img's size,
// or from the full-size one when img was decoded reduced).
func resizeTo(img image.Image, t transform.Task, fit string, w, h int) image.Image {
	if fit == "crop" {
		return lanczosFill(img, w, h, anchor(t.Lookup("align")))
	}
	return lanczos(img, w, h)
}

// anchor maps Filestack's align (a word or a [vertical,horizontal] pair) to
// an imaging anchor; faces needs ML and falls back to center.
func anchor(v transform.Value, ok bool) imaging.Anchor {
	if !ok {
		return imaging.Center
	}
	vert, horiz := "middle", "center"
	words := v.AsStrings()
	for _, w := range words {
		switch w {
		case "top", "bottom":
			vert = w
		case "left", "right":
			horiz = w
		}
	}
	table := map[[2]string]imaging.Anchor{
		{"top", "left"}: imaging.TopLeft, {"top", "center"}: imaging.Top, {"top", "right"}: imaging.TopRight,
		{"middle", "left"}: imaging.Left, {"middle", "center"}: imaging.Center, {"middle", "right"}: imaging.Right,
		{"bottom", "left"}: imaging.BottomLeft, {"bottom", "center"}: imaging.Bottom, {"bottom", "right"}: imaging.BottomRight,
	}
	return table[[2]string{vert, horiz}]
}

func crop(img image.Image, t transform.Task) (image.Image, error) {
	b := img.Bounds()
	rect := cropRect(t, b)
	if rect.Empty() {
		x, y, w, h := cropDims(t)
		return nil, errorf(http.StatusBadRequest, "crop area [%d,%d,%d,%d] lies outside the %d×%d image", x, y, w, h, b.Dx(), b.Dy())
	}
	return imaging.Crop(img, rect), nil
}

// cropRect is the part of an image with bounds b that a crop task keeps.
func cropRect(t transform.Task, b image.Rectangle) image.Rectangle {
	x, y, w, h := cropDims(t)
	return image.Rect(b.Min.X+x, b.Min.Y+y, b.Min.X+x+w, b.Min.Y+y+h).Intersect(b)
}

// cropDims is a crop task's x, y, width and height.
func cropDims(t transform.Task) (x, y, w, h int) {
	x, y, w, h = t.Int("x", 0), t.Int("y", 0), t.Int("width", 0), t.Int("height", 0)
	if v, ok := t.Lookup("dim"); ok {
		if d, _ := v.AsInts(); len(d) == 4 {
			x, y, w, h = d[0], d[1], d[2], d[3]
		}
	}
	return x, y, w, h
}

// rotate turns clockwise, as Filestack does; "exif" was already applied at
// decode time, so it leaves the image as it is.
func rotate(img image.Image, t transform.Task) image.Image {
	d := t.String("deg", "")
	if d == "" || d == "exif" {
		return img
	}
	deg := t.Int("deg", 0) % 360
	switch deg {
	case 0:
		return img
	case 90:
		return imaging.Rotate270(img)
	case 180:
		return imaging.Rotate180(img)
	case 270:
		return imaging.Rotate90(img)
	}
	return imaging.Rotate(img, float64(360-deg), bgColor(t, "white"))
}

func border(img image.Image, t transform.Task) image.Image {
	bw := t.Int("width", 2)
	c, _ := transform.ParseColor(t.String("color", "black"))
	b := img.Bounds()
	canvas := imaging.New(b.Dx()+2*bw, b.Dy()+2*bw, c)
	return imaging.Paste(canvas, img, image.Pt(bw, bw))
}

// maskFunc returns coverage in [0,1] of pixel (x,y) by the kept shape.
type maskFunc func(x, y int) float64

// applyMask blends pixels outside the shape into bg, antialiased.
func applyMask(img image.Image, bg color.NRGBA, cover maskFunc) image.Image {
	src := imaging.Clone(img)
	b := src.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			a := cover(x, y)
			if a >= 1 {
				continue
			}
			i := src.PixOffset(x, y)
			p := src.Pix[i : i+4 : i+4]
			for k, bc := range [4]uint8{bg.R, bg.G, bg.B, bg.A} {
				p[k] = uint8(math.Round(float64(p[k])*a + float64(bc)*(1-a)))
			}
		}
	}
	return src
}

func roundedCorners(img image.Image, t transform.Task) image.Image {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	r := float64(t.Int("radius", 50))
	if t.String("radius", "") == "max" || r > math.Min(w, h)/2 {
		r = math.Min(w, h) / 2
	}
	soft := math.Max(0.5, t.Float("blur", 0.3)*2)
	return applyMask(img, bgColor(t, "white"), func(x, y int) float64 {
		px, py := float64(x)+0.5, float64(y)+0.5
		cx := math.Min(math.Max(px, r), w-r)
		cy := math.Min(math.Max(py, r), h-r)
		d := math.Hypot(px-cx, py-cy)
		return clamp01((r-d)/soft + 0.5)
	})
}

func circle(img image.Image, bg color.NRGBA) image.Image {
	b := img.Bounds()
	rx, ry := float64(b.Dx())/2, float64(b.Dy())/2
	return applyMask(img, bg, ellipse(0, 0, rx, ry))
}

// ellipse is the coverage of an ellipse inscribed in the box at (ox,oy).
func ellipse(ox, oy int, rx, ry float64) maskFunc {
	return func(x, y int) float64 {
		dx := (float64(x-ox) + 0.5 - rx) / rx
		dy := (float64(y-oy) + 0.5 - ry) / ry
		d := math.Sqrt(dx*dx+dy*dy) * math.Min(rx, ry)
		return clamp01(math.Min(rx, ry) - d + 0.5)
	}
}

func clamp01(f float64) float64 { return math.Max(0, math.Min(1, f)) }

func blackWhite(img image.Image, threshold int) image.Image {
	g := imaging.Grayscale(img)
	cut := uint8(threshold * 255 / 100)
	for i := 0; i < len(g.Pix); i += 4 {
		v := uint8(0)
		if g.Pix[i] >= cut {
			v = 255
		}
		g.Pix[i], g.Pix[i+1], g.Pix[i+2] = v, v, v
	}
	return g
}

func sepia(img image.Image, tone int) image.Image {
	k := float64(tone) / 100
	return imaging.AdjustFunc(img, func(c color.NRGBA) color.NRGBA {
		r, g, b := float64(c.R), float64(c.G), float64(c.B)
		sr := math.Min(255, 0.393*r+0.769*g+0.189*b)
		sg := math.Min(255, 0.349*r+0.686*g+0.168*b)
		sb := math.Min(255, 0.272*r+0.534*g+0.131*b)
		return color.NRGBA{uint8(r + (sr-r)*k), uint8(g + (sg-g)*k), uint8(b + (sb-b)*k), c.A}
	})
}

func pixelate(img image.Image, amount int) image.Image {
	b := img.Bounds()
	if amount < 2 {
		return img
	}
	small := imaging.Resize(img, max(1, b.Dx()/amount), max(1, b.Dy()/amount), imaging.Box)
	return imaging.Resize(small, b.Dx(), b.Dy(), imaging.NearestNeighbor)
}

// modulate scales brightness and saturation (percent) and rotates hue.
func modulate(img image.Image, bright, sat, hue int) image.Image {
	bk, sk, hk := float64(bright)/100, float64(sat)/100, float64(hue)/360
	return imaging.AdjustFunc(img, func(c color.NRGBA) color.NRGBA {
		h, s, l := rgbToHSL(c.R, c.G, c.B)
		h = math.Mod(h+hk, 1)
		s = clamp01(s * sk)
		l = clamp01(l * bk)
		r, g, b := hslToRGB(h, s, l)
		return color.NRGBA{r, g, b, c.A}
	})
}

func rgbToHSL(r8, g8, b8 uint8) (h, s, l float64) {
	r, g, b := float64(r8)/255, float64(g8)/255, float64(b8)/255
	mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	l = (mx + mn) / 2
	if mx == mn {
		return 0, 0, l
	}
	d := mx - mn
	if l > 0.5 {
		s = d / (2 - mx - mn)
	} else {
		s = d / (mx + mn)
	}
	switch mx {
	case r:
		h = (g - b) / d
		if g < b {
			h += 6
		}
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	return h / 6, s, l
}

func hslToRGB(h, s, l float64) (uint8, uint8, uint8) {
	if s == 0 {
		v := uint8(math.Round(l * 255))
		return v, v, v
	}
	q := l * (1 + s)
	if l >= 0.5 {
		q = l + s - l*s
	}
	p := 2*l - q
	f := func(t float64) uint8 {
		t = math.Mod(t+1, 1)
		var v float64
		switch {
		case t < 1.0/6:
			v = p + (q-p)*6*t
		case t < 0.5:
			v = q
		case t < 2.0/3:
			v = p + (q-p)*(2.0/3-t)*6
		default:
			v = p
		}
		return uint8(math.Round(clamp01(v) * 255))
	}
	return f(h + 1.0/3), f(h), f(h - 1.0/3)
}

// partial pixelates or blurs each [x,y,w,h] region; type oval limits the
// effect to the ellipse inscribed in the region.
func partial(img image.Image, t transform.Task) (image.Image, error) {
	out := imaging.Clone(img)
	v, _ := t.Lookup("objects")
	oval := t.String("type", "rect") == "oval"
	for _, o := range v.List {
		d, _ := o.AsInts()
		rect := image.Rect(d[0], d[1], d[0]+d[2], d[1]+d[3]).Intersect(out.Bounds())
		if rect.Empty() {
			continue
		}
		region := imaging.Crop(out, rect)
		var done image.Image
		if t.Name == "partial_pixelate" {
			done = pixelate(region, t.Int("amount", 10))
		} else {
			done = blur(region, int(math.Max(1, t.Float("blur", 4))))
		}
		if oval {
			done = keepInside(region, done, ellipse(0, 0, float64(rect.Dx())/2, float64(rect.Dy())/2))
		}
		draw.Draw(out, rect, done, image.Point{}, draw.Src)
	}
	return out, nil
}

// keepInside mixes: processed pixels where the mask covers, original elsewhere.
func keepInside(orig, processed image.Image, cover maskFunc) image.Image {
	o, p := imaging.Clone(orig), imaging.Clone(processed)
	for y := 0; y < o.Bounds().Dy(); y++ {
		for x := 0; x < o.Bounds().Dx(); x++ {
			a := cover(x, y)
			i := o.PixOffset(x, y)
			for k := 0; k < 4; k++ {
				o.Pix[i+k] = uint8(math.Round(float64(p.Pix[i+k])*a + float64(o.Pix[i+k])*(1-a)))
			}
		}
	}
	return o
}

// watermark overlays another stored image, sized as a percentage of the
// base image's width, at position (a word or [vertical,horizontal]).
func (s *Server) watermark(r *http.Request, cr creds, img image.Image, t transform.Task) (image.Image, error) {
	handle := t.String("file", "")
	if !transform.ValidHandle(handle) {
		return nil, errorf(http.StatusBadRequest, "watermark file %q is not a handle", handle)
	}
	in, err := s.openSource(r, cr, handle)
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(in.data))
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxImagePixels {
		return nil, errorf(http.StatusBadRequest, "watermark file is not an image the emulator can process")
	}
	wm, err := imaging.Decode(bytes.NewReader(in.data))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "watermark file is not an image the emulator can process")
	}
	b := img.Bounds()
	if size := t.Int("size", 0); size > 0 {
		wm = lanczos(wm, max(1, b.Dx()*size/100), 0)
	}
	pos, ok := t.Lookup("position")
	at := placement(b, wm.Bounds(), anchor(pos, ok))
	return imaging.Overlay(img, wm, at, 1), nil
}

func placement(base, over image.Rectangle, a imaging.Anchor) image.Point {
	dx, dy := base.Dx()-over.Dx(), base.Dy()-over.Dy()
	x, y := dx/2, dy/2
	switch a {
	case imaging.TopLeft, imaging.Left, imaging.BottomLeft:
		x = 0
	case imaging.TopRight, imaging.Right, imaging.BottomRight:
		x = dx
	}
	switch a {
	case imaging.TopLeft, imaging.Top, imaging.TopRight:
		y = 0
	case imaging.BottomLeft, imaging.Bottom, imaging.BottomRight:
		y = dy
	}
	return image.Pt(x, y)
}
