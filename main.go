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
	// SIGHUP too (terminal or SSH session closed): by default it would end
	// fsdeck without restoring the terminal or stopping transfers cleanly.
	// The cause names the signal, for the exit status (128 + its number).
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() { cancel(cli.SignalError{Signal: <-sigs}) }()
	code := cli.Main(ctx, os.Args[1:])
	signal.Stop(sigs)
	os.Exit(code)
}
