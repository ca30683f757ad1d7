package clipboard

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// tmuxServer is a private tmux server for one test, killed at cleanup.
type tmuxServer struct {
	t    *testing.T
	sock string
}

// startTmux starts a server with config conf running command. Its socket
// lives in a directory of its own (short: socket paths are limited to
// about 100 bytes), removed at cleanup with the server.
func startTmux(t *testing.T, conf string, command string) tmuxServer {
	t.Helper()
	dir, err := os.MkdirTemp("", "fsclip")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := tmuxServer{t, dir + "/s"}
	// Commands are written for sh, whatever the user's shell.
	conf = "set -g default-shell /bin/sh\n" + conf
	if err := os.WriteFile(dir+"/conf", []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := s.cmd("-f", dir+"/conf", "new-session", "-d", "-x", "80", "-y", "24", command); err != nil {
		t.Fatalf("starting tmux: %v: %s", err, out)
	}
	t.Cleanup(func() { s.cmd("kill-server") })
	return s
}

// cmd runs tmux against this server only, with no $TMUX of an enclosing
// session to confuse it.
func (s tmuxServer) cmd(args ...string) (string, error) {
	c := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...)
	c.Env = append(os.Environ(), "TMUX=", "TMUX_PANE=")
	out, err := c.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func (s tmuxServer) must(args ...string) string {
	s.t.Helper()
	out, err := s.cmd(args...)
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return out
}

// env is the real environment, seen from a program running inside s:
// $TMUX and $TMUX_PANE name s and its pane, and nothing else is set, so
// no native tool is found.
func (s tmuxServer) env() Env {
	vars := map[string]string{
		"TMUX":      s.must("display", "-p", "#{socket_path},#{pid},0"),
		"TMUX_PANE": s.must("display", "-p", "#{pane_id}"),
	}
	env := System(os.Getenv)
	env.Getenv = func(k string) string { return vars[k] }
	return env
}

// waitFor polls cond for up to five seconds.
func waitFor(cond func() bool) bool {
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func needTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
}

// With every set-clipboard value, and tmux's default "external" above
// all, the text lands in the buffer of a real tmux server, and the report
// claims no forwarding when no client is attached to receive it.
func TestRealTmuxBuffer(t *testing.T) {
	needTmux(t)
	srv := startTmux(t, "", "sleep 600")
	env := srv.env()
	if maj, mnr := parseTmuxVersion(srv.must("-V")); maj < 3 || maj == 3 && mnr < 2 {
		t.Skip("tmux before 3.2 stores OSC 52 only from a pane; this test copies from outside")
	}
	for _, setting := range []string{"external", "on", "off"} {
		srv.must("set", "-g", "set-clipboard", setting)
		text := fmt.Sprintf("https://cdn.example.com/%s-%d", setting, time.Now().UnixNano())
		var term strings.Builder
		r := Copy(context.Background(), text, &term, env)
		if got := srv.must("show-buffer"); got != text {
			t.Errorf("set-clipboard %s: tmux buffer holds %q, want %q (report %q)", setting, got, text, r)
		}
		if !r.OK() || !r.TmuxBuffer || r.TmuxForwarded || !strings.HasPrefix(r.String(), "copied to tmux buffer") {
			t.Errorf("set-clipboard %s: report %#v %q", setting, r, r)
		}
		if r.Sent == NoSequence && term.Len() > 0 {
			t.Errorf("set-clipboard %s: terminal got %q though no sequence was sent", setting, term.String())
		}
	}
	// allow-passthrough is read for fsdeck's pane, where it may be set
	// apart from the global value.
	if maj, mnr := parseTmuxVersion(srv.must("-V")); maj == 3 && mnr >= 3 || maj > 3 {
		for _, pane := range []string{"off", "on"} {
			srv.must("set", "-p", "allow-passthrough", pane)
			want := map[string]Sequence{"off": NoSequence, "on": TmuxPassthrough}[pane]
			if p := Detect(context.Background(), env); p.Sequence != want {
				t.Errorf("pane allow-passthrough %s (global %s): plan %+v", pane, srv.must("show", "-gv", "allow-passthrough"), p)
			}
		}
	}
}

// With a client attached whose terminal takes OSC 52, load-buffer -w
// reaches that terminal even with set-clipboard external or off. The
// client runs inside a second private tmux (TERM xterm-256color, its own
// set-clipboard on), whose buffer shows what the inner tmux forwarded.
func TestRealTmuxForwards(t *testing.T) {
	needTmux(t)
	inner := startTmux(t, "", "sleep 600")
	if maj, mnr := parseTmuxVersion(inner.must("-V")); maj < 3 || maj == 3 && mnr < 2 {
		t.Skip("load-buffer -w needs tmux 3.2")
	}
	outer := startTmux(t, "set -g default-terminal xterm-256color\nset -g set-clipboard on\n",
		"TMUX= TERM=xterm-256color exec tmux -S "+inner.sock+" attach")
	if !waitFor(func() bool { out, _ := inner.cmd("list-clients"); return out != "" }) {
		t.Fatal("the outer tmux did not attach to the inner one")
	}
	env := inner.env()
	for _, setting := range []string{"external", "off", "on"} {
		inner.must("set", "-g", "set-clipboard", setting)
		text := fmt.Sprintf("https://cdn.example.com/fwd-%s-%d", setting, time.Now().UnixNano())
		r := Copy(context.Background(), text, nil, env)
		if r.String() != "copied to tmux buffer (tmux forwards it to your terminal's clipboard)" {
			t.Errorf("set-clipboard %s: report %#v %q", setting, r, r)
		}
		if got := inner.must("show-buffer"); got != text {
			t.Errorf("set-clipboard %s: inner buffer %q", setting, got)
		}
		if !waitFor(func() bool { got, _ := outer.cmd("show-buffer"); return got == text }) {
			got, _ := outer.cmd("show-buffer")
			t.Errorf("set-clipboard %s: the client's terminal got %q, want %q", setting, got, text)
		}
	}
}

// TestRealTmuxSettings records what tmux does with OSC 52 written by a
// program in a pane, the premise of the plan: a plain OSC 52 reaches tmux's
// buffer and the terminal only with set-clipboard on; the passthrough form
// reaches the terminal (never the buffer) only with allow-passthrough on.
// So the two sequences fsdeck used to send reach nothing under tmux's
// defaults (external, passthrough off).
func TestRealTmuxSettings(t *testing.T) {
	needTmux(t)
	inner := startTmux(t, "", "sleep 600")
	if maj, mnr := parseTmuxVersion(inner.must("-V")); maj < 3 || maj == 3 && mnr < 3 {
		t.Skip("allow-passthrough needs tmux 3.3")
	}
	outer := startTmux(t, "set -g default-terminal xterm-256color\nset -g set-clipboard on\n",
		"TMUX= TERM=xterm-256color exec tmux -S "+inner.sock+" attach")
	if !waitFor(func() bool { out, _ := inner.cmd("list-clients"); return out != "" }) {
		t.Fatal("the outer tmux did not attach to the inner one")
	}
	type seen struct{ plainBuf, plainTerm, passBuf, passTerm bool }
	for _, c := range []struct {
		setClipboard, passthrough string
		want                      seen
	}{
		{"external", "off", seen{}},
		{"external", "on", seen{passTerm: true}},
		{"on", "off", seen{plainBuf: true, plainTerm: true}},
		{"on", "on", seen{plainBuf: true, plainTerm: true, passTerm: true}},
		{"off", "off", seen{}},
		{"off", "on", seen{passTerm: true}},
	} {
		inner.must("set", "-g", "set-clipboard", c.setClipboard)
		inner.must("set", "-g", "allow-passthrough", c.passthrough)
		id := fmt.Sprintf("%s-%s-%d", c.setClipboard, c.passthrough, time.Now().UnixNano())
		plain, pass, done := "plain-"+id, "pass-"+id, "done-"+id
		// The load-buffer -w marker reaches the terminal after both
		// sequences were handled, so absence can be asserted.
		inner.must("respawn-pane", "-k", fmt.Sprintf(
			`printf '\033]52;c;%s\007\033Ptmux;\033\033]52;c;%s\007\033\\'; printf %s | tmux load-buffer -w -; exec sleep 600`,
			b64of(plain), b64of(pass), done))
		if !waitFor(func() bool { return strings.Contains(buffers(outer), done) }) {
			t.Fatalf("%s/%s: the load-buffer -w marker never reached the terminal", c.setClipboard, c.passthrough)
		}
		time.Sleep(200 * time.Millisecond)
		ib, ob := buffers(inner), buffers(outer)
		got := seen{strings.Contains(ib, plain), strings.Contains(ob, plain), strings.Contains(ib, pass), strings.Contains(ob, pass)}
		if got != c.want {
			t.Errorf("set-clipboard %s, allow-passthrough %s: got %+v, want %+v", c.setClipboard, c.passthrough, got, c.want)
		}
	}
}

func b64of(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func buffers(s tmuxServer) string {
	out, _ := s.cmd("list-buffers", "-F", "#{buffer_sample}")
	return out
}
