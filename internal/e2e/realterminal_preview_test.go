package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/store"
)

// TestRealTerminalPreviewAndPath turns the preview on over a Go file and
// a file of escape sequences (shown as pictures, never acted on), goes to
// a directory through the path prompt with tab completion, shows a path
// error, comes back with -, and checks view.json remembers the toggle and
// the directories visited.
func TestRealTerminalPreviewAndPath(t *testing.T) {
	needTmux(t)
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(filepath.Join(work, "deep", "inner"), 0o700)
	os.WriteFile(filepath.Join(work, "hello.go"), []byte("package hello\n\n// Hello greets.\nfunc Hello() string {\n\treturn \"hi\"\n}\n"), 0o600)
	os.WriteFile(filepath.Join(work, "ipwned.txt"), []byte("before \x1b[2J\x1b]2;PWNED\x07 after\n"), 0o600)
	env := termEnv(tmp, inTmux...)
	cmd := fsdeckCmd(env, localAddr(t), work)
	tt := startTmux(t, "preview", 120, 40, cmd)

	tt.closeFirstRun()
	tt.waitFor("local mode", "hello.go", "Remote")
	tt.keys("j", "P")
	s := tt.waitFor("preview of hello.go", "Preview hello.go", "func Hello() string {", "    return \"hi\"", "text · Go")
	if strings.Contains(s, "Remote ") {
		t.Fatalf("the preview should take the remote pane's place:\n%s", s)
	}
	tt.keys("j")
	s = tt.waitFor("escapes shown as pictures", "Preview ipwned.txt", "before ␛[2J␛]2;PWNED␇ after")
	if title := tt.tmux("display", "-p", "-t", "fsdeck", "#{pane_title}"); strings.Contains(title, "PWNED") {
		t.Fatalf("the file set the terminal title: %q", title)
	}
	if !strings.Contains(s, "LOCAL") {
		t.Fatalf("the screen was cleared:\n%s", s)
	}

	tt.keys(":")
	tt.waitFor("path prompt", "Go to directory")
	tt.keys("de", "Tab")
	tt.waitFor("completed deep/", "› deep/")
	tt.keys("Tab")
	tt.waitFor("completed deep/inner/", "› deep/inner/")
	tt.keys("Enter")
	tt.waitGone("prompt closes", "Go to directory")
	tt.waitFor("in deep/inner", "deep/inner", "empty directory")
	tt.keys(":")
	tt.waitFor("path prompt again", "Go to directory")
	tt.keys("nope", "Enter")
	tt.waitFor("error keeps the prompt", "no such file or directory: nope", "› nope")
	tt.keys("Escape")
	tt.waitGone("prompt closes", "Go to directory")
	tt.keys("-")
	tt.waitFor("back with -", "hello.go", "ipwned.txt")
	tt.keys("q")
	for deadline := time.Now().Add(10 * time.Second); exec.Command("tmux", "-L", tt.socket, "has-session", "-t", "fsdeck").Run() == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tt.screen())
		}
	}
	v, ok, err := store.LoadViewState(filepath.Join(tmp, "data", "view.json"))
	if !ok || err != nil || !v.Preview || len(v.RecentDirs) != 2 || v.RecentDirs[0] != work || v.RecentDirs[1] != filepath.Join(work, "deep", "inner") {
		t.Fatalf("view.json: %+v (%v, %v)", v, ok, err)
	}
}
