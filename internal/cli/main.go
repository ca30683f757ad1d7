// Package cli is fsdeck's command tree: the root command (which starts
// the interface), the headless commands, exit statuses, the printer and
// the progress block. Every command is on cobra/pflag, one file each:
// newCmdX(f, runF) with its Options and runX (cli/cli's pkg/cmd style), so
// tests run it in-process through a Factory (streams, environment, working
// directory) or stop at runF to check what was parsed.
//
// Each command opens its session through internal/session, the
// composition root (connection, local server, target, engine), and is one
// implementation over the session's target: what it can do is asked of
// the target's capabilities, never of its name.
//
// Only main imports it. It takes the process's streams (internal/
// iostreams), environment (session.Getenv) and directory nowhere but Main
// (systemFactory); everything else goes through the Factory. It must not
// import the standard flag package (one flag system) nor internal/e2e;
// it imports ui only to start the interface.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/fsdeck/fsdeck/filestack"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
)

// version is fsdeck's release.
const version = "0.1.0"

// Main runs fsdeck with args on the process's streams, environment and
// working directory, and returns the exit status; main only wires the
// process to it.
func Main(ctx context.Context, args []string) int {
	return Run(ctx, systemFactory(), args)
}

// Run runs fsdeck with args on f's streams, environment and working
// directory, and returns the exit status (tests run commands this way,
// in-process).
func Run(ctx context.Context, f *Factory, args []string) int {
	f, out := withCheckedOut(f)
	code := stdoutCode(exitCode(run(ctx, f, args), f.IOStreams.ErrOut), out, f.IOStreams.ErrOut)
	if code == exitInterrupted {
		code = signalCode(ctx)
	}
	return code
}

// SignalError is the cause of a run's context cancelled by a signal
// (main sets it), so the run ends with that signal's status.
type SignalError struct{ Signal os.Signal }

func (e SignalError) Error() string { return e.Signal.String() }

// signalCode is the status of a run stopped by ctx's end: 128 + the
// signal's number, as a shell reports a process a signal ended (130
// SIGINT, 143 SIGTERM, 129 SIGHUP), so a script tells them apart; 130
// when no signal is named.
func signalCode(ctx context.Context) int {
	var se SignalError
	if errors.As(context.Cause(ctx), &se) {
		if n, ok := se.Signal.(syscall.Signal); ok && n > 0 && n < 128 {
			return 128 + int(n)
		}
	}
	return exitInterrupted
}

// Exit statuses, documented in README ("Scripting").
const (
	exitOK          = 0
	exitFailed      = 1 // some results failed; the rest were done
	exitUsage       = 2
	exitAuth        = 3   // no key, wrong key, missing or rejected app secret
	exitNetwork     = 4   // the server could not be reached; worth a retry
	exitInterrupted = 130 // Ctrl-C; SIGTERM and SIGHUP have theirs (signalCode)
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
	var ue *sess.UsageError
	code := exitFailed
	if errors.As(err, &ee) {
		code = ee.code
	} else if errors.As(err, &ue) {
		code = exitUsage
	} else if networkFailure(err) {
		code = exitNetwork
	}
	if !errors.Is(err, errQuiet) {
		fmt.Fprintln(stderr, "fsdeck:", text.SanitizeLines(err.Error()))
	}
	return code
}

// errQuiet ends with status 1 without printing (the message was shown).
var errQuiet = errors.New("")

// run is the whole program, up to its error.
func run(ctx context.Context, f *Factory, args []string) error {
	root := newRoot(f)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// networkFailure says whether err is a failure to reach the server or to
// hear from it (refused, reset, timed out, unresolvable, TLS), as opposed
// to an answer: a script can retry those (exit status 4). A cancelled
// context is an interruption, not the network.
func networkFailure(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var fe *filestack.Error
	return errors.As(err, &fe) && fe.Status == 0 && fe.Err != nil && networkFailure(fe.Err)
}
