package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// termSession drives the built binary in a private tmux server at a fixed
// size: a real terminal, real key parsing, real resizes.
type termSession struct {
	t      *testing.T
	socket string
}

func (tt *termSession) tmux(args ...string) string {
	tt.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tt.socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tt *termSession) screen() string { return tt.tmux("capture-pane", "-p", "-t", "fsdeck") }

// keys sends tmux key names (Escape, Tab, Enter, Space, or literal text).
func (tt *termSession) keys(ks ...string) {
	tt.tmux(append([]string{"send-keys", "-t", "fsdeck"}, ks...)...)
}

// waitFor polls the screen until every want shows, failing after 15 s.
func (tt *termSession) waitFor(step string, want ...string) string {
	tt.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := tt.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("%s: %q never showed; screen:\n%s", step, missing, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitGone polls until gone is off the screen (a dialog closed), so the
// next key is not read together with an Escape as alt+key.
func (tt *termSession) waitGone(step, gone string) {
	tt.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for strings.Contains(tt.screen(), gone) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("%s: %q stayed; screen:\n%s", step, gone, tt.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startTmux runs cmd in a w×h window of a private tmux server named after
// the test (and this process), killed when the test ends.
func startTmux(t *testing.T, name string, w, h int, cmd string) *termSession {
	t.Helper()
	tt := &termSession{t: t, socket: fmt.Sprintf("fsdeck-%s-%d", name, os.Getpid())}
	tt.tmux("new-session", "-d", "-s", "fsdeck", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), cmd)
	t.Cleanup(func() {
		// The pane's process (fsdeck: env execs it) gets SIGHUP from
		// kill-server and stops its transfers on the way out; the test's
		// temporary directory is removed only once it has gone.
		pids, _ := exec.Command("tmux", "-L", tt.socket, "list-panes", "-a", "-F", "#{pane_pid}").Output()
		exec.Command("tmux", "-L", tt.socket, "kill-server").Run()
		for _, pid := range strings.Fields(string(pids)) {
			waitExited(pid, 10*time.Second)
		}
	})
	return tt
}

// waitExited waits until the process pid has exited (at most d); where
// there is no /proc it returns at once.
func waitExited(pid string, d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat("/proc/" + pid); err != nil {
			return
		}
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// localAddr is a loopback address for fsdeck's local mode (--addr).
func localAddr(t *testing.T) string { return fmt.Sprintf("127.0.0.1:%d", freePort(t)) }

// needTmux skips a real-terminal test unless FSDECK_TMUX_TEST is set
// (.ci/run sets it), and fails it where tmux is missing.
func needTmux(t *testing.T) {
	t.Helper()
	if os.Getenv("FSDECK_TMUX_TEST") == "" {
		t.Skip("set FSDECK_TMUX_TEST=1 to drive the binary in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed")
	}
}

// termEnv is the whole environment (env -i) of what a real-terminal test
// runs in tmux: the terminal type, a home, fsdeck's data and config
// directories and the runtime directory under tmp, no session bus, the
// test's PATH; then extra, whose entries replace those of the same name.
func termEnv(tmp string, extra ...string) []string {
	env := []string{"TERM=xterm-256color", "HOME=" + tmp, "FSDECK_DATA_DIR=" + filepath.Join(tmp, "data"),
		"FSDECK_CONFIG_DIR=" + filepath.Join(tmp, "config"), "XDG_RUNTIME_DIR=" + tmp, "DBUS_SESSION_BUS_ADDRESS=disabled:",
		"PATH=" + os.Getenv("PATH")}
	for _, kv := range extra {
		name, _, _ := strings.Cut(kv, "=")
		if i := slices.IndexFunc(env, func(e string) bool { return strings.HasPrefix(e, name+"=") }); i >= 0 {
			env[i] = kv
		} else {
			env = append(env, kv)
		}
	}
	return env
}

// inTmux is expanded by the pane's shell: fsdeck must know it runs in
// this tmux, whose settings are the defaults (-f /dev/null).
var inTmux = []string{`TMUX="$TMUX"`, `TMUX_PANE="$TMUX_PANE"`}

// fsdeckCmd is the tmux command that runs the built binary with env
// alone, its local mode at addr, over dir.
func fsdeckCmd(env []string, addr, dir string) string {
	return fmt.Sprintf("env -i %s %s --addr %s %s", strings.Join(env, " "), bin, addr, dir)
}

// bashCmd is the tmux command that runs an interactive bash (no rc files)
// with env alone.
func bashCmd(env []string, bash string) string {
	return fmt.Sprintf("env -i %s %s --norc --noprofile -i", strings.Join(env, " "), bash)
}

// closeFirstRun waits for the first-run dialog (and want, where given),
// closes it with Escape and waits until it has gone, so that the next key
// is not read together with the Escape as alt+key.
func (tt *termSession) closeFirstRun(want ...string) {
	tt.t.Helper()
	tt.waitFor("first-run dialog", append([]string{"Welcome to fsdeck"}, want...)...)
	tt.keys("Escape")
	tt.waitGone("first-run dialog closes", "Welcome to fsdeck")
}

// TestRealTerminal runs fsdeck in tmux at 80×24 through the first-run
// dialog, marking, uploading, remote details, copying and help, then
// resizes to 60×16 and back. .ci/run runs it (FSDECK_TMUX_TEST=1).
func TestRealTerminal(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "hello.txt"), []byte("hello from tmux\n"), 0o600)
	env := termEnv(tmp, inTmux...)
	cmd := fsdeckCmd(env, localAddr(t), work)
	tt := startTmux(t, "test", 80, 24, cmd)

	tt.closeFirstRun("local mode")
	tt.waitFor("local mode", "LOCAL", "hello.txt")
	tt.keys("j", "Space")
	tt.waitFor("mark", "1 marked")
	tt.keys("u")
	tt.waitFor("upload", "uploaded hello.txt")
	tt.keys("Tab", "Enter")
	tt.waitFor("remote details", "Remote file", "Handle", "text/plain")
	tt.keys("Escape")
	tt.waitGone("details close", "Remote file")
	// tmux's default set-clipboard is external: OSC 52 from fsdeck would
	// be dropped, so the URL must be in tmux's buffer and the status line
	// must say so.
	tt.keys("y")
	tt.waitFor("copy", "copied to tmux buffer")
	if buf := tt.tmux("show-buffer"); !strings.HasPrefix(buf, "http://127.0.0.1:") || strings.ContainsAny(buf, "\n\x1b") {
		t.Fatalf("tmux buffer after y: %q", buf)
	}
	tt.keys("?")
	s := tt.waitFor("help at 80×24", "Keys (remote pane first)", "copy URL", "forget")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) != 24 || !strings.HasSuffix(strings.TrimSpace(lines[23]), "? help") {
		t.Fatalf("help screen at 80×24 (%d lines):\n%s", len(lines), s)
	}
	tt.keys("Escape")
	tt.waitGone("help closes", "Keys (remote pane first)")
	tt.tmux("resize-window", "-t", "fsdeck", "-x", "60", "-y", "16")
	s = tt.waitFor("60×16", "Remote", "? help")
	if strings.Contains(s, "too small") {
		t.Fatalf("60×16 is the minimum:\n%s", s)
	}
	tt.tmux("resize-window", "-t", "fsdeck", "-x", "50", "-y", "12")
	tt.waitFor("50×12", "Terminal too small: 50×12", "60×16")
	tt.tmux("resize-window", "-t", "fsdeck", "-x", "80", "-y", "24")
	tt.waitFor("back to 80×24", "hello.txt", "? help")
	tt.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "-L", tt.socket, "has-session", "-t", "fsdeck").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tt.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRealTerminalFaults uploads against `fsdeck serve` rejecting every
// part and store: the row must show the retries with their attempt
// number, and nothing counted as done while the server accepted nothing.
func TestRealTerminalFaults(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	bin := bin // built once in TestMain
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "big.bin"), make([]byte, 20<<20), 0o600)
	env := termEnv(tmp)
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	serve := exec.Command(bin, "serve", "--addr", addr, "--quiet",
		"--fault", "put:rate=1,status=503", "--fault", "store:rate=1,status=500")
	serve.Env = env
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("fsdeck serve did not listen")
		}
	}
	cmd := fsdeckCmd(env, addr, work)
	tt := startTmux(t, "faults", 120, 30, cmd)

	tt.closeFirstRun()
	tt.waitFor("using the server", "big.bin")
	tt.keys("j", "u")
	s := tt.waitFor("retries visible", "retrying, attempt", "503")
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "⇡ big.bin") && !strings.Contains(l, "0 B/20 MiB") {
			t.Fatalf("bytes counted as done while every part was rejected: %q\n%s", l, s)
		}
		if strings.Contains(l, "█") {
			t.Fatalf("a bar shows done bytes while every part was rejected:\n%s", s)
		}
	}
	tt.keys("q")
	tt.waitFor("quit question", "Quit anyway?")
	tt.keys("y")
}

