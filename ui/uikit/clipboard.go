package uikit

import (
	"context"
	"errors"
	"io"
	"runtime"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/text"
)

// CopiedMsg reports what a copy achieved (the status line words it).
type CopiedMsg struct {
	What   string
	Report clipboard.Report
}

// Copy copies s in a command: internal/clipboard decides where it can
// really go (tmux's buffer, OSC 52 plain or through a multiplexer, a
// native tool) and reports what happened. The terminal writer is the
// synchronised one, so the sequence never interleaves with a frame.
func Copy(e *Env, s, what string) tea.Cmd {
	env := e.clipboardEnv()
	term, ctx := e.term, e.ctx
	return func() tea.Msg {
		return CopiedMsg{What: what, Report: clipboard.Copy(ctx, s, term, env)}
	}
}

// errNoCommands stands in for every program when the Env carries no
// clipboard environment: tests and embedders without one never run a real
// tmux or clipboard tool, and still get an honest report (OSC 52 sent, or
// nothing).
var errNoCommands = errors.New("no commands in this environment")

// clipboardEnv is the Env's clipboard environment, or one that runs
// nothing; the user's native-clipboard setting applies either way.
func (e *Env) clipboardEnv() clipboard.Env {
	env := e.copyEnv
	if env.Getenv == nil || env.Output == nil || env.Feed == nil || env.LookPath == nil {
		env = clipboard.Env{GOOS: runtime.GOOS, Getenv: e.getenv,
			Output:   func(context.Context, string, ...string) (string, error) { return "", errNoCommands },
			Feed:     func(context.Context, string, string, ...string) error { return errNoCommands },
			LookPath: func(string) (string, error) { return "", errNoCommands }}
	}
	env.NoTools = env.NoTools || !e.settings.NativeClipboard
	return env
}

// Notify rings the bell and sends an OSC 9 desktop notification
// (terminals that do not know OSC 9 ignore it).
func Notify(term io.Writer, message string) tea.Cmd {
	return func() tea.Msg {
		if term != nil {
			io.WriteString(term, "\a\x1b]9;"+text.Sanitize(message)+"\x07")
		}
		return nil
	}
}

// WriteTerm writes escape sequences to the terminal in one write.
func WriteTerm(w io.Writer, s string) tea.Cmd {
	return func() tea.Msg {
		if w != nil {
			io.WriteString(w, s)
		}
		return nil
	}
}
