package clipboard

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

var (
	xclip = []string{"xclip", "-selection", "clipboard"}
	xsel  = []string{"xsel", "--clipboard", "--input"}
)

// tmuxPlan is the plan for load-buffer on the fake's socket.
func tmuxPlan(write, forwards bool, seq Sequence) Plan {
	return Plan{TmuxBuffer: true, TmuxSocket: "/tmp/tmux-1000/default", TmuxWrite: write, TmuxForwards: forwards, Sequence: seq}
}

func TestDetect(t *testing.T) {
	tm := func(extra ...string) map[string]string {
		m := map[string]string{"TMUX": tmuxVar, "TERM": "tmux-256color"}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	x11 := []string{"xclip", "xsel", "wl-copy", "pbcopy", "clip.exe", "tmux"}
	cases := []struct {
		name      string
		goos      string
		vars      map[string]string
		installed []string
		tmux      map[string]string
		noTools   bool
		want      Plan
	}{
		{name: "plain terminal, no display", goos: "linux", vars: map[string]string{"TERM": "xterm-256color"}, installed: x11,
			want: Plan{Sequence: Plain}},
		{name: "plain terminal, DISPLAY and xclip", goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: x11,
			want: Plan{Sequence: Plain, Tool: xclip}},
		{name: "DISPLAY, only xsel", goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xsel"},
			want: Plan{Sequence: Plain, Tool: xsel}},
		{name: "DISPLAY, no tool installed", goos: "linux", vars: map[string]string{"DISPLAY": ":0"},
			want: Plan{Sequence: Plain}},
		{name: "Wayland prefers wl-copy", goos: "linux", vars: map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, installed: x11,
			want: Plan{Sequence: Plain, Tool: []string{"wl-copy"}}},
		{name: "native tools turned off", goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: x11, noTools: true,
			want: Plan{Sequence: Plain}},
		{name: "SSH without a local tool", goos: "linux", vars: map[string]string{"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22", "SSH_TTY": "/dev/pts/3"}, installed: x11,
			want: Plan{Sequence: Plain}},
		{name: "SSH with X forwarding", goos: "linux", vars: map[string]string{"SSH_CONNECTION": "a", "DISPLAY": "localhost:10.0"}, installed: x11,
			want: Plan{Sequence: Plain, Tool: xclip}},
		{name: "macOS", goos: "darwin", installed: x11, want: Plan{Sequence: Plain, Tool: []string{"pbcopy"}}},
		{name: "macOS over SSH: pbcopy would fill the remote Mac", goos: "darwin", vars: map[string]string{"SSH_CLIENT": "a"}, installed: x11,
			want: Plan{Sequence: Plain}},
		{name: "Windows", goos: "windows", installed: x11, want: Plan{Sequence: Plain, Tool: []string{"clip.exe"}}},
		{name: "Windows over SSH", goos: "windows", vars: map[string]string{"SSH_TTY": "x"}, installed: x11, want: Plan{Sequence: Plain}},
		{name: "WSL", goos: "linux", vars: map[string]string{"WSL_DISTRO_NAME": "Debian", "WAYLAND_DISPLAY": "wayland-0"}, installed: x11,
			want: Plan{Sequence: Plain, Tool: []string{"clip.exe"}}},
		{name: "GNU screen", goos: "linux", vars: map[string]string{"STY": "1234.pts-0.host", "TERM": "screen"}, installed: x11,
			want: Plan{Sequence: ScreenPassthrough}},
		{name: "TERM=screen without STY (SSH from screen or tmux)", goos: "linux", vars: map[string]string{"TERM": "screen.xterm-256color"},
			want: Plan{Sequence: PlainAndScreen}},
		{name: "TERM=tmux without TMUX (SSH from tmux)", goos: "linux", vars: map[string]string{"TERM": "tmux-256color", "SSH_TTY": "x"},
			want: Plan{Sequence: Plain}},
		{name: "tmux 3.3a on", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.3a", "on", "off", xtermFet),
			want: tmuxPlan(true, true, NoSequence)},
		{name: "tmux 3.3a external (default)", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.3a", "external", "off", xtermFet),
			want: tmuxPlan(true, true, NoSequence)},
		{name: "tmux 3.3a off: load-buffer -w still forwards", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.3a", "off", "off", xtermFet),
			want: tmuxPlan(true, true, NoSequence)},
		{name: "tmux external, client without clipboard, passthrough on", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.3a", "external", "on", noClip),
			want: tmuxPlan(true, false, TmuxPassthrough)},
		{name: "tmux external, client without clipboard, passthrough off", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.3a", "external", "off", noClip),
			want: tmuxPlan(true, false, NoSequence)},
		{name: "tmux 3.4 allow-passthrough all, no client", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.4", "on", "all", ""),
			want: tmuxPlan(true, false, TmuxPassthrough)},
		{name: "tmux 3.2a: -w, no allow-passthrough option yet", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.2a", "external", "", noClip),
			want: tmuxPlan(true, false, TmuxPassthrough)},
		{name: "old tmux 3.1c on: plain OSC 52 is stored and forwarded", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.1c", "on", "", ""),
			want: Plan{Sequence: Plain, TmuxStores: true}},
		{name: "old tmux 3.1c external: load-buffer without -w, passthrough", goos: "linux", vars: tm(), tmux: tmuxAnswers("3.1c", "external", "", ""),
			want: tmuxPlan(false, false, TmuxPassthrough)},
		{name: "old tmux 2.9a off", goos: "linux", vars: tm(), tmux: tmuxAnswers("2.9a", "off", "", ""),
			want: tmuxPlan(false, false, TmuxPassthrough)},
		{name: "tmux next-3.6", goos: "linux", vars: tm(), tmux: tmuxAnswers("next-3.6", "external", "off", xtermFet),
			want: tmuxPlan(true, true, NoSequence)},
		{name: "tmux master counts as new", goos: "linux", vars: tm(), tmux: tmuxAnswers("master", "external", "off", xtermFet),
			want: tmuxPlan(true, true, NoSequence)},
		{name: "$TMUX set but no tmux program", goos: "linux", vars: tm(),
			want: Plan{Sequence: TmuxPassthrough}},
		{name: "tmux with DISPLAY and wl-copy, over SSH -X", goos: "linux", vars: tm("WAYLAND_DISPLAY", "w", "SSH_TTY", "x"), installed: x11,
			tmux: tmuxAnswers("3.3a", "external", "off", xtermFet),
			want: func() Plan { p := tmuxPlan(true, true, NoSequence); p.Tool = []string{"wl-copy"}; return p }()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeEnv{goos: c.goos, vars: c.vars, installed: c.installed, tmux: c.tmux, noTools: c.noTools}
			got := Detect(context.Background(), f.env())
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("plan\n got %+v\nwant %+v", got, c.want)
			}
			if len(f.fed) != 0 {
				t.Fatalf("detection must not feed anything: %v", f.fed)
			}
		})
	}
}