// TestRealTerminalSuspend runs fsdeck from an interactive shell: ctrl+z
// gives the shell back (primary screen, job stopped) and fg brings fsdeck
// back with its screen redrawn.
func TestRealTerminalSuspend(t *testing.T) {
	needTmux(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for job control")
	}
	tmp := t.TempDir()
	bin := bin // built once in TestMain
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "hello.txt"), []byte("hello\n"), 0o600)
	env := termEnv(tmp, "PS1=READY$ ", "HISTFILE=/dev/null")
	tt := startTmux(t, "suspend", 80, 24, bashCmd(env, bash))
	tt.waitFor("shell", "READY$")
	tt.keys(fmt.Sprintf("%s --addr 127.0.0.1:%d %s", bin, freePort(t), work), "Enter")
	tt.closeFirstRun()
	tt.waitFor("local mode", "hello.txt", "? help")
	tt.keys("C-z")
	s := tt.waitFor("suspended", "Stopped")
	if strings.Contains(s, "hello.txt") {
		t.Fatalf("fsdeck's screen stayed after ctrl+z:\n%s", s)
	}
	tt.keys("fg", "Enter")
	tt.waitFor("resumed and redrawn", "hello.txt", "? help", "LOCAL")
	tt.keys("q")
	// fsdeck has exited when the shell is the pane's command again.
	for deadline := time.Now().Add(10 * time.Second); strings.TrimSpace(tt.tmux("display", "-p", "-t", "fsdeck", "#{pane_current_command}")) != "bash"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tt.screen())
		}
	}
	tt.keys("exit", "Enter")
	for deadline := time.Now().Add(10 * time.Second); exec.Command("tmux", "-L", tt.socket, "has-session", "-t", "fsdeck").Run() == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the shell did not exit:\n%s", tt.screen())
		}
	}
}

