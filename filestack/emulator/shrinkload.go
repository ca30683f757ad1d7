package emulator

import (
	"encoding/binary"
	"image"
	"image/color"

	"github.com/disintegration/imaging"

	"github.com/fsdeck/fsdeck/filestack/transform"
)

// Shrink on load: a JPEG that a chain reduces a lot is decoded at 1/2,
// 1/4 or 1/8 of its size in the DCT domain (jpegscale, as libjpeg's
// scale_denom), where each pixel is the mean of the block it stands for:
// the same box reduction resize starts with (shrink.go), done before the
// full-size pixels exist. The rest of the box and the Lanczos step then
// finish the resize as before. The reduction is the largest that keeps
// the image at least twice the resize's target on each side, as the box
// step does (libvips leaves the same factor of two for its final step),
// so the result is what the full decode gives, up to how the blocks fall.
//
// Only what cannot tell the difference may come before that resize: tasks
// that only change the encoding, flips and right-angle rotations (EXIF's
// too) that keep the reduced pixels' grid where the box step's would be
// (from the top-left corner: a side the reduction does not divide must
// not be flipped), and crops whose edges fall on the reduced pixels'
// edges (or the image's). Anything else decodes at full size.

// reducibleJPEG reports whether a source may be decoded reduced: a JPEG,
// but not a CMYK one, whose conversion to RGB multiplies the inks, so
// the mean of a block's inks does not give the mean of its colours.
func reducibleJPEG(cfg image.Config, format string) bool {
	return format == "jpeg" && cfg.ColorModel != color.CMYKModel
}

// loadPlan is how a chain's JPEG source is decoded.
type loadPlan struct {
	denom    int         // 1 (full size), 2, 4 or 8
	orient   int         // the EXIF orientation applied after decoding (1: none)
	resizeAt int         // index of the resize the reduction serves
	target   image.Point // its output size, from the full-size geometry
	// crops are the prefix's crops in reduced pixels, by task index;
	// held is the reduced image's size after each task before resizeAt.
	crops map[int]image.Rectangle
	start dims
	held  []dims
}

// loadGrid follows the reduced pixels through the prefix: the image's
// size as a full decode would have it, and where the reduced pixels'
// edges fall in it (at px + k·s across and py + k·s down; a pixel cut
// short by the image's edge lies before px and after the last whole one).
type loadGrid struct{ w, h, px, py, s int }

func (g loadGrid) mod(v int) int { return ((v % g.s) + g.s) % g.s }

// cells is the number of reduced pixels along a side of n with phase p.
func (g loadGrid) cells(n, p int) int {
	c := (n - p + g.s - 1) / g.s
	if p > 0 {
		c++
	}
	return c
}

func (g loadGrid) held() dims {
	return dims{int64(g.cells(g.w, g.px)), int64(g.cells(g.h, g.py))}
}

func (g loadGrid) flipH() loadGrid { g.px = g.mod(g.w - g.px); return g }
func (g loadGrid) flipV() loadGrid { g.py = g.mod(g.h - g.py); return g }
func (g loadGrid) transpose() loadGrid {
	return loadGrid{w: g.h, h: g.w, px: g.py, py: g.px, s: g.s}
}

// rotateCW turns a quarter clockwise (imaging.Rotate270), rotateCCW a
// quarter counter-clockwise (imaging.Rotate90).
func (g loadGrid) rotateCW() loadGrid  { return g.transpose().flipH() }
func (g loadGrid) rotateCCW() loadGrid { return g.transpose().flipV() }

// oriented applies an EXIF orientation as imaging's AutoOrientation does.
func (g loadGrid) oriented(o int) loadGrid {
	switch o {
	case 2:
		return g.flipH()
	case 3:
		return g.flipH().flipV()
	case 4:
		return g.flipV()
	case 5: // imaging.Transpose
		return g.transpose()
	case 6:
		return g.rotateCW()
	case 7: // imaging.Transverse: flip vertically, then a quarter counter-clockwise
		return g.flipV().rotateCCW()
	case 8:
		return g.rotateCCW()
	}
	return g
}

