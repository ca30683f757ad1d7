package clipboard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// helperEnv names the variable that makes TestHelperCopy copy its value:
// the test binary re-run inside a terminal stands in for fsdeck.
const helperEnv = "FSDECK_CLIPBOARD_HELPER_TEXT"

// TestHelperCopy copies as fsdeck does, from inside a real tmux or screen,
// and writes the report's status line to $FSDECK_CLIPBOARD_HELPER_REPORT.
func TestHelperCopy(t *testing.T) {
	text := os.Getenv(helperEnv)
	if text == "" {
		t.Skip("helper for TestRealCopyInPane")
	}
	env := System(os.Getenv)
	env.NoTools = true // a CI machine's DISPLAY must not change the plan
	r := Copy(context.Background(), text, os.Stdout, env)
	if err := os.WriteFile(os.Getenv("FSDECK_CLIPBOARD_HELPER_REPORT"), []byte(r.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

// helperCommand is a shell command running TestHelperCopy for text, then
// staying alive so that the pane (and the server) outlives it.
func helperCommand(t *testing.T, text, report string) string {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s=%s FSDECK_CLIPBOARD_HELPER_REPORT=%s %s -test.run='^TestHelperCopy$'; exec sleep 600",
		helperEnv, text, report, self)
}

func readReport(t *testing.T, path string) string {
	var b []byte
	waitFor(func() bool { b, _ = os.ReadFile(path); return len(b) > 0 })
	return string(b)
}

// fsdeck's copy run inside a tmux with default settings (set-clipboard
// external, allow-passthrough off) whose client is a terminal with
// OSC 52: the text is in tmux's buffer and reached the terminal.
func TestRealCopyInPane(t *testing.T) {
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
	inner.must("set", "-gu", "set-clipboard")
	inner.must("set", "-gu", "allow-passthrough")
	text := fmt.Sprintf("https://cdn.example.com/pane-%d", time.Now().UnixNano())
	report := filepath.Join(t.TempDir(), "report")
	inner.must("respawn-pane", "-k", helperCommand(t, text, report))
	if got := readReport(t, report); got != "copied to tmux buffer (tmux forwards it to your terminal's clipboard)" {
		t.Errorf("status %q", got)
	}
	if got := inner.must("show-buffer"); got != text {
		t.Errorf("tmux buffer %q, want %q", got, text)
	}
	if !waitFor(func() bool { return strings.Contains(buffers(outer), text) }) {
		t.Errorf("the terminal's clipboard never got %q: %q", text, buffers(outer))
	}
}

// fsdeck's copy run inside GNU screen, itself in a terminal with OSC 52
// (a tmux with set-clipboard on): screen's passthrough form arrives.
func TestRealCopyInScreen(t *testing.T) {
	needTmux(t)
	if _, err := exec.LookPath("screen"); err != nil {
		t.Skip("GNU screen is not installed")
	}
	dir := t.TempDir()
	screenDir := filepath.Join(dir, "screens")
	if err := os.Mkdir(screenDir, 0o700); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf("https://cdn.example.com/screen-%d", time.Now().UnixNano())
	report := filepath.Join(dir, "report")
	outer := startTmux(t, "set -g default-terminal xterm-256color\nset -g set-clipboard on\n",
		fmt.Sprintf("TMUX= TMUX_PANE= SCREENDIR=%s exec screen -S fsdeck-clip sh -c %q", screenDir, helperCommand(t, text, report)))
	t.Cleanup(func() {
		c := exec.Command("screen", "-S", "fsdeck-clip", "-X", "quit")
		c.Env = append(os.Environ(), "SCREENDIR="+screenDir)
		c.Run()
	})
	if got := readReport(t, report); got != "sent OSC 52 through screen — your terminal must allow clipboard writes" {
		t.Errorf("status %q", got)
	}
	if !waitFor(func() bool { return strings.Contains(buffers(outer), text) }) {
		t.Errorf("the terminal's clipboard never got %q: %q", text, buffers(outer))
	}
}
