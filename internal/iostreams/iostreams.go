// Package iostreams owns fsdeck's standard streams: standard input,
// output and error, whether each is a terminal, and the terminal's width.
// Commands and the interface's start read and write only through an
// IOStreams, so tests run them in-process with buffers and say which
// stream is a terminal (cli/cli's pkg/iostreams).
//
// It is the one place that names os.Stdin, os.Stdout and os.Stderr
// (System). It imports nothing of fsdeck.
//
// It imports nothing of fsdeck.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the standard streams of one run of fsdeck.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// Overrides of the terminal checks (tests); nil asks the stream.
	stdinTTY, stdoutTTY, stderrTTY *bool
	width                          int
}

// System is the process's own streams.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
}

// Test is streams on buffers: standard input reads in, the other two
// write to out and errOut. No stream is a terminal until a Set…TTY call
// says so.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// New is streams on the given reader and writers (a terminal where they
// are one).
func New(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut}
}

// IsStdinTTY reports whether standard input is a terminal (confirmations
// and hidden prompts are asked only then).
func (s *IOStreams) IsStdinTTY() bool { return is(s.stdinTTY, s.In) }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return is(s.stdoutTTY, s.Out) }

// IsStderrTTY reports whether standard error is a terminal (progress is
// drawn only then).
func (s *IOStreams) IsStderrTTY() bool { return is(s.stderrTTY, s.ErrOut) }

// SetStdinTTY says whether standard input counts as a terminal.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = &v }

// SetStdoutTTY says whether standard output counts as a terminal.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = &v }

// SetStderrTTY says whether standard error counts as a terminal.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = &v }

// TerminalWidth is the width of the terminal standard error is on (where
// progress is drawn), 0 when it is none or does not say.
func (s *IOStreams) TerminalWidth() int {
	if s.width > 0 {
		return s.width
	}
	if f, ok := s.ErrOut.(term.File); ok {
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			return w
		}
	}
	return 0
}

// SetTerminalWidth fixes the width TerminalWidth reports.
func (s *IOStreams) SetTerminalWidth(w int) { s.width = w }

func is(override *bool, v any) bool {
	if override != nil {
		return *override
	}
	return IsTerminal(v)
}

// IsTerminal reports whether v is a file that is a terminal.
func IsTerminal(v any) bool {
	f, ok := v.(term.File)
	return ok && term.IsTerminal(f.Fd())
}
