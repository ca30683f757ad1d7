package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/ui"
)

// terminalGraphics asks the terminal, once at start, what it says of
// itself: whether it draws sixel (DA1), and what tells the interface the
// cell size in pixels whenever it places an image: TIOCGWINSZ's pixels
// (current after a font change), else the reply to CSI 16 t; nil on no
// real terminal (the interface then assumes cells twice as high as wide).
func terminalGraphics(ios *iostreams.IOStreams, getenv func(string) string) (func() ui.CellSize, bool) {
	in, okIn := ios.In.(*os.File)
	out, okOut := terminalOut(ios).(*os.File)
	if !okIn || !okOut || !ios.IsStdinTTY() || !ios.IsStdoutTTY() {
		return nil, false
	}
	var probe termProbe
	// The Linux console and dumb terminals may print the query.
	if t := getenv("TERM"); t != "linux" && t != "dumb" {
		probe = probeTerminal(in, out)
	}
	return func() ui.CellSize {
		if c := cellSizeOf(out); c.Known() {
			return c
		}
		return probe.cell
	}, probe.sixel
}

// termProbe is what the terminal said about itself before the interface
// started: its cell size in pixels (CSI 16 t) and whether its primary
// device attributes (DA1) list sixel graphics (attribute 4).
type termProbe struct {
	cell  ui.CellSize
	sixel bool
}

// probeQuery asks for the cell size, then for the device attributes: every
// terminal answers DA1, and in order, so its reply ends the wait.
const probeQuery = "\x1b[16t\x1b[c"

var (
	cellReply = regexp.MustCompile(`\x1b\[6;(\d+);(\d+)t`)
	da1Reply  = regexp.MustCompile(`\x1b\[\?([0-9;]*)c`)
)

// parseProbe reads the replies to probeQuery; done is true once the DA1
// reply has arrived.
func parseProbe(b []byte) (p termProbe, done bool) {
	if m := cellReply.FindSubmatch(b); m != nil {
		h, _ := strconv.Atoi(string(m[1]))
		w, _ := strconv.Atoi(string(m[2]))
		if w > 0 && h > 0 && w < 1000 && h < 1000 {
			p.cell = ui.CellSize{W: w, H: h}
		}
	}
	m := da1Reply.FindSubmatch(b)
	if m == nil {
		return p, false
	}
	for _, a := range strings.Split(string(m[1]), ";")[1:] { // the first is the terminal class
		if a == "4" {
			p.sixel = true
		}
	}
	return p, true
}

// cellFromWinsize is the cell size from TIOCGWINSZ's pixel and cell
// counts (zero when the terminal leaves the pixels out).
func cellFromWinsize(xpixel, ypixel, cols, rows uint16) ui.CellSize {
	if xpixel == 0 || ypixel == 0 || cols == 0 || rows == 0 {
		return ui.CellSize{}
	}
	return ui.CellSize{W: int(xpixel) / int(cols), H: int(ypixel) / int(rows)}
}
