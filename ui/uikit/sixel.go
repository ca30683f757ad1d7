package uikit

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
)

// sixelGuess is the cell assumed for sixel when the terminal does not
// say: small, so the image stays inside its box whatever the font (sixel
// is drawn in pixels, and one running past the screen's bottom scrolls
// it).
var sixelGuess = CellSize{W: 6, H: 12}

// SixelImage is img as a sixel sequence (DCS … ST) fitted, aspect ratio
// kept, into cols×rows cells: scaled down only, quantised to the 216
// colours of a 6×6×6 cube with Floyd–Steinberg dithering, transparent
// pixels left undrawn. It draws at the cursor; the caller positions it.
func SixelImage(img image.Image, cols, rows int, cell CellSize) string {
	if !cell.Known() {
		cell = sixelGuess
	}
	box := FitImage(img.Bounds().Dx(), img.Bounds().Dy(), cols, rows, cell)
	w, h := box.PW, box.PH
	idx, opaque := quantise(imaging.Clone(scaleTo(img, w, h)))
	var out strings.Builder
	// P2=1: pixels not drawn stay as they are; raster attributes: square
	// pixels, the image's size.
	fmt.Fprintf(&out, "\x1bP0;1;0q\"1;1;%d;%d", w, h)
	var used [216]bool
	for i, c := range idx {
		if opaque[i] {
			used[c] = true
		}
	}
	for c, u := range used {
		if u {
			fmt.Fprintf(&out, "#%d;2;%d;%d;%d", c, c/36*20, c/6%6*20, c%6*20)
		}
	}
	var bits [216][]byte
	order := make([]uint8, 0, 216)
	for y0 := 0; y0 < h; y0 += 6 {
		order = order[:0]
		for k := 0; k < 6 && y0+k < h; k++ {
			row := (y0 + k) * w
			for x := 0; x < w; x++ {
				if !opaque[row+x] {
					continue
				}
				c := idx[row+x]
				if bits[c] == nil {
					bits[c] = make([]byte, w)
					order = append(order, c)
				}
				bits[c][x] |= 1 << k
			}
		}
		for i, c := range order {
			if i > 0 {
				out.WriteByte('$') // back to the band's start for the next colour
			}
			out.WriteString("#" + strconv.Itoa(int(c)))
			writeSixelRuns(&out, bits[c])
			bits[c] = nil
		}
		if y0+6 < h {
			out.WriteByte('-') // next band
		}
	}
	out.WriteString("\x1b\\")
	return out.String()
}

// quantise maps each pixel to the 6×6×6 colour cube (index r*36+g*6+b),
// spreading the rounding error Floyd–Steinberg's way over the opaque
// pixels; opaque says which pixels are drawn (alpha at least half).
func quantise(img *image.NRGBA) (idx []uint8, opaque []bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	idx, opaque = make([]uint8, w*h), make([]bool, w*h)
	cur, next := make([][3]int, w+2), make([][3]int, w+2)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := img.Pix[y*img.Stride+4*x:]
			if p[3] < 128 {
				continue
			}
			opaque[y*w+x] = true
			var level [3]int
			for ch := 0; ch < 3; ch++ {
				v := min(255, max(0, int(p[ch])+cur[x+1][ch]/16))
				q := (v*5 + 127) / 255
				level[ch] = q
				e := v - q*51
				cur[x+2][ch] += 7 * e
				next[x][ch] += 3 * e
				next[x+1][ch] += 5 * e
				next[x+2][ch] += e
			}
			idx[y*w+x] = uint8(level[0]*36 + level[1]*6 + level[2])
		}
		cur, next = next, cur
		clear(next)
	}
	return idx, opaque
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
