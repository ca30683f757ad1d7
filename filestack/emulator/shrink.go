package emulator

import (
	"image"
	"image/color"
	"runtime"
	"sync"

	"github.com/disintegration/imaging"
)

// A large downscale with Lanczos alone spends most of its time on wide
// kernels over full-size rows. As libvips (shrink) and Pillow (reduce) do,
// the image is first averaged over integer kx×ky blocks down to within
// 2–3× of the target, which is cheap, and the quality filter then does the
// rest; at 2× and more its low-pass hides the box filter's aliasing.

// boxFactors picks the block size for a resize from sw×sh to nw×nh: 1 on
// an axis that is already within 4× of its target.
func boxFactors(sw, sh, nw, nh int) (int, int) {
	return max(1, sw/(2*max(1, nw))), max(1, sh/(2*max(1, nh)))
}

// lanczos resizes to nw×nh (0 keeps the aspect ratio, as imaging.Resize),
// box-reducing first when the scale allows it.
func lanczos(img image.Image, nw, nh int) image.Image {
	b := img.Bounds()
	tw, th := nw, nh
	if tw == 0 && th > 0 {
		tw = b.Dx() * th / max(1, b.Dy())
	}
	if th == 0 && tw > 0 {
		th = b.Dy() * tw / max(1, b.Dx())
	}
	kx, ky := boxFactors(b.Dx(), b.Dy(), tw, th)
	return imaging.Resize(boxReduce(img, kx, ky), nw, nh, imaging.Lanczos)
}

// lanczosFill is imaging.Fill (scale to cover w×h, then cut by anchor)
// with the same box reduction first.
func lanczosFill(img image.Image, w, h int, a imaging.Anchor) image.Image {
	b := img.Bounds()
	// Fill scales both axes by the smaller ratio, so reduce both by it.
	k := min(b.Dx()/(2*max(1, w)), b.Dy()/(2*max(1, h)))
	return imaging.Fill(boxReduce(img, max(1, k), max(1, k)), w, h, a, imaging.Lanczos)
}

// boxReduce averages kx×ky blocks (the last row and column of blocks may
// be smaller), returning img itself when there is nothing to reduce.
func boxReduce(img image.Image, kx, ky int) image.Image {
	if kx <= 1 && ky <= 1 {
		return img
	}
	switch src := img.(type) {
	case *image.YCbCr:
		return reduceYCbCr(src, kx, ky)
	case *image.RGBA:
		out := reduceNRGBA(&image.NRGBA{Pix: src.Pix, Stride: src.Stride, Rect: src.Rect}, kx, ky, false)
		return &image.RGBA{Pix: out.Pix, Stride: out.Stride, Rect: out.Rect}
	case *image.NRGBA:
		return reduceNRGBA(src, kx, ky, true)
	}
	return reduceNRGBA(imaging.Clone(img), kx, ky, true)
}

// blockGrid is the shape of a reduction: the output size, the block size
// and which output column each source column falls into.
type blockGrid struct {
	sw, sh, dw, dh, kx, ky int
	col                    []int
}

func newBlockGrid(r image.Rectangle, kx, ky int) blockGrid {
	g := blockGrid{sw: r.Dx(), sh: r.Dy(), kx: kx, ky: ky}
	g.dw, g.dh = (g.sw+kx-1)/kx, (g.sh+ky-1)/ky
	g.col = make([]int, g.sw)
	for x := range g.col {
		g.col[x] = x / kx
	}
	return g
}

// count is the number of source pixels in output pixel (dx, dy).
func (g blockGrid) count(dx, dy int) uint64 {
	return uint64(min(g.kx, g.sw-dx*g.kx) * min(g.ky, g.sh-dy*g.ky))
}

