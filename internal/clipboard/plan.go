// Package clipboard copies text to wherever it can really go from a
// terminal program, and says exactly where it went.
//
// Writing OSC 52 to the terminal is not enough inside a multiplexer: tmux
// with its default set-clipboard "external" drops OSC 52 from programs, and
// GNU screen does not know OSC 52 at all. Detect reads the environment
// (and asks tmux) and Copy carries out the resulting Plan:
//
//	where             condition                                  what is done
//	tmux >= 3.2       (any set-clipboard)                        tmux load-buffer -w -: tmux's buffer; tmux
//	                                                             itself forwards it when its client terminal
//	                                                             has the clipboard feature
//	                  client terminal without clipboard feature  + OSC 52 in DCS passthrough when
//	                                                             allow-passthrough is on/all
//	tmux < 3.2        set-clipboard on                           plain OSC 52: tmux stores and forwards it
//	                  set-clipboard external/off                 tmux load-buffer - (buffer only) + OSC 52 in
//	                                                             DCS passthrough (always allowed before 3.3)
//	GNU screen        STY set                                    OSC 52 in screen's DCS passthrough
//	TERM=screen*      no STY, no TMUX (SSH from screen or from   both plain OSC 52 and screen's form: screen
//	                  a tmux with default-terminal screen)       drops the plain one, tmux (on) takes both
//	other terminals                                              plain OSC 52
//
// In every case a native tool is used as well when one reaches the user's
// clipboard: wl-copy (WAYLAND_DISPLAY), xclip or xsel (DISPLAY), clip.exe on
// Windows and WSL, pbcopy on macOS. Over SSH only a forwarded display counts:
// pbcopy or clip.exe on the remote machine fill a clipboard the user never
// sees. tmux load-buffer -w forwards even with set-clipboard off (measured on
// tmux 3.3a; its manual ties -w to the client, not to the option).
//
// The Report names what succeeded; it says "copied" only for the tmux buffer
// or a native tool, whose success can be observed. A bare OSC 52 is "sent":
// whether the terminal accepts clipboard writes cannot be known.
//
// It imports nothing of fsdeck: the interface and the commands word its
// report.
package clipboard

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Env is everything detection and copying look at, injected so that both
// can be tested without a real tmux, display or clipboard tool. System
// returns the real one.
type Env struct {
	// GOOS is the operating system, as runtime.GOOS spells it.
	GOOS string
	// Getenv reads an environment variable.
	Getenv func(string) string
	// Output runs a command and returns its standard output (tmux queries).
	Output func(ctx context.Context, name string, args ...string) (string, error)
	// Feed runs a command with text on its standard input and its output
	// discarded: xclip and wl-copy leave a process serving the selection,
	// which would hold a captured output pipe open.
	Feed func(ctx context.Context, text, name string, args ...string) error
	// LookPath reports whether a program is installed (exec.LookPath).
	LookPath func(string) (string, error)
	// NoTools turns native clipboard tools off (the user's setting).
	NoTools bool
	// Timeout bounds each command; zero means DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout bounds each tmux query and each clipboard tool: a tool
// waiting for a display that does not answer must not hang the copy.
const DefaultTimeout = 2 * time.Second

func (e Env) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultTimeout
}

// Sequence is the form of OSC 52 written to the terminal.
type Sequence int

const (
	// NoSequence writes nothing to the terminal.
	NoSequence Sequence = iota
	// Plain is OSC 52 as is.
	Plain
	// TmuxPassthrough wraps OSC 52 in tmux's DCS passthrough, which tmux
	// hands to the outer terminal when allow-passthrough permits.
	TmuxPassthrough
	// ScreenPassthrough wraps OSC 52 in GNU screen's DCS passthrough.
	ScreenPassthrough
	// PlainAndScreen writes Plain then ScreenPassthrough, for a
	// TERM=screen* that may be screen or tmux: screen drops the plain
	// form; tmux with set-clipboard on stores both (the same text twice).
	PlainAndScreen
)

// Plan is what Copy will do, decided by Detect.
type Plan struct {
	// Sequence is the OSC 52 form to write to the terminal.
	Sequence Sequence
	// TmuxStores is set when tmux takes a plain OSC 52 into its buffer and
	// forwards it (set-clipboard on, used before tmux 3.2).
	TmuxStores bool
	// TmuxBuffer runs tmux load-buffer, which fills tmux's paste buffer.
	TmuxBuffer bool
	// TmuxSocket is the tmux server's socket from $TMUX ("" for tmux's
	// default), passed with -S so that the injected environment decides.
	TmuxSocket string
	// TmuxWrite passes -w to load-buffer (tmux >= 3.2).
	TmuxWrite bool
	// TmuxForwards is set when tmux's client terminal has the clipboard
	// feature, so load-buffer -w reaches it. (A terminal given OSC 52 by
	// terminal-overrides instead is missed: the report then claims less
	// than happened, never more.)
	TmuxForwards bool
	// Tool is the native clipboard command and its arguments, or nil.
	Tool []string
}

