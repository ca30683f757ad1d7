package cli

import (
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/ui"
)

// terminalGraphics is what tells the interface the cell size in pixels
// whenever it places an image (TIOCGWINSZ's pixels, current after a font
// change; the interface falls back on the terminal's reply to CSI 16 t),
// and where the interface may ask the terminal about its images once it
// runs (nil: it may not: no real terminal, the Linux console or a dumb
// terminal, which may print the queries, or a console without a raw byte
// stream to read the replies from).
func terminalGraphics(ios *iostreams.IOStreams, term io.Writer, getenv func(string) string) (func() ui.CellSize, io.Writer) {
	_, okIn := ios.In.(*os.File)
	out, okOut := terminalOut(ios).(*os.File)
	if !okIn || !okOut || !ios.IsStdinTTY() || !ios.IsStdoutTTY() {
		return nil, nil
	}
	cell := func() ui.CellSize { return cellSizeOf(out) }
	if t := getenv("TERM"); t == "linux" || t == "dumb" || !canAskTerminal {
		return cell, nil
	}
	return cell, term
}

// terminalSize is the terminal's size in cells, known before the
// interface runs (false: no terminal on standard output).
func terminalSize(ios *iostreams.IOStreams) (int, int, bool) {
	out, ok := terminalOut(ios).(*os.File)
	if !ok || !ios.IsStdoutTTY() {
		return 0, 0, false
	}
	w, h, err := term.GetSize(out.Fd())
	return w, h, err == nil && w > 0 && h > 0
}

// cellFromWinsize is the cell size from TIOCGWINSZ's pixel and cell
// counts (zero when the terminal leaves the pixels out).
func cellFromWinsize(xpixel, ypixel, cols, rows uint16) ui.CellSize {
	if xpixel == 0 || ypixel == 0 || cols == 0 || rows == 0 {
		return ui.CellSize{}
	}
	return ui.CellSize{W: int(xpixel) / int(cols), H: int(ypixel) / int(rows)}
}
