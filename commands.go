package main

import (
	"context"

	"github.com/spf13/cobra"
)

// clientCommands are the headless commands: they run on the transfer
// engine, journal and ledger the interface uses.
func clientCommands(ctx context.Context, io *stdio) []*cobra.Command {
	return []*cobra.Command{
		uploadCommand(ctx, io),
	}
}
