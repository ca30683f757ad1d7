package clipboard

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
)

// Report says what a copy achieved, from what was observed to succeed.
type Report struct {
	// Sent is the OSC 52 form written to the terminal (NoSequence: none).
	Sent Sequence
	// TmuxBuffer is set when the text is in tmux's paste buffer.
	TmuxBuffer bool
	// TmuxForwarded is set when tmux itself sent the text on to its
	// client terminal's clipboard.
	TmuxForwarded bool
	// Tool names the native clipboard program that took the text.
	Tool string
	// Errors lists, in a few words each, what was tried and failed.
	Errors []string
}

// Copy detects what will work in env and does it: text goes to tmux's
// buffer, the terminal (term, which may be nil) and a native tool as the
// plan says. Each command is bounded by env's timeout.
func Copy(ctx context.Context, text string, term io.Writer, env Env) Report {
	return Execute(ctx, Detect(ctx, env), text, term, env)
}

// Execute carries out plan p and records what succeeded.
func Execute(ctx context.Context, p Plan, text string, term io.Writer, env Env) Report {
	var r Report
	if p.TmuxBuffer {
		loadBuffer(ctx, p, text, env, &r)
	}
	if p.Sequence != NoSequence {
		writeSequence(p, text, term, &r)
	}
	if len(p.Tool) > 0 {
		if err := run(ctx, env, text, p.Tool); err != nil {
			r.Errors = append(r.Errors, p.Tool[0]+" "+failure(err))
		} else {
			r.Tool = p.Tool[0]
		}
	}
	return r
}

// loadBuffer puts text in tmux's buffer. When -w is refused (a tmux older
// than its version said, or one that did not say), it retries without;
// a tmux that did not answer in time is not asked twice.
func loadBuffer(ctx context.Context, p Plan, text string, env Env, r *Report) {
	if p.TmuxWrite {
		err := run(ctx, env, text, append([]string{"tmux"}, tmuxArgs(p.TmuxSocket, "load-buffer", "-w", "-")...))
		if err == nil {
			r.TmuxBuffer, r.TmuxForwarded = true, p.TmuxForwards
			return
		}
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			r.Errors = append(r.Errors, "tmux load-buffer "+failure(err))
			return
		}
	}
	if err := run(ctx, env, text, append([]string{"tmux"}, tmuxArgs(p.TmuxSocket, "load-buffer", "-")...)); err != nil {
		r.Errors = append(r.Errors, "tmux load-buffer "+failure(err))
		return
	}
	r.TmuxBuffer = true
}

func writeSequence(p Plan, text string, term io.Writer, r *Report) {
	if term == nil {
		r.Errors = append(r.Errors, "no terminal")
		return
	}
	seq := osc52.New(text)
	var out string
	switch p.Sequence {
	case TmuxPassthrough:
		out = seq.Tmux().String()
	case ScreenPassthrough:
		out = seq.Screen().String()
	case PlainAndScreen:
		out = seq.String() + seq.Screen().String()
	default:
		out = seq.String()
	}
	// One write, so that a synchronised writer keeps it whole.
	if _, err := io.WriteString(term, out); err != nil {
		r.Errors = append(r.Errors, "terminal write failed")
		return
	}
	r.Sent = p.Sequence
	if p.TmuxStores {
		r.TmuxBuffer, r.TmuxForwarded = true, true
	}
}

// run feeds text to argv (a tool or a tmux command) within env's timeout.
func run(ctx context.Context, env Env, text string, argv []string) error {
	ctx, cancel := context.WithTimeout(ctx, env.timeout())
	defer cancel()
	err := env.Feed(ctx, text, argv[0], argv[1:]...)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func failure(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return "failed"
}

// OK reports whether the text certainly reached a clipboard: tmux's
// buffer or a native tool. A bare OSC 52 is not enough, since the
// terminal may ignore it.
func (r Report) OK() bool { return r.TmuxBuffer || r.Tool != "" }

// Failed reports whether nothing at all was done.
func (r Report) Failed() bool { return !r.OK() && r.Sent == NoSequence }

// String is the status line: exactly what was done, "copied" only when a
// clipboard certainly has the text.
func (r Report) String() string {
	var s string
	switch {
	case r.Tool != "" && r.TmuxBuffer:
		return "copied to tmux buffer and system clipboard via " + r.Tool
	case r.Tool != "":
		return "copied to system clipboard via " + r.Tool
	case r.TmuxBuffer && r.TmuxForwarded:
		s = "copied to tmux buffer (tmux forwards it to your terminal's clipboard)"
	case r.TmuxBuffer && r.Sent == TmuxPassthrough:
		s = "copied to tmux buffer; sent OSC 52 through tmux — your terminal must allow it"
	case r.TmuxBuffer:
		s = "copied to tmux buffer only (paste with prefix ])"
	case r.Sent == Plain || r.Sent == PlainAndScreen:
		s = "sent OSC 52 — your terminal must allow clipboard writes"
	case r.Sent == TmuxPassthrough:
		s = "sent OSC 52 through tmux — your terminal must allow clipboard writes"
	case r.Sent == ScreenPassthrough:
		s = "sent OSC 52 through screen — your terminal must allow clipboard writes"
	case len(r.Errors) == 0:
		return "could not copy: no terminal and no clipboard tool"
	default:
		return "could not copy: " + strings.Join(r.Errors, ", ")
	}
	if len(r.Errors) > 0 {
		s += "; " + strings.Join(r.Errors, ", ")
	}
	return s
}
