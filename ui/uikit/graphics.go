package uikit

import (
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// CellSize is the size of one terminal cell in pixels, as the terminal
// reports it (TIOCGWINSZ's ws_xpixel/ws_ypixel over the size in cells, or
// the reply to CSI 16 t); zero when it said nothing.
type CellSize struct{ W, H int }

// Known reports whether the terminal said its cell size.
func (c CellSize) Known() bool { return c.W > 0 && c.H > 0 }

// fallbackCell is the cell assumed when the terminal does not say: twice
// as high as wide, as most fonts are.
var fallbackCell = CellSize{W: 8, H: 16}

// ImageBox is where an image is drawn: PW×PH pixels, scaled down only and
// keeping its aspect ratio, covering Cols×Rows cells from the box's top
// left corner. Known is false when the cell size is the 1:2 guess.
type ImageBox struct {
	PW, PH     int
	Cols, Rows int
	Known      bool
}

// FitImage fits an iw×ih image into cols×rows cells of the given size
// (the 1:2 guess when unknown): an image that fits is drawn at its own
// size, a larger one scaled down by the side that limits it, so its
// aspect ratio is kept in every protocol.
func FitImage(iw, ih, cols, rows int, cell CellSize) ImageBox {
	known := cell.Known()
	if !known {
		cell = fallbackCell
	}
	cols, rows = max(1, cols), max(1, rows)
	iw, ih = max(1, iw), max(1, ih)
	bw, bh := cols*cell.W, rows*cell.H
	scale := min(1, float64(bw)/float64(iw), float64(bh)/float64(ih))
	pw := min(bw, max(1, int(math.Round(float64(iw)*scale))))
	ph := min(bh, max(1, int(math.Round(float64(ih)*scale))))
	return ImageBox{PW: pw, PH: ph, Known: known,
		Cols: min(cols, (pw+cell.W-1)/cell.W), Rows: min(rows, (ph+cell.H-1)/cell.H)}
}

// scaleTo is img at w×h pixels (itself when already that size).
func scaleTo(img image.Image, w, h int) image.Image {
	if b := img.Bounds(); b.Dx() == w && b.Dy() == h {
		return img
	}
	return imaging.Resize(img, w, h, imaging.CatmullRom)
}
