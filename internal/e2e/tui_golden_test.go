package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxTerm drives the binary in a private tmux server at a fixed size.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

func (tt *tmuxTerm) tmux(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tt.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tt *tmuxTerm) screen() string { return tt.tmux("capture-pane", "-p", "-t", "fsdeck") }

func (tt *tmuxTerm) keys(ks ...string) {
	tt.tmux(append([]string{"send-keys", "-t", "fsdeck"}, ks...)...)
}

// settled waits until every want shows and the screen has stayed the same
// for a moment (a redraw finished), failing after 20 s.
func (tt *tmuxTerm) settled(step string, want ...string) string {
	tt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last, since := "", time.Now()
	for {
		s := tt.screen()
		ok := true
		for _, w := range want {
			if !strings.Contains(s, w) {
				ok = false
				break
			}
		}
		if s != last {
			last, since = s, time.Now()
		} else if ok && time.Since(since) >= 400*time.Millisecond {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("%s: %q never settled; screen:\n%s", step, want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// gone waits until text is off the screen (a dialog closed).
func (tt *tmuxTerm) gone(step, text string) {
	tt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for strings.Contains(tt.screen(), text) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("%s: %q stayed; screen:\n%s", step, text, tt.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freeLoopback is a free loopback address among ports that all end in
// the same three digits: a pane title cut before the address's end shows
// the same characters whichever was free.
func freeLoopback(t *testing.T) string {
	for port := 30117; port < 65536; port += 1000 {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		addr := l.Addr().String()
		l.Close()
		return addr
	}
	t.Fatal("no free loopback port ending in 117")
	return ""
}

// TestGoldenInterface keeps the interface's main states at 80×24 and
// 120×40, as a real terminal shows them: the first-run dialog, both panes,
// help, an upload and the transfers panel, details, the target switcher
// and the transform studio. .ci/run runs it (FSDECK_TMUX_TEST=1).
func TestGoldenInterface(t *testing.T) {
	if os.Getenv("FSDECK_TMUX_TEST") == "" {
		t.Skip("set FSDECK_TMUX_TEST=1 to drive the binary in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed")
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { goldenInterface(t, size[0], size[1]) })
	}
}

func goldenInterface(t *testing.T, w, h int) {
	s := newSandbox(t, freeLoopback(t))
	fixed := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for name, data := range map[string][]byte{
		"hello.txt":     []byte("hello from tmux\n"),
		"notes.md":      []byte("# Notes\n\n- one\n- two\n"),
		"pic.png":       pngBytes(t, 64, 48),
		"sub/inner.txt": []byte("inner\n"),
	} {
		p := s.file(name, data)
		os.Chtimes(p, fixed, fixed)
	}
	os.Chtimes(filepath.Join(s.work, "sub"), fixed, fixed)
	n := newNormaliser(s.root)
	cmd := fmt.Sprintf("env -i %s %s %s", strings.Join(s.env(), " "), bin, s.work)
	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("fsdeck-e2e-%d-%d", w, os.Getpid())}
	tt.tmux("new-session", "-d", "-s", "fsdeck", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), cmd)
	t.Cleanup(func() { exec.Command("tmux", "-L", tt.socket, "kill-server").Run() })
	dir := fmt.Sprintf("tui/%dx%d/", w, h)
	shot := func(name string, want ...string) {
		t.Helper()
		golden(t, dir+name+".txt", n.text(tt.settled(name, want...)))
	}

	shot("01-first-run", "Welcome to fsdeck")
	tt.keys("Escape")
	tt.gone("first-run closes", "Welcome to fsdeck")
	shot("02-local", "hello.txt", "pic.png")
	tt.keys("?")
	shot("03-help", "help")
	tt.keys("Escape")
	tt.gone("help closes", "Keys (local pane first)")
	// The cursor starts on sub/; hello.txt is next.
	tt.keys("j")
	tt.keys("u")
	tt.settled("hello.txt uploaded", "uploaded")
	registerLedger(t, s, n)
	shot("04-uploaded", "uploaded")
	// Information fades after 5 s: the next screens are taken without it,
	// so that a slow machine shows the same.
	tt.gone("the upload's message fades", "uploaded hello.txt")
	tt.keys("w")
	shot("05-transfers", "hello.txt")
	tt.keys("w")
	tt.keys("Tab")
	shot("06-remote", "hello.txt")
	tt.keys("Enter")
	shot("07-details", "Remote file")
	tt.keys("Escape")
	tt.gone("details close", "Remote file")
	tt.keys("T")
	shot("08-targets", "Show files of")
	tt.keys("Escape")
	tt.gone("targets close", "Show files of")
	tt.keys("Tab")
	tt.keys("G")
	tt.keys("u")
	tt.settled("pic.png uploaded", "uploaded")
	tt.gone("the upload's message fades", "uploaded pic.png")
	tt.keys("Tab")
	tt.keys("g")
	tt.keys("t")
	registerLedger(t, s, n)
	shot("09-studio", "no tasks")
	tt.keys("Escape")
	tt.gone("studio closes", "Transform studio")
	tt.keys("q")
}

// registerLedger registers the handles the ledger holds (read by another
// process, as a user's script would), so that screens show them as ids.
func registerLedger(t *testing.T, s *sandbox, n *normaliser) {
	t.Helper()
	out, errOut, code := s.run("", "ls", "--json")
	if code != 0 {
		t.Fatalf("ls --json beside the interface: exit %d: %s", code, errOut)
	}
	registerIDs(n, out)
}
