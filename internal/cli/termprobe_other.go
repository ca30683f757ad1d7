//go:build !unix

package cli

import (
	"os"

	"github.com/fsdeck/fsdeck/ui"
)

// probeTerminal asks nothing where the console has no raw byte stream to
// read the replies from.
func probeTerminal(in, out *os.File) termProbe { return termProbe{} }

// cellSizeOf is unknown here: images assume cells twice as high as wide.
func cellSizeOf(f *os.File) ui.CellSize { return ui.CellSize{} }