// TestRealTerminalResumeMoved quits mid-upload against a server on one
// port and starts again with the server on another: the offered resume
// restarts the upload cleanly, the row says why, and it finishes.
func TestRealTerminalResumeMoved(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	bin := bin // built once in TestMain
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "big.bin"), make([]byte, 40<<20), 0o600)
	env := termEnv(tmp)
	serve := func(addr string, faults ...string) {
		cmd := exec.Command(bin, append([]string{"serve", "--addr", addr, "--quiet"}, faults...)...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if c, err := net.Dial("tcp", addr); err == nil {
				c.Close()
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("fsdeck serve did not listen")
			}
		}
	}
	run := func(name, addr string) *termSession {
		tt := startTmux(t, name, 120, 30, fsdeckCmd(env, addr, work))
		return tt
	}
	first := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	serve(first, "--fault", "put:latency=2s")
	tt := run("first", first)
	tt.closeFirstRun()
	tt.waitFor("local pane", "big.bin")
	tt.keys("j", "u")
	tt.waitFor("uploading", "⇡ big.bin", "uploading")
	tt.keys("q")
	tt.waitFor("quit question", "Quit anyway?")
	tt.keys("y")
	for deadline := time.Now().Add(15 * time.Second); exec.Command("tmux", "-L", tt.socket, "has-session").Run() == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("fsdeck did not quit:\n%s", tt.screen())
		}
	}

	second := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	serve(second)
	tt = run("second", second)
	tt.waitFor("resume offered", "1 unfinished upload")
	tt.keys("r")
	tt.waitFor("restarted and finished", "uploaded big.bin")
	tt.keys("w")
	s := tt.waitFor("row says why", "restarted:")
	if !strings.Contains(s, "40 MiB/40 MiB") {
		t.Fatalf("the restarted upload did not finish whole:\n%s", s)
	}
}