// Which tmux queries are asked depends on the version: allow-passthrough
// exists from 3.3 (asked for fsdeck's pane), client_termfeatures from 3.2,
// and set-clipboard matters only before 3.2.
func TestDetectQueries(t *testing.T) {
	for _, c := range []struct{ version, want string }{
		{"3.3a", "tmux -V|tmux show -Apv -t %7 allow-passthrough|tmux display -p #{client_termfeatures}"},
		{"3.2a", "tmux -V|tmux display -p #{client_termfeatures}"},
		{"3.1c", "tmux -V|tmux show -gv set-clipboard"},
	} {
		f := &fakeEnv{goos: "linux", vars: map[string]string{"TMUX": tmuxVar, "TMUX_PANE": "%7"}, tmux: tmuxAnswers(c.version, "external", "off", "")}
		Detect(context.Background(), f.env())
		if got := strings.Join(f.queries, "|"); got != c.want {
			t.Errorf("tmux %s asked %q, want %q", c.version, got, c.want)
		}
	}
}

func TestParseTmuxVersion(t *testing.T) {
	for in, want := range map[string][2]int{
		"tmux 3.3a":          {3, 3},
		"tmux 3.2":           {3, 2},
		"tmux 2.9a":          {2, 9},
		"tmux 1.8":           {1, 8},
		"tmux next-3.5":      {3, 5},
		"tmux 3.10":          {3, 10},
		"tmux master":        {1 << 20, 0},
		"tmux openbsd-7.5":   {1 << 20, 0},
		"":                   {1 << 20, 0},
		"something else 2.0": {1 << 20, 0},
	} {
		if maj, mnr := parseTmuxVersion(in); maj != want[0] || mnr != want[1] {
			t.Errorf("parseTmuxVersion(%q) = %d.%d, want %d.%d", in, maj, mnr, want[0], want[1])
		}
	}
}
