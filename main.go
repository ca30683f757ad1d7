// Command fsdeck is a keyboard-driven terminal file manager for the
// Filestack file API, with a built-in Filestack-compatible server.
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

// exitError carries an exit status: 1 for failures, 2 for usage errors.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, a ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, a...)}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	code := 1
	if errors.As(err, &ee) {
		code = ee.code
	}
	if !errors.Is(err, errQuiet) {
		fmt.Fprintln(stderr, "fsdeck:", err)
	}
	return code
}

// errQuiet ends with status 1 without printing (the message was shown).
var errQuiet = errors.New("")

const usage = `fsdeck — a terminal file manager for Filestack

Usage:
  fsdeck [--local] [--addr host:port] [dir]   open the two-pane interface
  fsdeck serve [flags]                        run the Filestack-compatible server
  fsdeck key set [--secret]                   store the API key (or app secret) in the OS keyring
  fsdeck key delete [--secret | --all]        remove it from the keyring
  fsdeck key status                           say where the key comes from (never shows it)
  fsdeck config [path|check|init|default]     where config.toml is; check it; write the documented default
  fsdeck doctor                               check the ledger; back up and rebuild it if damaged
  fsdeck version

With no API key (FILESTACK_API_KEY or the keyring), fsdeck runs in local
mode against its built-in server. Run "fsdeck serve --help" for server flags.
`

// run is the whole program; main only wires the process to it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return runTUI(ctx, nil, stdin, stdout, stderr)
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "key":
		return runKey(args[1:], stdin, stdout, stderr)
	case "config":
		return runConfig(args[1:], stdout)
	case "doctor":
		return runDoctor(ctx, args[1:], stdout)
	case "version", "--version":
		fmt.Fprintln(stdout, "fsdeck", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return runTUI(ctx, args, stdin, stdout, stderr)
}
