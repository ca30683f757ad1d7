//go:build unix

package cli

import (
	"os"

	"golang.org/x/sys/unix"

	"github.com/fsdeck/fsdeck/ui"
)

// canAskTerminal: the replies to the interface's queries arrive on
// standard input, among the keys Bubble Tea reads.
const canAskTerminal = true

// cellSizeOf asks the kernel for the terminal's size in cells and pixels
// (TIOCGWINSZ); zero when it has no pixels (some terminals leave them out).
func cellSizeOf(f *os.File) ui.CellSize {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return ui.CellSize{}
	}
	return cellFromWinsize(ws.Xpixel, ws.Ypixel, ws.Col, ws.Row)
}