// TestRealTerminalFileOps renames inline, makes a directory, trashes a
// file, yanks and pastes into another directory (a background copy shown
// in the transfers panel) and undoes the trash, in a real terminal.
func TestRealTerminalFileOps(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(filepath.Join(work, "inbox"), 0o700)
	os.WriteFile(filepath.Join(work, "report.txt"), []byte("report\n"), 0o600)
	os.WriteFile(filepath.Join(work, "keep.txt"), []byte("keep\n"), 0o600)
	xdg := filepath.Join(tmp, "xdg")
	env := termEnv(tmp, "XDG_DATA_HOME="+xdg)
	cmd := fsdeckCmd(env, localAddr(t), work)
	tt := startTmux(t, "fileops", 100, 30, cmd)
	tt.closeFirstRun()
	tt.waitFor("listing", "inbox/", "keep.txt", "report.txt")

	tt.keys("G", "r")
	tt.waitFor("rename field", "rename report.txt: enter renames")
	tt.keys("final", "Enter")
	tt.waitFor("renamed", "renamed report.txt to final.txt", "final.txt")
	if _, err := os.Stat(filepath.Join(work, "final.txt")); err != nil {
		t.Fatalf("not renamed on disk: %v", err)
	}

	tt.keys("A")
	tt.waitFor("new directory prompt", "new directory:")
	tt.keys("archive", "Enter")
	tt.waitFor("directory made", "created directory archive", "archive/")

	tt.keys("G") // keep.txt sorts last
	tt.keys("d")
	tt.waitFor("trash asks", "Move 1 item (keep.txt) to the trash?")
	tt.keys("y")
	tt.waitFor("trashed", "moved 1 item to the trash")
	if _, err := os.Stat(filepath.Join(xdg, "Trash", "files", "keep.txt")); err != nil {
		t.Fatalf("not in the trash: %v", err)
	}

	tt.keys("G", "y")
	tt.waitFor("yanked", "yanked final.txt", "1 yanked")
	tt.keys("g", "Enter")
	tt.waitFor("in archive", "/archive")
	tt.keys("p")
	tt.waitFor("pasted", "copied final.txt", "final.txt")
	if b, err := os.ReadFile(filepath.Join(work, "archive", "final.txt")); err != nil || string(b) != "report\n" {
		t.Fatalf("paste on disk: %q, %v", b, err)
	}

	tt.keys("z")
	tt.waitFor("undo", "undid the trash")
	if _, err := os.Stat(filepath.Join(work, "keep.txt")); err != nil {
		t.Fatalf("undo did not restore: %v", err)
	}
	tt.keys("q")
}

