package uikit

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"
)

// kittyPlacement decodes what KittyImage wrote: the keys of the first
// command and the transmitted PNG's size.
func kittyPlacement(t *testing.T, s string) (keys map[string]string, pw, ph int) {
	t.Helper()
	keys = map[string]string{}
	var data strings.Builder
	for i, chunk := range strings.Split(s, "\x1b_G")[1:] {
		ctl, rest, ok := strings.Cut(chunk, ";")
		end := strings.Index(rest, "\x1b\\")
		if !ok || end < 0 {
			t.Fatalf("malformed command %q", chunk[:min(40, len(chunk))])
		}
		if i == 0 {
			for _, kv := range strings.Split(ctl, ",") {
				k, v, _ := strings.Cut(kv, "=")
				keys[k] = v
			}
		}
		data.WriteString(rest[:end])
	}
	raw, err := base64.StdEncoding.DecodeString(data.String())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return keys, cfg.Width, cfg.Height
}

// drawnBox is the pixel box the terminal draws a kitty placement at, as
// the protocol says: c and r given, that many cells; neither, the PNG's
// own size. A placement giving only one side leaves the other to the
// terminal (a 300×300 GIF came out 774×300 px): no box.
func drawnBox(t *testing.T, keys map[string]string, pw, ph int, cell CellSize) (int, int) {
	t.Helper()
	c, hasC := keys["c"]
	r, hasR := keys["r"]
	switch {
	case !hasC && !hasR:
		return pw, ph
	case hasC && hasR:
		cols, _ := strconv.Atoi(c)
		rows, _ := strconv.Atoi(r)
		return cols * cell.W, rows * cell.H
	}
	t.Fatalf("placement gives only one side (c=%q r=%q): the terminal stretches the other", c, r)
	return 0, 0
}

// The drawn box keeps the image's aspect ratio: a 300×300 GIF in the
// preview pane is drawn 300×300 px (it fits), a 640×480 one scaled down
// to fit, both in the box; with the cell size unknown, the 1:2 guess
// gives both sides in cells.
func TestKittyKeepsAspectRatio(t *testing.T) {
	for _, tc := range []struct {
		name       string
		iw, ih     int
		cols, rows int
		cell       CellSize
		wantW      int
		wantH      int
	}{
		{"square fits", 300, 300, 58, 36, CellSize{W: 9, H: 18}, 300, 300},
		{"640x480 scaled by width", 640, 480, 50, 30, CellSize{W: 10, H: 20}, 500, 375},
		{"640x480 scaled by height", 640, 480, 80, 12, CellSize{W: 10, H: 20}, 320, 240},
		{"tall in the studio", 300, 900, 40, 20, CellSize{W: 8, H: 17}, 113, 340},
		{"unknown cells", 300, 300, 60, 20, CellSize{}, 300, 300},
		{"unknown cells, wide", 800, 200, 60, 20, CellSize{}, 480, 120},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := image.NewNRGBA(image.Rect(0, 0, tc.iw, tc.ih))
			keys, pw, ph := kittyPlacement(t, KittyImage(9, img, 2, 3, tc.cols, tc.rows, tc.cell))
			cell := tc.cell
			if !cell.Known() {
				cell = fallbackCell
			}
			w, h := drawnBox(t, keys, pw, ph, cell)
			if w > tc.cols*cell.W || h > tc.rows*cell.H {
				t.Fatalf("drawn %d×%d px, over the %d×%d box", w, h, tc.cols*cell.W, tc.rows*cell.H)
			}
			if tc.cell.Known() && (w != tc.wantW || h != tc.wantH) {
				t.Fatalf("drawn %d×%d px, want %d×%d", w, h, tc.wantW, tc.wantH)
			}
			// Whole cells round each side up by less than one cell.
			if !tc.cell.Known() && (w < tc.wantW || w >= tc.wantW+cell.W || h < tc.wantH || h >= tc.wantH+cell.H) {
				t.Fatalf("drawn %d×%d px, want %d×%d rounded up to whole cells", w, h, tc.wantW, tc.wantH)
			}
		})
	}
}

func TestFitImage(t *testing.T) {
	for _, tc := range []struct {
		iw, ih, cols, rows int
		cell               CellSize
		want               ImageBox
	}{
		{300, 300, 58, 36, CellSize{9, 18}, ImageBox{PW: 300, PH: 300, Cols: 34, Rows: 17, Known: true}},
		{640, 480, 50, 30, CellSize{10, 20}, ImageBox{PW: 500, PH: 375, Cols: 50, Rows: 19, Known: true}},
		{1, 5000, 10, 10, CellSize{10, 20}, ImageBox{PW: 1, PH: 200, Cols: 1, Rows: 10, Known: true}},
		{300, 300, 60, 20, CellSize{}, ImageBox{PW: 300, PH: 300, Cols: 38, Rows: 19}},
	} {
		if got := FitImage(tc.iw, tc.ih, tc.cols, tc.rows, tc.cell); got != tc.want {
			t.Errorf("FitImage(%d×%d in %d×%d cells of %v) = %+v, want %+v", tc.iw, tc.ih, tc.cols, tc.rows, tc.cell, got, tc.want)
		}
	}
}
