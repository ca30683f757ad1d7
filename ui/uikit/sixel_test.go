package uikit

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// decodeSixel reads a sixel sequence as a terminal does: the raster
// attributes' size, the colour registers (percent RGB), then six-pixel
// bands of runs per colour. Pixels never drawn stay transparent.
func decodeSixel(t *testing.T, s string) (img *image.NRGBA, rw, rh int) {
	t.Helper()
	body, ok := strings.CutPrefix(s, "\x1bP0;1;0q")
	if !ok || !strings.HasSuffix(body, "\x1b\\") {
		t.Fatalf("not a DCS sixel sequence with transparent background: %q…", s[:min(20, len(s))])
	}
	body = strings.TrimSuffix(body, "\x1b\\")
	num := func(i int) (int, int) {
		j := i
		for j < len(body) && body[j] >= '0' && body[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(body[i:j])
		return n, j
	}
	var params []int
	i := 0
	if strings.HasPrefix(body, "\"") {
		i = 1
		for {
			var n int
			n, i = num(i)
			params = append(params, n)
			if i < len(body) && body[i] == ';' {
				i++
				continue
			}
			break
		}
	}
	if len(params) != 4 || params[0] != 1 || params[1] != 1 {
		t.Fatalf("raster attributes %v, want 1;1;width;height (square pixels)", params)
	}
	rw, rh = params[2], params[3]
	img = image.NewNRGBA(image.Rect(0, 0, rw, rh))
	regs := map[int]color.NRGBA{}
	cur, x, y := 0, 0, 0
	put := func(bits byte, n int) {
		for k := 0; k < n; k++ {
			for b := 0; b < 6; b++ {
				if bits&(1<<b) != 0 {
					if x >= rw || y+b >= rh {
						t.Fatalf("pixel %d,%d outside the %d×%d raster", x, y+b, rw, rh)
					}
					img.SetNRGBA(x, y+b, regs[cur])
				}
			}
			x++
		}
	}
	for i < len(body) {
		c := body[i]
		switch {
		case c == '#':
			var reg int
			reg, i = num(i + 1)
			if i < len(body) && body[i] == ';' {
				var sys, r, g, b int
				sys, i = num(i + 1)
				r, i = num(i + 1)
				g, i = num(i + 1)
				b, i = num(i + 1)
				if sys != 2 {
					t.Fatalf("colour system %d", sys)
				}
				regs[reg] = color.NRGBA{uint8(r * 255 / 100), uint8(g * 255 / 100), uint8(b * 255 / 100), 255}
			}
			cur = reg
		case c == '!':
			var n int
			n, i = num(i + 1)
			put(body[i]-63, n)
			i++
		case c == '$':
			x = 0
			i++
		case c == '-':
			x, y = 0, y+6
			i++
		case c >= 63 && c <= 126:
			put(c-63, 1)
			i++
		default:
			t.Fatalf("unexpected byte %q at %d", c, i)
		}
	}
	return img, rw, rh
}

// disc is a w×h image: a red disc on blue, transparent in the corners'
// 4×4 pixels.
func disc(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := min(w, h) * 2 / 5
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := x-w/2, y-h/2
			c := color.NRGBA{0, 0, 255, 255}
			if dx*dx+dy*dy < r*r {
				c = color.NRGBA{255, 0, 0, 255}
			}
			if x < 4 && y < 4 {
				c = color.NRGBA{}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// A sixel image is drawn at the pixel box that keeps its aspect ratio in
// the cells it is given (scaled down only), its colours kept, its
// transparent pixels left undrawn; with the cell size unknown, a small
// cell is assumed so it never runs out of its box.
func TestSixelPixelBox(t *testing.T) {
	for _, tc := range []struct {
		name         string
		iw, ih       int
		cols, rows   int
		cell         CellSize
		wantW, wantH int
	}{
		{"square fits", 300, 300, 48, 30, CellSize{W: 10, H: 20}, 300, 300},
		{"640x480 by width", 640, 480, 40, 30, CellSize{W: 10, H: 20}, 400, 300},
		{"640x480 by height", 640, 480, 80, 12, CellSize{W: 10, H: 20}, 320, 240},
		{"unknown cells", 300, 300, 40, 20, CellSize{}, 240, 240},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SixelImage(disc(tc.iw, tc.ih), tc.cols, tc.rows, tc.cell)
			img, w, h := decodeSixel(t, s)
			if w != tc.wantW || h != tc.wantH {
				t.Fatalf("raster %d×%d, want %d×%d", w, h, tc.wantW, tc.wantH)
			}
			if c := img.NRGBAAt(w/2, h/2); c.R < 200 || c.G > 60 || c.B > 60 {
				t.Fatalf("centre %v, want red", c)
			}
			if c := img.NRGBAAt(w-2, h/2); c.B < 200 || c.R > 60 {
				t.Fatalf("edge %v, want blue", c)
			}
			if tc.iw == w && img.NRGBAAt(1, 1).A != 0 {
				t.Fatalf("transparent corner drawn %v", img.NRGBAAt(1, 1))
			}
			// The sequence is plain data: no width, and the renderer's cut
			// to the screen's width keeps it whole.
			if ansi.StringWidth(s) != 0 || ansi.Truncate("ab"+s+"cd", 4, "") != "ab"+s+"cd" {
				t.Fatal("the sequence has a width or is cut")
			}
		})
	}
}

// iTerm2's inline image carries a PNG of the pixel box and says its size
// in pixels (cells when the cell size is unknown), aspect ratio kept.
func TestITerm2PixelBox(t *testing.T) {
	decode := func(s string) (map[string]string, image.Config) {
		t.Helper()
		rest, ok := strings.CutPrefix(s, "\x1b]1337;File=")
		if !ok || !strings.HasSuffix(rest, "\a") {
			t.Fatalf("not an OSC 1337 File sequence: %q…", s[:min(30, len(s))])
		}
		args, data, _ := strings.Cut(strings.TrimSuffix(rest, "\a"), ":")
		kv := map[string]string{}
		for _, a := range strings.Split(args, ";") {
			k, v, _ := strings.Cut(a, "=")
			kv[k] = v
		}
		raw, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			t.Fatal(err)
		}
		if kv["size"] != strconv.Itoa(len(raw)) || kv["inline"] != "1" || kv["preserveAspectRatio"] != "1" {
			t.Fatalf("arguments %v for %d bytes", kv, len(raw))
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		return kv, cfg
	}
	kv, cfg := decode(ITerm2Image(disc(640, 480), 40, 30, CellSize{W: 10, H: 20}))
	if kv["width"] != "400px" || kv["height"] != "300px" || cfg.Width != 400 || cfg.Height != 300 {
		t.Fatalf("640×480 in 40×30 cells of 10×20: %v, PNG %d×%d; want 400×300 px", kv, cfg.Width, cfg.Height)
	}
	kv, cfg = decode(ITerm2Image(disc(300, 300), 48, 30, CellSize{W: 10, H: 20}))
	if kv["width"] != "300px" || kv["height"] != "300px" || cfg.Width != 300 {
		t.Fatalf("300×300 fits: %v, PNG %d×%d", kv, cfg.Width, cfg.Height)
	}
	if s := ITerm2Image(disc(300, 300), 48, 30, CellSize{W: 10, H: 20}); ansi.StringWidth(s) != 0 || ansi.Truncate("ab"+s+"cd", 4, "") != "ab"+s+"cd" {
		t.Fatal("the sequence has a width or is cut")
	}
	kv, _ = decode(ITerm2Image(disc(300, 300), 60, 20, CellSize{}))
	if kv["width"] != "38" || kv["height"] != "19" {
		t.Fatalf("unknown cells: %v, want 38×19 cells (1:2)", kv)
	}
}

// Detection picks the protocol each terminal shows; inside tmux only its
// DA1 answer counts.
func TestDetectGraphics(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		da1  bool
		want PreviewMode
	}{
		{map[string]string{"TERM": "foot"}, false, PreviewSixel},
		{map[string]string{"TERM": "foot-extra"}, false, PreviewSixel},
		{map[string]string{"TERM": "mlterm"}, false, PreviewSixel},
		{map[string]string{"TERM": "xterm-256color", "MLTERM": "3.9.3"}, false, PreviewSixel},
		{map[string]string{"TERM": "xterm-256color", "WT_SESSION": "x"}, false, PreviewSixel},
		{map[string]string{"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, false, PreviewSixel},
		{map[string]string{"TERM": "xterm-256color", "KONSOLE_VERSION": "211201"}, false, PreviewHalfBlock},
		{map[string]string{"TERM": "xterm-256color"}, true, PreviewSixel}, // xterm -ti vt340
		{map[string]string{"TERM": "xterm-256color"}, false, PreviewHalfBlock},
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, false, PreviewITerm2},
		{map[string]string{"LC_TERMINAL": "iTerm2"}, false, PreviewITerm2},
		{map[string]string{"TERM": "xterm-kitty"}, true, PreviewKitty},
		{map[string]string{"TERM": "foot", "TMUX": "x"}, false, PreviewHalfBlock},
		{map[string]string{"TERM": "tmux-256color", "TMUX": "x"}, true, PreviewSixel},
		{map[string]string{"TERM_PROGRAM": "iTerm.app", "TMUX": "x"}, false, PreviewHalfBlock},
	} {
		if got := DetectGraphics(func(k string) string { return tc.env[k] }, tc.da1); got != tc.want {
			t.Errorf("DetectGraphics(%v, da1 sixel %v) = %s, want %s", tc.env, tc.da1, PreviewModeNames[got], PreviewModeNames[tc.want])
		}
	}
	if ChoosePreview("sixel", PreviewKitty) != PreviewSixel || ChoosePreview("iterm2", PreviewHalfBlock) != PreviewITerm2 ||
		ChoosePreview("auto", PreviewSixel) != PreviewSixel || OfferedGraphics("halfblock", PreviewSixel) != PreviewSixel ||
		OfferedGraphics("iterm2", PreviewSixel) != PreviewITerm2 {
		t.Fatal("config override")
	}
}

// EmbedGraphic adds no width; a new image (or none) changes every line
// of the box, so the renderer rewrites (erases) them all; any box line
// rewritten makes the last line, which draws the image, change too.
func TestEmbedGraphic(t *testing.T) {
	screen := strings.Join([]string{"title     ", "a    |    ", "b    |    ", "c    |    ", "status    "}, "\n")
	g := Graphic{Row: 1, Col: 6, Rows: 3, Seq: "\x1bPq#0;2;0;0;0~\x1b\\", Gen: 1}
	out := strings.Split(EmbedGraphic(screen, g), "\n")
	in := strings.Split(screen, "\n")
	for i := range in {
		if ansi.StringWidth(out[i]) != ansi.StringWidth(in[i]) {
			t.Fatalf("line %d width %d, was %d", i, ansi.StringWidth(out[i]), ansi.StringWidth(in[i]))
		}
		if boxed := i >= 1 && i <= 3; boxed == (out[i] == in[i]) {
			t.Fatalf("line %d: %q", i, out[i])
		}
	}
	if !strings.Contains(out[3], "\x1b7\x1b[2;7H"+g.Seq+"\x1b8") || strings.Contains(out[1]+out[2], g.Seq) {
		t.Fatalf("image not on the box's last line, at row 2 column 7: %q", out)
	}
	next := strings.Split(EmbedGraphic(screen, Graphic{Row: 1, Col: 6, Rows: 3, Seq: g.Seq, Gen: 2}), "\n")
	for i := 1; i <= 3; i++ {
		if next[i] == out[i] {
			t.Fatalf("line %d unchanged for the next image", i)
		}
	}
	changed := strings.Split(EmbedGraphic(strings.Replace(screen, "b    |", "B    |", 1), g), "\n")
	if changed[3] == out[3] {
		t.Fatal("the image is not drawn again after a box line changed")
	}
}