// rows runs fn over bands of output rows in parallel.
func (g blockGrid) rows(fn func(dy0, dy1 int)) {
	n := min(runtime.GOMAXPROCS(0), g.dh)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(dy0, dy1 int) {
			defer wg.Done()
			fn(dy0, dy1)
		}(g.dh*i/n, g.dh*(i+1)/n)
	}
	wg.Wait()
}

// reduceYCbCr averages the Y, Cb and Cr samples of each block and converts
// once per output pixel: the conversion is affine, so this equals
// averaging the RGB values (up to rounding) at a fraction of the cost.
func reduceYCbCr(src *image.YCbCr, kx, ky int) *image.NRGBA {
	r := src.Rect
	g := newBlockGrid(r, kx, ky)
	ccol := make([]int, g.sw)
	for x := range ccol {
		ccol[x] = src.COffset(r.Min.X+x, r.Min.Y) - src.COffset(r.Min.X, r.Min.Y)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, g.dw, g.dh))
	g.rows(func(dy0, dy1 int) {
		acc := make([]uint64, 3*g.dw)
		for dy := dy0; dy < dy1; dy++ {
			clear(acc)
			for y := dy * ky; y < min((dy+1)*ky, g.sh); y++ {
				yrow := src.YOffset(r.Min.X, r.Min.Y+y)
				crow := src.COffset(r.Min.X, r.Min.Y+y)
				for x, dx := range g.col {
					a := acc[3*dx : 3*dx+3 : 3*dx+3]
					a[0] += uint64(src.Y[yrow+x])
					a[1] += uint64(src.Cb[crow+ccol[x]])
					a[2] += uint64(src.Cr[crow+ccol[x]])
				}
			}
			out := dst.Pix[dy*dst.Stride:]
			for dx := 0; dx < g.dw; dx++ {
				n := g.count(dx, dy)
				yy, cb, cr := (acc[3*dx]+n/2)/n, (acc[3*dx+1]+n/2)/n, (acc[3*dx+2]+n/2)/n
				out[4*dx], out[4*dx+1], out[4*dx+2] = color.YCbCrToRGB(uint8(yy), uint8(cb), uint8(cr))
				out[4*dx+3] = 0xff
			}
		}
	})
	return dst
}

// reduceNRGBA averages 8-bit RGBA blocks. With straight (non-premultiplied)
// alpha the colours are weighted by alpha, so transparent pixels do not
// darken their neighbours; premultiplied pixels are averaged as they are.
func reduceNRGBA(src *image.NRGBA, kx, ky int, straight bool) *image.NRGBA {
	g := newBlockGrid(src.Rect, kx, ky)
	dst := image.NewNRGBA(image.Rect(0, 0, g.dw, g.dh))
	g.rows(func(dy0, dy1 int) {
		acc := make([]uint64, 4*g.dw)
		for dy := dy0; dy < dy1; dy++ {
			clear(acc)
			for y := dy * ky; y < min((dy+1)*ky, g.sh); y++ {
				row := src.Pix[y*src.Stride : y*src.Stride+4*g.sw]
				for x, dx := range g.col {
					p := row[4*x : 4*x+4 : 4*x+4]
					w := uint64(1)
					if straight {
						w = uint64(p[3])
					}
					a := acc[4*dx : 4*dx+4 : 4*dx+4]
					a[0] += uint64(p[0]) * w
					a[1] += uint64(p[1]) * w
					a[2] += uint64(p[2]) * w
					a[3] += uint64(p[3])
				}
			}
			out := dst.Pix[dy*dst.Stride:]
			for dx := 0; dx < g.dw; dx++ {
				n, a := g.count(dx, dy), acc[4*dx:4*dx+4]
				d := n
				if straight {
					d = a[3]
				}
				if d > 0 {
					out[4*dx], out[4*dx+1], out[4*dx+2] = uint8((a[0]+d/2)/d), uint8((a[1]+d/2)/d), uint8((a[2]+d/2)/d)
				}
				out[4*dx+3] = uint8((a[3] + n/2) / n)
			}
		}
	})
	return dst
}
