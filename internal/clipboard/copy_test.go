package clipboard

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

const url = "https://cdn.example.com/AbCdEf"

var (
	b64       = base64.StdEncoding.EncodeToString([]byte(url))
	plainSeq  = "\x1b]52;c;" + b64 + "\a"
	tmuxSeq   = "\x1bPtmux;\x1b\x1b]52;c;" + b64 + "\a\x1b\\"
	screenSeq = "\x1bP\x1b]52;c;" + b64 + "\a\x1b\\"
)

func TestCopy(t *testing.T) {
	tm := map[string]string{"TMUX": tmuxVar}
	cases := []struct {
		name     string
		f        fakeEnv
		term     string // what the terminal must receive
		fed      string // commands that took the text
		status   string
		ok, fail bool
	}{
		{name: "plain terminal without a tool", f: fakeEnv{goos: "linux"},
			term: plainSeq, status: "sent OSC 52 — your terminal must allow clipboard writes"},
		{name: "plain terminal with xclip", f: fakeEnv{goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xclip"}},
			term: plainSeq, fed: "xclip -selection clipboard", status: "copied to system clipboard via xclip", ok: true},
		{name: "xclip hangs", f: fakeEnv{goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xclip"},
			hang: map[string]bool{"xclip -selection clipboard": true}},
			term: plainSeq, status: "sent OSC 52 — your terminal must allow clipboard writes; xclip timed out"},
		{name: "SSH without a local tool", f: fakeEnv{goos: "linux", vars: map[string]string{"SSH_TTY": "/dev/pts/1"}, installed: []string{"xclip"}},
			term: plainSeq, status: "sent OSC 52 — your terminal must allow clipboard writes"},
		{name: "GNU screen", f: fakeEnv{goos: "linux", vars: map[string]string{"STY": "1.pts-0.h"}},
			term: screenSeq, status: "sent OSC 52 through screen — your terminal must allow clipboard writes"},
		{name: "TERM=screen over SSH: screen or tmux", f: fakeEnv{goos: "linux", vars: map[string]string{"TERM": "screen-256color", "SSH_TTY": "x"}},
			term: plainSeq + screenSeq, status: "sent OSC 52 — your terminal must allow clipboard writes"},
		{name: "macOS", f: fakeEnv{goos: "darwin", installed: []string{"pbcopy"}},
			term: plainSeq, fed: "pbcopy", status: "copied to system clipboard via pbcopy", ok: true},
		{name: "Windows", f: fakeEnv{goos: "windows", installed: []string{"clip.exe"}},
			term: plainSeq, fed: "clip.exe", status: "copied to system clipboard via clip.exe", ok: true},
		{name: "tmux external, terminal with clipboard", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "external", "off", xtermFet)},
			fed: "tmux load-buffer -w -", status: "copied to tmux buffer (tmux forwards it to your terminal's clipboard)", ok: true},
		{name: "tmux on and wl-copy", f: fakeEnv{goos: "linux", vars: map[string]string{"TMUX": tmuxVar, "WAYLAND_DISPLAY": "w"}, installed: []string{"wl-copy"},
			tmux: tmuxAnswers("3.3a", "on", "off", xtermFet)},
			fed: "tmux load-buffer -w -|wl-copy", status: "copied to tmux buffer and system clipboard via wl-copy", ok: true},
		{name: "tmux, client without clipboard, passthrough on", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "off", "on", noClip)},
			term: tmuxSeq, fed: "tmux load-buffer -w -", status: "copied to tmux buffer; sent OSC 52 through tmux — your terminal must allow it", ok: true},
		{name: "tmux, client without clipboard, passthrough off", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "external", "off", "")},
			fed: "tmux load-buffer -w -", status: "copied to tmux buffer only (paste with prefix ])", ok: true},
		{name: "old tmux on", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.1c", "on", "", "")},
			term: plainSeq, status: "copied to tmux buffer (tmux forwards it to your terminal's clipboard)", ok: true},
		{name: "old tmux external: no -w", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.1c", "external", "", "")},
			term: tmuxSeq, fed: "tmux load-buffer -", status: "copied to tmux buffer; sent OSC 52 through tmux — your terminal must allow it", ok: true},
		{name: "-w refused: retried without, not forwarded", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("master", "external", "off", xtermFet),
			fail: map[string]bool{"tmux load-buffer -w -": true}},
			fed: "tmux load-buffer -", status: "copied to tmux buffer only (paste with prefix ])", ok: true},
		{name: "tmux load-buffer fails, passthrough on", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "external", "on", ""),
			fail: map[string]bool{"tmux load-buffer -w -": true, "tmux load-buffer -": true}},
			term: tmuxSeq, status: "sent OSC 52 through tmux — your terminal must allow clipboard writes; tmux load-buffer failed"},
		{name: "tmux load-buffer fails, passthrough off", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "external", "off", ""),
			fail: map[string]bool{"tmux load-buffer -w -": true, "tmux load-buffer -": true}},
			status: "could not copy: tmux load-buffer failed", fail: true},
		{name: "tmux load-buffer hangs: not asked twice", f: fakeEnv{goos: "linux", vars: tm, tmux: tmuxAnswers("3.3a", "external", "off", xtermFet),
			hang: map[string]bool{"tmux load-buffer -w -": true}},
			status: "could not copy: tmux load-buffer timed out", fail: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var term strings.Builder
			r := Copy(context.Background(), url, &term, c.f.env())
			if term.String() != c.term {
				t.Errorf("terminal got %q, want %q", term.String(), c.term)
			}
			if got := strings.Join(c.f.fed, "|"); got != c.fed {
				t.Errorf("fed %q, want %q", got, c.fed)
			}
			for _, text := range c.f.texts {
				if text != url {
					t.Errorf("a command was fed %q", text)
				}
			}
			if r.String() != c.status {
				t.Errorf("status %q, want %q", r.String(), c.status)
			}
			if r.OK() != c.ok || r.Failed() != c.fail {
				t.Errorf("OK %v Failed %v, want %v %v", r.OK(), r.Failed(), c.ok, c.fail)
			}
			// One status line: 80 columns, a little more when it also
			// names what failed.
			if n, max := utf8.RuneCountInString(r.String()), 80+15*min(len(r.Errors), 1); n > max {
				t.Errorf("status is %d columns, more than %d", n, max)
			}
		})
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("EIO") }

