package uikit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color/palette"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
)

// sixelGuess is the cell assumed for sixel when the terminal does not
// say: small, so the image stays inside its box whatever the font (sixel
// is drawn in pixels, and one running past the screen's bottom scrolls
// it).
var sixelGuess = CellSize{W: 6, H: 12}

// SixelImage is img as a sixel sequence (DCS … ST) fitted, aspect ratio
// kept, into cols×rows cells: scaled down only, quantised to a 256-colour
// palette with Floyd–Steinberg dithering, transparent pixels left
// undrawn. It draws at the cursor; the caller positions it.
func SixelImage(img image.Image, cols, rows int, cell CellSize) string {
	if !cell.Known() {
		cell = sixelGuess
	}
	box := FitImage(img.Bounds().Dx(), img.Bounds().Dy(), cols, rows, cell)
	src := scaleTo(img, box.PW, box.PH)
	sb := src.Bounds()
	pal := image.NewPaletted(image.Rect(0, 0, box.PW, box.PH), palette.Plan9)
	draw.FloydSteinberg.Draw(pal, pal.Rect, src, sb.Min)
	opaque := func(x, y int) bool {
		_, _, _, a := src.At(sb.Min.X+x, sb.Min.Y+y).RGBA()
		return a >= 0x8000
	}
	var out strings.Builder
	// P2=1: pixels not drawn stay as they are; raster attributes: square
	// pixels, the image's size.
	fmt.Fprintf(&out, "\x1bP0;1;0q\"1;1;%d;%d", box.PW, box.PH)
	used := make([]bool, len(palette.Plan9))
	for y := 0; y < box.PH; y++ {
		for x := 0; x < box.PW; x++ {
			if opaque(x, y) {
				used[pal.ColorIndexAt(x, y)] = true
			}
		}
	}
	for i, u := range used {
		if u {
			r, g, b, _ := palette.Plan9[i].RGBA()
			fmt.Fprintf(&out, "#%d;2;%d;%d;%d", i, pct(r), pct(g), pct(b))
		}
	}
	bits := make(map[uint8][]byte)
	var order []uint8
	for y0 := 0; y0 < box.PH; y0 += 6 {
		clear(bits)
		order = order[:0]
		for k := 0; k < 6 && y0+k < box.PH; k++ {
			for x := 0; x < box.PW; x++ {
				if !opaque(x, y0+k) {
					continue
				}
				c := pal.ColorIndexAt(x, y0+k)
				row, ok := bits[c]
				if !ok {
					row = make([]byte, box.PW)
					bits[c] = row
					order = append(order, c)
				}
				row[x] |= 1 << k
			}
		}
		for i, c := range order {
			if i > 0 {
				out.WriteByte('$') // back to the band's start for the next colour
			}
			out.WriteString("#" + strconv.Itoa(int(c)))
			writeSixelRuns(&out, bits[c])
		}
		if y0+6 < box.PH {
			out.WriteByte('-') // next band
		}
	}
	out.WriteString("\x1b\\")
	return out.String()
}

// writeSixelRuns writes one colour's band, runs of a repeated sixel
// compressed (!count then the sixel).
func writeSixelRuns(out *strings.Builder, row []byte) {
	// Trailing empty sixels draw nothing.
	end := len(row)
	for end > 0 && row[end-1] == 0 {
		end--
	}
	for i := 0; i < end; {
		j := i
		for j < end && row[j] == row[i] {
			j++
		}
		ch := byte(63 + row[i])
		if n := j - i; n > 3 {
			out.WriteString("!" + strconv.Itoa(n))
			out.WriteByte(ch)
		} else {
			for ; i < j; i++ {
				out.WriteByte(ch)
			}
		}
		i = j
	}
}

// pct is a 16-bit colour channel in sixel's 0–100 scale.
func pct(v uint32) int { return int((v*100 + 0x7fff) / 0xffff) }

// ITerm2Image is img as iTerm2's inline image sequence (OSC 1337 File=),
// fitted into cols×rows cells with its aspect ratio kept: with the cell
// size known, scaled down to the pixel box and sized in pixels; without,
// sized in cells and left to the terminal to fit (preserveAspectRatio).
// It draws at the cursor and does not move it (doNotMoveCursor, for
// WezTerm; iTerm2 ignores it, and the caller restores the cursor).
func ITerm2Image(img image.Image, cols, rows int, cell CellSize) string {
	box := FitImage(img.Bounds().Dx(), img.Bounds().Dy(), cols, rows, cell)
	var buf bytes.Buffer
	size := fmt.Sprintf("width=%d;height=%d", box.Cols, box.Rows)
	if box.Known {
		png.Encode(&buf, scaleTo(img, box.PW, box.PH))
		size = fmt.Sprintf("width=%dpx;height=%dpx", box.PW, box.PH)
	} else {
		png.Encode(&buf, img)
	}
	return fmt.Sprintf("\x1b]1337;File=inline=1;size=%d;%s;preserveAspectRatio=1;doNotMoveCursor=1:%s\a",
		buf.Len(), size, base64.StdEncoding.EncodeToString(buf.Bytes()))
}

// EncodeInText is img in mode's sequence (sixel or iTerm2) for cols×rows
// cells; "" for other modes.
func EncodeInText(mode PreviewMode, img image.Image, cols, rows int, cell CellSize) string {
	switch mode {
	case PreviewSixel:
		return SixelImage(img, cols, rows, cell)
	case PreviewITerm2:
		return ITerm2Image(img, cols, rows, cell)
	}
	return ""
}

// Graphic is an image drawn into the text (sixel, iTerm2) at a box of
// the screen: Seq draws it at the cursor.
type Graphic struct {
	Row, Col, Rows int
	Seq            string
	// Gen tells one image from the next in the same box.
	Gen int
}

// EmbedGraphic puts g into the frame, for a renderer that rewrites only
// the lines that changed (Bubble Tea's): every line of the box ends in a
// marker that differs from one image to the next, so a new image (or
// none) rewrites them all, erasing the old one; the last line carries the
// image, drawn at its place with the cursor saved and restored, and a
// digest of the box's other lines, so whenever one of them is rewritten
// (which erases that part of the image) the image is drawn again after
// it. The sequences add no width.
func EmbedGraphic(screen string, g Graphic) string {
	lines := strings.Split(screen, "\n")
	last := min(len(lines), g.Row+g.Rows) - 1
	if g.Seq == "" || g.Row < 0 || last < g.Row {
		return screen
	}
	marker := "\x1b[m"
	if g.Gen%2 == 1 {
		marker = "\x1b[0m"
	}
	var digest uint32 = 2166136261
	for i := g.Row; i <= last; i++ {
		lines[i] += marker
		if i < last {
			for j := 0; j < len(lines[i]); j++ {
				digest = (digest ^ uint32(lines[i][j])) * 16777619
			}
		}
	}
	lines[last] += fmt.Sprintf("\x1b7\x1b[%d;%dH%s\x1b8\x1b7\x1b[%d;%dH\x1b8", g.Row+1, g.Col+1, g.Seq, digest>>16+1, digest&0xffff+1)
	return strings.Join(lines, "\n")
}