// TestRealTerminalStaleMark is the scenario in a real terminal:
// a.txt marked and deleted for good loses its mark; made again from
// outside, it is not offered by D on its directory from the parent. esc
// then clears a mark, saying so.
func TestRealTerminalStaleMark(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	scratch := filepath.Join(tmp, "work", "scratch")
	os.MkdirAll(scratch, 0o700)
	os.WriteFile(filepath.Join(scratch, "a.txt"), []byte("old a\n"), 0o600)
	os.WriteFile(filepath.Join(scratch, "b.txt"), []byte("b\n"), 0o600)
	xdg := filepath.Join(tmp, "xdg")
	env := termEnv(tmp, "XDG_DATA_HOME="+xdg)
	cmd := fsdeckCmd(env, localAddr(t), scratch)
	tt := startTmux(t, "stalemark", 100, 30, cmd)
	tt.closeFirstRun()
	tt.waitFor("listing", "a.txt", "b.txt")

	tt.keys("Space")
	tt.waitFor("mark", "1 marked")
	tt.keys("D")
	tt.waitFor("delete asks", "Delete 1 item permanently (a.txt)?")
	tt.keys("y")
	s := tt.waitFor("deleted", "deleted 1 item permanently")
	if strings.Contains(s, "marked") {
		t.Fatalf("a mark outlived its file:\n%s", s)
	}
	if err := os.WriteFile(filepath.Join(scratch, "a.txt"), []byte("new a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tt.waitFor("the new a.txt is listed", "a.txt")
	tt.keys("BSpace")
	tt.waitFor("parent", "/work│", "› scratch/")
	tt.keys("D")
	s = tt.waitFor("delete asks", "Delete permanently")
	if !strings.Contains(s, "Delete 1 item permanently (scratch)?") || strings.Contains(s, "a.txt") || strings.Contains(s, "marked") {
		t.Fatalf("D in the parent offers a stale mark:\n%s", s)
	}
	tt.keys("n")
	tt.waitGone("question closes", "Delete permanently")
	if b, err := os.ReadFile(filepath.Join(scratch, "a.txt")); err != nil || string(b) != "new a\n" {
		t.Fatalf("the new a.txt: %q, %v", b, err)
	}

	tt.keys("Space")
	tt.waitFor("mark", "1 marked")
	tt.keys("Escape")
	s = tt.waitFor("esc clears", "cleared 1 mark")
	if strings.Contains(s, "1 marked") {
		t.Fatalf("esc left the mark:\n%s", s)
	}
	tt.keys("q")
}

// TestRealTerminalTargets switches to ImgBB with T in local mode, uploads
// an image to its emulator, copies its URL, and finds ImgBB chosen again
// in the next run (the switch is remembered).
func TestRealTerminalTargets(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "pic.png"), clitest.PNG(t), 0o600)
	env := termEnv(tmp, inTmux...)
	port := freePort(t)
	cmd := fsdeckCmd(env, fmt.Sprintf("127.0.0.1:%d", port), work)
	tt := startTmux(t, "targets", 100, 30, cmd)

	tt.closeFirstRun()
	tt.waitFor("local mode", "LOCAL  Filestack", "pic.png")
	tt.keys("T")
	tt.waitFor("switcher", "Show files of…", "ImgBB · local /imgbb · images only", "Pastebin · local /pastebin · text only")
	tt.keys("5") // Filestack, DDownload, GoFile, Gyazo, ImgBB
	tt.waitFor("switched", "LOCAL  ImgBB", "nothing uploaded yet")
	tt.keys("u")
	tt.waitFor("upload", "uploaded pic.png to ImgBB: http://127.0.0.1:")
	tt.keys("w") // the panel shows itself; w again hides it
	tt.keys("w")
	tt.keys("Tab")
	tt.waitFor("remote pane", "Remote · ImgBB http://127.0.0.1:", "pic.png", "1 file")
	tt.keys("y")
	tt.waitFor("copy", "copied to tmux buffer")
	if buf := tt.tmux("show-buffer"); !strings.HasPrefix(buf, fmt.Sprintf("http://127.0.0.1:%d/imgbb/", port)) || strings.ContainsAny(buf, "\n\x1b") {
		t.Fatalf("tmux buffer after y: %q", buf)
	}
	tt.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "-L", tt.socket, "has-session", "-t", "fsdeck").Run() == nil {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tt.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	tt.tmux("new-session", "-d", "-s", "fsdeck", "-x", "100", "-y", "30", cmd)
	tt.waitFor("the next run starts on ImgBB", "LOCAL  ImgBB", "pic.png")
}