// orientImage is imaging's AutoOrientation for orientation o.
func orientImage(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// edge reports whether a crop edge at v (on a side of n with phase p)
// falls on a reduced pixel's edge, and which reduced pixel starts there.
func (g loadGrid) edge(v, n, p int) (int, bool) {
	switch {
	case v == 0:
		return 0, true
	case v == n:
		return g.cells(n, p), true
	case g.mod(v-p) != 0:
		return 0, false
	case p > 0:
		return (v-p)/g.s + 1, true
	}
	return v / g.s, true
}

// crop cuts r (full-size pixels, within the image) when its edges fall on
// reduced pixels' edges, returning the cut in reduced pixels.
func (g loadGrid) crop(r image.Rectangle) (loadGrid, image.Rectangle, bool) {
	x0, ok0 := g.edge(r.Min.X, g.w, g.px)
	x1, ok1 := g.edge(r.Max.X, g.w, g.px)
	y0, ok2 := g.edge(r.Min.Y, g.h, g.py)
	y1, ok3 := g.edge(r.Max.Y, g.h, g.py)
	if !ok0 || !ok1 || !ok2 || !ok3 {
		return g, image.Rectangle{}, false
	}
	n := loadGrid{w: r.Dx(), h: r.Dy(), px: g.mod(g.px - r.Min.X), py: g.mod(g.py - r.Min.Y), s: g.s}
	return n, image.Rect(x0, y0, x1, y1), true
}

// planLoad decides how a w×h JPEG is decoded for chain c. orient is the
// EXIF orientation the chain applies (1 for none; 0 when the header could
// not tell, which decodes at full size, as does anything unforeseen).
func planLoad(c transform.Chain, w, h, orient int) loadPlan {
	full := loadPlan{denom: 1, orient: max(1, orient)}
	if orient == 0 || w <= 0 || h <= 0 {
		return full
	}
	for _, s := range []int{8, 4, 2} {
		if p, ok := planAt(c, loadGrid{w: w, h: h, s: s}.oriented(orient)); ok {
			p.denom, p.orient = s, orient
			return p
		}
	}
	return full
}

// encodingOnly are the tasks that leave the pixels as they are.
var encodingOnly = map[string]bool{"quality": true, "output": true, "compress": true, "no_metadata": true,
	"auto_image": true, "fallback": true}

// planAt follows the chain on grid g (already oriented) up to its first
// resize, reporting whether reducing by g.s fits it.
func planAt(c transform.Chain, g loadGrid) (loadPlan, bool) {
	p := loadPlan{crops: map[int]image.Rectangle{}, start: g.held()}
	for i, t := range c.Tasks {
		switch t.Name {
		case "flip":
			g = g.flipV()
		case "flop":
			g = g.flipH()
		case "rotate":
			switch d := t.String("deg", ""); {
			case d == "" || d == "exif" || t.Int("deg", 0)%360 == 0:
			case t.Int("deg", 0)%360 == 90:
				g = g.rotateCW()
			case t.Int("deg", 0)%360 == 180:
				g = g.flipH().flipV()
			case t.Int("deg", 0)%360 == 270:
				g = g.rotateCCW()
			default:
				return p, false
			}
		case "crop":
			r := cropRect(t, image.Rect(0, 0, g.w, g.h))
			var cut image.Rectangle
			var ok bool
			if r.Empty() {
				return p, false
			}
			if g, cut, ok = g.crop(r); !ok {
				return p, false
			}
			p.crops[i] = cut
		case "resize":
			fit, tw, th, keep := resizeTarget(g.w, g.h, t)
			if keep || g.px != 0 || g.py != 0 {
				// A reduced pixel cut short by the image's edge must be
				// last, as the box step's is: first, it would shift
				// the whole image by up to a reduced pixel against it.
				return p, false
			}
			kx, ky := boxFactors(g.w, g.h, tw, th)
			if fit == "crop" {
				kx = max(1, min(g.w/(2*tw), g.h/(2*th)))
				ky = kx
			}
			if min(kx, ky) < g.s {
				return p, false
			}
			p.resizeAt, p.target = i, image.Pt(tw, th)
			return p, true
		default:
			if !encodingOnly[t.Name] {
				return p, false
			}
		}
		p.held = append(p.held, g.held())
	}
	return p, false
}

// jpegOrientation reads the EXIF orientation from the start of a JPEG as
// imaging's AutoOrientation does (the first APP1 segment only): 1 to 8,
// 1 when there is none, 0 when head ends before that is known.
func jpegOrientation(head []byte) int {
	const none = 1
	if len(head) < 2 || head[0] != 0xff || head[1] != 0xd8 {
		return none
	}
	i := 2
	for {
		if len(head) < i+4 {
			return 0
		}
		marker, size := binary.BigEndian.Uint16(head[i:]), int(binary.BigEndian.Uint16(head[i+2:]))
		if marker>>8 != 0xff {
			return none
		}
		if marker == 0xffe1 {
			i += 4
			break
		}
		if size < 2 {
			return none
		}
		i += 2 + size
	}
	// "Exif", two bytes, then a TIFF header: byte order, 42, IFD0's offset.
	if len(head) < i+14 {
		return 0
	}
	if string(head[i:i+4]) != "Exif" {
		return none
	}
	tiff := i + 6
	var bo binary.ByteOrder
	switch string(head[tiff : tiff+2]) {
	case "MM":
		bo = binary.BigEndian
	case "II":
		bo = binary.LittleEndian
	default:
		return none
	}
	off := int64(bo.Uint32(head[tiff+4:]))
	if off < 8 {
		return none
	}
	at := int64(tiff) + off
	if int64(len(head)) < at+2 {
		return 0
	}
	n := int64(bo.Uint16(head[at:]))
	for e := at + 2; e < at+2+12*n; e += 12 {
		if int64(len(head)) < e+10 {
			return 0
		}
		if bo.Uint16(head[e:]) != 0x0112 {
			continue
		}
		if v := int(bo.Uint16(head[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return none
	}
	return none
}
