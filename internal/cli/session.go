package cli

import (
	"fmt"

	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
)

// session is the composition root's session (internal/session) as the
// commands use it: what a command says about its target, its files and
// its results is said here, from the target's capabilities.
type session struct {
	*sess.Session
}

// options are the session's options from the shared flags.
func (cf connFlags) options() sess.Options {
	return sess.Options{Local: cf.local, Addr: cf.addr, PartSize: cf.partSize, Target: cf.target, BusyFallback: cf.busyFallback,
		Store: cf.store, Intelligent: cf.intelligent, HTTPLog: cf.net.log, HTTPDebug: cf.net.debug, Attempts: cf.net.attempts()}
}

// openSession opens the session for a command (a damaged ledger is
// refused: see session.Open).
func openSession(f *Factory, cf connFlags) (*session, error) {
	paths, err := f.Paths()
	if err != nil {
		return nil, err
	}
	s, err := sess.Open(f.Getenv, paths, cf.options())
	if err != nil {
		return nil, err
	}
	warnConfig(f, s.Warns)
	return &session{s}, nil
}

// warnConfig says on stderr, once per command, what is wrong in
// config.toml (file:line, the option, the default used instead): a
// headless command goes on with the defaults, but not silently. The
// interface shows the first as a notice instead.
func warnConfig(f *Factory, warns []string) {
	for _, w := range warns {
		fmt.Fprintln(f.IOStreams.ErrOut, "fsdeck: config:", text.SanitizeLines(w))
	}
}

// openSessionDamaged is openSession that also opens a damaged ledger
// (read-only), for the interface, which says so and stays usable.
func openSessionDamaged(f *Factory, cf connFlags) (*session, error) {
	paths, err := f.Paths()
	if err != nil {
		return nil, err
	}
	s, err := sess.OpenDamaged(f.Getenv, paths, cf.options())
	if err != nil {
		return nil, err
	}
	return &session{s}, nil
}

// close closes the session.
func (s *session) close() { s.Close() }
