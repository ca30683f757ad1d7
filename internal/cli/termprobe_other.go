//go:build !unix

package cli

import (
	"os"

	"github.com/fsdeck/fsdeck/ui"
)

// canAskTerminal: the console delivers key events, not the terminal's
// replies, so nothing is asked.
const canAskTerminal = false

// cellSizeOf is unknown here: images assume cells twice as high as wide.
func cellSizeOf(f *os.File) ui.CellSize { return ui.CellSize{} }
