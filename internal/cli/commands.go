package cli

import (
	"context"

	"github.com/spf13/cobra"
)

// clientCommands are the headless commands: they run on the transfer
// engine, journal and ledger the interface uses.
func clientCommands(ctx context.Context, io *stdio) []*cobra.Command {
	return []*cobra.Command{
		uploadCommand(ctx, io),
		getCommand(ctx, io),
		lsCommand(ctx, io),
		handleCommand(ctx, io, "stat HANDLE…", "Show metadata from the server, refreshing the ledger", "handles", statHandle),
		handleCommand(ctx, io, "import HANDLE|URL…", "Add existing files to the ledger (checked with the server)", "handles", importHandle),
		storeURLCommand(ctx, io),
		rmCommand(ctx, io),
		urlCommand(ctx, io),
		transformCommand(ctx, io),
	}
}
