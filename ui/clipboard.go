package ui

import (
	"context"
	"errors"
	"io"
	"runtime"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// copiedMsg reports what a copy achieved (the status line words it).
type copiedMsg struct {
	what   string
	report clipboard.Report
}

// copyToClipboard copies text in a command: ui/clipboard decides where it
// can really go (tmux's buffer, OSC 52 plain or through a multiplexer, a
// native tool) and reports what happened. The terminal writer is the
// synchronised one, so the sequence never interleaves with a frame.
func copyToClipboard(d *Deps, text, what string) tea.Cmd {
	env := copyEnv(d)
	term, ctx := d.Clipboard, d.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return func() tea.Msg {
		return copiedMsg{what: what, report: clipboard.Copy(ctx, text, term, env)}
	}
}

// errNoCommands stands in for every program when Deps carries no clipboard
// environment: tests and embedders without one never run a real tmux or
// clipboard tool, and still get an honest report (OSC 52 sent, or nothing).
var errNoCommands = errors.New("no commands in this environment")

// copyEnv is Deps.CopyEnv, or an environment that runs nothing; the user's
// native-clipboard setting applies either way.
func copyEnv(d *Deps) clipboard.Env {
	env := d.CopyEnv
	if env.Getenv == nil || env.Output == nil || env.Feed == nil || env.LookPath == nil {
		getenv := d.Getenv
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		env = clipboard.Env{GOOS: runtime.GOOS, Getenv: getenv,
			Output:   func(context.Context, string, ...string) (string, error) { return "", errNoCommands },
			Feed:     func(context.Context, string, string, ...string) error { return errNoCommands },
			LookPath: func(string) (string, error) { return "", errNoCommands }}
	}
	env.NoTools = env.NoTools || !d.Settings.NativeClipboard
	return env
}

// copied words a copy's report: "copied" only when a clipboard certainly
// has the text, a warning when it was only sent, an error when nothing
// could be done.
func copied(msg copiedMsg) uikit.StatusMsg {
	kind := uikit.StatusWarn
	switch {
	case msg.report.OK():
		kind = uikit.StatusOK
	case msg.report.Failed():
		kind = uikit.StatusErr
	}
	return uikit.StatusMsg{Kind: kind, Text: msg.report.String() + " (" + msg.what + ")"}
}

// notify rings the bell and sends an OSC 9 desktop notification (terminals
// that do not know OSC 9 ignore it).
func notify(term io.Writer, message string) tea.Cmd {
	return func() tea.Msg {
		if term != nil {
			io.WriteString(term, "\a\x1b]9;"+text.Sanitize(message)+"\x07")
		}
		return nil
	}
}
