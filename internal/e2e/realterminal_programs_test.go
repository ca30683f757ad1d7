package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// programsSession starts fsdeck in tmux over work, with $EDITOR a script
// that shows itself, waits for a line, then runs body (a shell snippet
// with the files in "$@"), and $SHELL bash with the prompt INNER$.
func programsSession(t *testing.T, name, body string, extraEnv ...string) (*termSession, string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(work, 0o700)
	os.WriteFile(filepath.Join(work, "hello.txt"), []byte("hello\n"), 0o600)
	editor := filepath.Join(tmp, "fake-editor")
	script := "#!/bin/sh\necho \"FAKE EDITOR ON $*\"\nread line\n" + body + "\n"
	if err := os.WriteFile(editor, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	shell := filepath.Join(tmp, "fake-shell")
	if err := os.WriteFile(shell, []byte("#!/bin/sh\nPS1='INNER$ ' exec "+bash+" --norc --noprofile -i\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env := termEnv(tmp, append([]string{"XDG_CONFIG_HOME=" + filepath.Join(tmp, "xdg"), "EDITOR=" + editor, "SHELL=" + shell,
		"HISTFILE=/dev/null"}, extraEnv...)...)
	tt := startTmux(t, name, 100, 30, fsdeckCmd(env, localAddr(t), work))
	tt.closeFirstRun()
	tt.waitFor("local mode", "hello.txt", "? help")
	return tt, work
}

// e hands the terminal to $EDITOR (fsdeck's screen goes), and fsdeck
// comes back redrawn when it exits, saying the file was saved; S does the
// same with $SHELL in the directory shown.
func TestRealTerminalEditAndShell(t *testing.T) {
	needTmux(t)
	tt, work := programsSession(t, "edit", `printf 'more\n' >> "$1"`)
	tt.keys("e")
	s := tt.waitFor("editor has the terminal", "FAKE EDITOR ON "+filepath.Join(work, "hello.txt"))
	if strings.Contains(s, "? help") {
		t.Fatalf("fsdeck's screen stayed while the editor ran:\n%s", s)
	}
	tt.keys("Enter")
	tt.waitFor("back from the editor", "hello.txt", "? help", "saved hello.txt")
	if b, _ := os.ReadFile(filepath.Join(work, "hello.txt")); string(b) != "hello\nmore\n" {
		t.Fatalf("the editor's change: %q", b)
	}
	tt.keys("S")
	s = tt.waitFor("shell has the terminal", "INNER$")
	if strings.Contains(s, "? help") {
		t.Fatalf("fsdeck's screen stayed under the shell:\n%s", s)
	}
	tt.keys("touch made-in-shell; exit", "Enter")
	tt.waitFor("back from the shell, listed again", "made-in-shell", "? help", "back from fake-shell")
	if _, err := os.Stat(filepath.Join(work, "made-in-shell")); err != nil {
		t.Fatalf("the shell did not run in the directory shown: %v", err)
	}
	tt.keys("q")
	for deadline := time.Now().Add(10 * time.Second); exec.Command("tmux", "-L", tt.socket, "has-session", "-t", "fsdeck").Run() == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("q did not quit:\n%s", tt.screen())
		}
	}
}

// R: the names go to $EDITOR, the plan shows when it exits, y renames,
// z undoes.
func TestRealTerminalBulkRename(t *testing.T) {
	needTmux(t)
	tt, work := programsSession(t, "bulk", `printf 'renamed.txt\n' > "$1"`)
	tt.keys("R")
	tt.waitFor("editor has the names", "FAKE EDITOR ON ")
	tt.keys("Enter")
	tt.waitFor("plan shown", "Rename 1 item?", "hello.txt → renamed.txt")
	tt.keys("y")
	tt.waitFor("renamed", "renamed.txt", "z undoes")
	if _, err := os.Stat(filepath.Join(work, "renamed.txt")); err != nil {
		t.Fatalf("not renamed on disk: %v", err)
	}
	tt.keys("z")
	tt.waitFor("undone", "undid the bulk rename", "hello.txt")
	if _, err := os.Stat(filepath.Join(work, "hello.txt")); err != nil {
		t.Fatalf("not put back on disk: %v", err)
	}
}

// README's fsd function: fsdeck --cwd-file, and the shell is left in the
// directory the local pane showed on quit.
func TestRealTerminalCwdFile(t *testing.T) {
	needTmux(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, fn, ok := strings.Cut(string(readme), "```sh\nfsd() {")
	fn, _, ok2 := strings.Cut(fn, "```")
	if !ok || !ok2 {
		t.Fatal("README has no fsd function")
	}
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	os.MkdirAll(filepath.Join(work, "sub"), 0o700)
	os.WriteFile(filepath.Join(work, "sub", "inner.txt"), nil, 0o600)
	rc := filepath.Join(tmp, "rc")
	os.WriteFile(rc, []byte("fsd() {"+fn), 0o600)
	env := termEnv(tmp, "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "PS1=READY$ ", "HISTFILE=/dev/null", "FSDECK_LOCAL_ADDR="+localAddr(t))
	tt := startTmux(t, "cwd", 100, 30, bashCmd(env, bash))
	tt.waitFor("shell", "READY$")
	tt.keys(". "+rc+"; cd "+tmp+" && fsd work", "Enter")
	tt.closeFirstRun()
	tt.waitFor("local mode", "sub/", "? help")
	tt.keys("Enter")
	tt.waitFor("in sub", "inner.txt")
	tt.keys("q")
	tt.waitGone("quit", "inner.txt")
	tt.keys("clear; echo \"NOW IN $PWD\"", "Enter")
	tt.waitFor("the shell went where fsdeck was", "NOW IN "+filepath.Join(work, "sub"))
}