// tmuxInfo is what tmux says about itself.
type tmuxInfo struct {
	socket         string
	reachable      bool // tmux -V answered
	major, minor   int
	setClipboard   string // on, external, off; asked before 3.2 only
	passthrough    bool
	clientFeatures string
}

// Detect decides how to copy in env. It runs tmux queries (bounded by
// env's timeout) when inside tmux and never writes anything.
func Detect(ctx context.Context, env Env) Plan {
	p := Plan{Tool: nativeTool(env)}
	switch {
	case env.Getenv("TMUX") != "":
		planTmux(&p, queryTmux(ctx, env))
	case env.Getenv("STY") != "":
		p.Sequence = ScreenPassthrough
	case strings.HasPrefix(env.Getenv("TERM"), "screen"):
		p.Sequence = PlainAndScreen
	default:
		p.Sequence = Plain
	}
	return p
}

// planTmux fills in the tmux part of p following the table in the package
// comment.
func planTmux(p *Plan, t tmuxInfo) {
	if !t.reachable {
		// No tmux program to ask or to load a buffer with (a $TMUX
		// inherited through sudo or a container): passthrough is all
		// that is left.
		p.Sequence = TmuxPassthrough
		return
	}
	if !t.atLeast(3, 2) && t.setClipboard == "on" {
		p.Sequence, p.TmuxStores = Plain, true
		return
	}
	p.TmuxBuffer, p.TmuxSocket = true, t.socket
	p.TmuxWrite = t.atLeast(3, 2)
	p.TmuxForwards = p.TmuxWrite && hasFeature(t.clientFeatures, "clipboard")
	if !p.TmuxForwards && t.passthrough {
		p.Sequence = TmuxPassthrough
	}
}

func (t tmuxInfo) atLeast(major, minor int) bool {
	return t.major > major || t.major == major && t.minor >= minor
}

func hasFeature(list, name string) bool {
	for _, f := range strings.Split(strings.TrimSpace(list), ",") {
		if f == name {
			return true
		}
	}
	return false
}

// queryTmux asks the tmux server named by $TMUX ("socket,pid,session")
// for its version, options and client terminal features, asking only
// what matters for its version.
func queryTmux(ctx context.Context, env Env) tmuxInfo {
	t := tmuxInfo{socket: strings.Split(env.Getenv("TMUX"), ",")[0]}
	ask := func(args ...string) (string, bool) {
		qctx, cancel := context.WithTimeout(ctx, env.timeout())
		defer cancel()
		out, err := env.Output(qctx, "tmux", tmuxArgs(t.socket, args...)...)
		return strings.TrimSpace(out), err == nil
	}
	v, ok := ask("-V")
	if t.reachable = ok; !ok {
		return t
	}
	t.major, t.minor = parseTmuxVersion(v)
	if !t.atLeast(3, 2) {
		// From 3.2 load-buffer -w forwards whatever set-clipboard says.
		t.setClipboard, _ = ask("show", "-gv", "set-clipboard")
	}
	if t.atLeast(3, 3) {
		// A pane option: -A gives the value in effect for fsdeck's
		// pane, set there or inherited. "all" (3.4) also lets
		// invisible panes through.
		args := []string{"show", "-Apv", "allow-passthrough"}
		if pane := env.Getenv("TMUX_PANE"); pane != "" {
			args = []string{"show", "-Apv", "-t", pane, "allow-passthrough"}
		}
		pt, _ := ask(args...)
		t.passthrough = pt == "on" || pt == "all"
	} else {
		// Before 3.3 there was no option: passthrough always worked.
		t.passthrough = true
	}
	if t.atLeast(3, 2) {
		t.clientFeatures, _ = ask("display", "-p", "#{client_termfeatures}")
	}
	return t
}

// parseTmuxVersion reads "tmux 3.3a", "tmux next-3.5" or "tmux 2.9".
// Builds without a number ("tmux master", "tmux openbsd-7.5") are recent
// by nature and count as new; so does an unknown answer, since Copy falls
// back to load-buffer without -w when -w is refused.
func parseTmuxVersion(s string) (major, minor int) {
	const modern = 1 << 20
	f := strings.Fields(s)
	if len(f) < 2 || f[0] != "tmux" {
		return modern, 0
	}
	v := f[1]
	if i := strings.LastIndex(v, "-"); i >= 0 {
		if strings.HasPrefix(v, "openbsd-") {
			return modern, 0
		}
		v = v[i+1:]
	}
	dot := strings.IndexByte(v, '.')
	if dot < 0 {
		return modern, 0
	}
	maj, err := strconv.Atoi(v[:dot])
	if err != nil {
		return modern, 0
	}
	end := dot + 1
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	mnr, _ := strconv.Atoi(v[dot+1 : end])
	return maj, mnr
}

// tmuxArgs addresses the server on socket, or tmux's default server.
func tmuxArgs(socket string, args ...string) []string {
	if socket == "" {
		return args
	}
	return append([]string{"-S", socket}, args...)
}