// Without a terminal or a tool nothing could have been copied, and the
// status says so instead of "copied".
func TestCopyNothing(t *testing.T) {
	for _, c := range []struct {
		name   string
		term   io.Writer
		status string
	}{
		{"no terminal", nil, "could not copy: no terminal"},
		{"terminal write fails", brokenWriter{}, "could not copy: terminal write failed"},
	} {
		f := &fakeEnv{goos: "linux"}
		r := Copy(context.Background(), url, c.term, f.env())
		if r.String() != c.status || r.OK() || !r.Failed() {
			t.Errorf("%s: %q OK %v Failed %v", c.name, r.String(), r.OK(), r.Failed())
		}
	}
	if s := (Report{}).String(); s != "could not copy: no terminal and no clipboard tool" {
		t.Errorf("empty report: %q", s)
	}
}

// A cancelled context stops the copy without a hang.
func TestCopyCancelled(t *testing.T) {
	f := &fakeEnv{goos: "linux", vars: map[string]string{"DISPLAY": ":0"}, installed: []string{"xclip"},
		hang: map[string]bool{"xclip -selection clipboard": true}}
	env := f.env()
	env.Timeout = DefaultTimeout
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Copy(ctx, url, io.Discard, env)
	if r.Tool != "" || r.Sent != Plain || len(r.Errors) != 1 || r.Errors[0] != "xclip failed" {
		t.Fatalf("report %#v", r)
	}
}
