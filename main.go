// Command fsdeck is a keyboard-driven terminal file manager for the
// Filestack file API, with a built-in Filestack-compatible server, and a
// set of headless commands for scripts on the same engine and ledger.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/fsdeck/fsdeck/internal/cli"
)

func main() {
	// SIGHUP too (the terminal or SSH session closed, tmux kill-pane): its
	// default action would end fsdeck without restoring the terminal or
	// stopping transfers cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
