package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// netFlags are the headless commands' controls over their requests:
// -v/--verbose logs each request on stderr (method, URL, status, time),
// --debug its headers too (credentials redacted either way: see the
// session's wireLog), --timeout bounds the whole command, --retries the
// tries of each request, and --progress/--no-progress force the progress
// block on or off whatever stderr is.
type netFlags struct {
	verbose, debug bool
	timeout        string
	retries        int
	progress       bool
	noProgress     bool

	// log is stderr when -v or --debug is given (the session's HTTPLog).
	log io.Writer
	// registered: the command has these flags (the interface has not,
	// and keeps the client's defaults).
	registered bool
}

// retriesDefault is --retries' value when not given: the Filestack
// client's own policy (8 attempts, with backoff).
const retriesDefault = 7

func (n *netFlags) register(cmd *cobra.Command) {
	n.registered = true
	fl := cmd.Flags()
	fl.BoolVarP(&n.verbose, "verbose", "v", false, "print each request on stderr: method, URL (credentials redacted), status and time")
	fl.BoolVar(&n.debug, "debug", false, "as --verbose, with the request and response headers (credentials redacted)")
	fl.StringVar(&n.timeout, "timeout", "", "give up on the whole command after this long (e.g. 30s, 5m, 1h), exit status 4")
	fl.IntVar(&n.retries, "retries", retriesDefault, "how many times a failed request is tried again, with backoff (0: none)")
	fl.BoolVar(&n.progress, "progress", false, "draw the progress block on stderr even when it is not a terminal")
	fl.BoolVar(&n.noProgress, "no-progress", false, "never draw the progress block")
	run := cmd.RunE
	cmd.RunE = func(c *cobra.Command, args []string) error { return n.run(c, args, run) }
}

// attempts is --retries as the client's attempts (0, its default,
// without the flag).
func (n *netFlags) attempts() int {
	if !n.registered {
		return 0
	}
	return n.retries + 1
}

// showProgress is whether the progress block is drawn: forced by
// --progress or --no-progress, else on a terminal, and not under
// --verbose or --debug (their lines would tear it) unless forced.
func (n *netFlags) showProgress(tty bool) bool {
	switch {
	case n.progress:
		return true
	case n.noProgress || n.verbose || n.debug:
		return false
	}
	return tty
}

// errTimeout is the cause of a command's context when --timeout ran out.
type errTimeout struct{ after string }

func (e errTimeout) Error() string { return "gave up after --timeout " + e.after }

// run checks the flags, then runs the command under its --timeout: when
// that ends it, the status is 4 (the network's: running the command again
// may succeed) and stderr says so.
func (n *netFlags) run(cmd *cobra.Command, args []string, run func(*cobra.Command, []string) error) error {
	if n.progress && n.noProgress {
		return usageError("--progress and --no-progress cannot be given together")
	}
	if n.retries < 0 {
		return usageError("--retries %d: give 0 or more", n.retries)
	}
	if n.retries > 100 {
		return usageError("--retries %d: give at most 100", n.retries)
	}
	if n.verbose || n.debug {
		n.log = cmd.ErrOrStderr()
	}
	if n.timeout == "" {
		return run(cmd, args)
	}
	d, err := parseExpiry(n.timeout)
	if err != nil {
		return usageError("--timeout %q: %v", n.timeout, err)
	}
	ctx, cancel := context.WithTimeoutCause(cmd.Context(), d, errTimeout{n.timeout})
	defer cancel()
	cmd.SetContext(ctx)
	err = run(cmd, args)
	var te errTimeout
	if err != nil && errors.As(context.Cause(ctx), &te) {
		return &exitError{code: exitNetwork, err: fmt.Errorf("%v; what finished is above, running the same command again continues the rest", te)}
	}
	return err
}
