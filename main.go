// Command fsdeck is a keyboard-driven terminal file manager for the
// Filestack file API, with a built-in Filestack-compatible server, and a
// set of headless commands for scripts on the same engine and ledger.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is fsdeck's release.
const version = "0.1.0"

func main() {
	// SIGHUP too (the terminal or SSH session closed, tmux kill-pane): its
	// default action would end fsdeck without restoring the terminal or
	// stopping transfers cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit statuses, documented in README ("Scripting").
const (
	exitOK          = 0
	exitFailed      = 1 // some results failed; the rest were done
	exitUsage       = 2
	exitAuth        = 3 // no key, wrong key, missing app secret
	exitInterrupted = 130
)

// exitError carries an exit status for an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// authError is a missing or refused key or app secret.
func authError(format string, a ...any) error {
	return &exitError{code: exitAuth, err: fmt.Errorf(format, a...)}
}

// errPartial ends with status 1 without another message: each failure was
// already reported on stderr next to its file.
var errPartial = &exitError{code: exitFailed, err: errQuiet}

// errInterrupted ends with status 130 after the command said how to resume.
var errInterrupted = &exitError{code: exitInterrupted, err: errQuiet}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	code := exitFailed
	if errors.As(err, &ee) {
		code = ee.code
	}
	if !errors.Is(err, errQuiet) {
		fmt.Fprintln(stderr, "fsdeck:", sanitizeMessage(err.Error()))
	}
	return code
}

// errQuiet ends with status 1 without printing (the message was shown).
var errQuiet = errors.New("")

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	root := newRoot(ctx, &stdio{in: stdin, out: stdout, err: stderr})
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}
