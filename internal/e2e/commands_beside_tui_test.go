package e2e

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/internal/text"
)

// An upload made by `fsdeck upload` is in the interface's remote pane:
// the interface runs in a private tmux server on the same data directory.
func TestCLIUploadAppearsInTUI(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	c := newCLI(t)
	c.file("shared-by-cli.txt", []byte("from the command line"))
	if out, errOut, code := c.run("", "upload", "-q", "shared-by-cli.txt"); code != 0 {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	tmux := c.tui(t)
	var screen string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		screen, _ = tmux("capture-pane", "-p")
		// The remote pane is the right one, and only it shows types.
		for _, line := range strings.Split(screen, "\n") {
			if _, right, ok := strings.Cut(line, "││"); ok && strings.Contains(right, "shared-by-cli.txt") && strings.Contains(right, "text/plain") {
				return
			}
		}
	}
	t.Fatalf("the remote pane does not list the upload:\n%s", screen)
}

// tui starts the interface on c's directories in a private tmux server
// and returns a function running tmux commands against it.
func (c *cli) tui(t *testing.T) func(args ...string) (string, error) {
	t.Helper()
	sock := fmt.Sprintf("fsdeck-cli-test-%d", time.Now().UnixNano())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	var env []string
	for _, kv := range c.env() {
		if strings.HasPrefix(kv, "FSDECK_") {
			env = append(env, text.ShellQuote(kv))
		}
	}
	cmdline := "env -u FILESTACK_API_KEY -u FILESTACK_APP_SECRET DBUS_SESSION_BUS_ADDRESS=disabled: TERM=xterm-256color " +
		strings.Join(env, " ") + " " + text.ShellQuote(bin) + " " + text.ShellQuote(c.dir)
	if out, err := tmux("new-session", "-d", "-x", "160", "-y", "40", cmdline); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	return tmux
}

// An upload the interface left journaled (killed mid-file) is finished by
// `fsdeck upload` of the same file, sending only the parts the server
// lacks.
func TestCLIFinishesTUIUpload(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	if testing.Short() {
		t.Skip("sends 30 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms")
	data := make([]byte, 30<<20)
	rand.Read(data)
	big := c.file("big.bin", data)
	tmux := c.tui(t)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if screen, _ := tmux("capture-pane", "-p"); strings.Contains(screen, "› big.bin") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the interface did not show big.bin")
		}
	}
	// A first run greets with the key dialog: esc continues in local mode.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		screen, _ := tmux("capture-pane", "-p")
		if !strings.Contains(screen, "Welcome to fsdeck") {
			break
		}
		tmux("send-keys", "Escape")
		if time.Now().After(deadline) {
			t.Fatalf("the welcome dialog stays:\n%s", screen)
		}
	}
	tmux("send-keys", "u")
	log.WaitAcknowledged(t, 0, 2)
	tmux("kill-server") // the interface dies mid-upload, as in a crash
	first, mark := log.StoredParts(0)
	if len(first) >= 6 {
		t.Fatalf("every part was stored before the kill: %v", first)
	}
	out, errOut, code := c.run("", "upload", "--json", big)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	second, _ := log.StoredParts(mark)
	for p := range second {
		if first[p] > 0 {
			t.Errorf("part %s was sent again (first %v, second %v)", p, first, second)
		}
	}
	if len(first)+len(second) != 6 {
		t.Errorf("parts: first %v, second %v; want 6 in all", first, second)
	}
}

// On a terminal, upload draws one progress block on stderr, redrawn in
// place, and clears it at the end; results go to stdout (here a file).
func TestCLIUploadProgressOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms")
	data := make([]byte, 15<<20)
	rand.Read(data)
	c.file("big.bin", data)
	out := filepath.Join(c.dir, "out.jsonl")
	tmux := c.shell(t, "upload", "--json", "big.bin", ">"+out, ";", "echo", "EXIT=$?")
	log.WaitParts(t, 1)
	screen, _ := tmux("capture-pane", "-p")
	if strings.Count(screen, "Transferred ") != 1 || !strings.Contains(screen, "big.bin") || !strings.Contains(screen, "files 0/1 done") {
		t.Fatalf("progress block:\n%s", screen)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(screen, "EXIT="); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("upload did not end:\n%s", screen)
		}
		screen, _ = tmux("capture-pane", "-p")
	}
	if !strings.Contains(screen, "EXIT=0") || strings.Contains(screen, "Transferred") {
		t.Errorf("after the upload:\n%s", screen)
	}
	b, _ := os.ReadFile(out)
	if rs := clitest.JSONLines[result](t, string(b), clitest.ResultFields...); len(rs) != 1 || rs[0].Status != statusStored {
		t.Errorf("results: %q", b)
	}
}

// In local mode without a running server, upload on a terminal says the
// built-in server stopped with the command, so its printed URLs are not
// taken for dead links; piped (every other CLI test) it says nothing.
func TestCLIUploadSaysLocalServerStopped(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	c.file("n.txt", []byte("hi"))
	tmux := c.shell(t, "upload", "-q", "n.txt", ";", "echo", "EXIT=$?")
	var screen string
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(screen, "EXIT="); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("upload did not end:\n%s", screen)
		}
		screen, _ = tmux("capture-pane", "-p", "-J")
	}
	if !strings.Contains(screen, "EXIT=0") || !strings.Contains(screen, "the built-in server at http://"+c.addr+" stopped with this command") {
		t.Fatalf("screen:\n%s", screen)
	}
	if _, errOut, _ := c.run("", "upload", "-q", "n.txt"); strings.Contains(errOut, "built-in server") {
		t.Fatalf("piped stderr got the note: %q", errOut)
	}
}

// shell runs fsdeck with args (shell words, not quoted) in a private tmux
// server's shell, so its stderr is a terminal.
func (c *cli) shell(t *testing.T, args ...string) func(args ...string) (string, error) {
	t.Helper()
	sock := fmt.Sprintf("fsdeck-cli-test-%d", time.Now().UnixNano())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return string(out), err
	}
	var env []string
	for _, kv := range c.env() {
		if strings.HasPrefix(kv, "FSDECK_") {
			env = append(env, text.ShellQuote(kv))
		}
	}
	script := "cd " + text.ShellQuote(c.dir) + " && env -u FILESTACK_API_KEY DBUS_SESSION_BUS_ADDRESS=disabled: " + strings.Join(env, " ") +
		" " + text.ShellQuote(bin) + " " + strings.Join(args, " ") + "; sleep 60"
	if out, err := tmux("new-session", "-d", "-x", "120", "-y", "30", "sh", "-c", script); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { tmux("kill-server") })
	return tmux
}

// On a terminal, rm asks first; "n" keeps the file, "y" deletes it.
func TestCLIRmAsksOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	c := newCLI(t)
	c.file("victim.txt", []byte("v"))
	out, _, _ := c.run("", "upload", "-q", "victim.txt")
	h := strings.TrimSpace(out)
	for _, answer := range []string{"n", "y"} {
		tmux := c.shell(t, "rm", h, ";", "echo", "EXIT=$?")
		var screen string
		for deadline := time.Now().Add(15 * time.Second); !strings.Contains(screen, "[y/N]"); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no question:\n%s", screen)
			}
			screen, _ = tmux("capture-pane", "-p")
		}
		tmux("send-keys", answer, "Enter")
		for deadline := time.Now().Add(15 * time.Second); !strings.Contains(screen, "EXIT="); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("rm did not end:\n%s", screen)
			}
			screen, _ = tmux("capture-pane", "-p")
		}
		listed, _, _ := c.run("", "ls", "-q")
		switch answer {
		case "n":
			if !strings.Contains(screen, "nothing deleted") || !strings.Contains(screen, "EXIT=1") || !strings.Contains(listed, h) {
				t.Fatalf("after n:\n%s\nls %q", screen, listed)
			}
		case "y":
			if !strings.Contains(screen, "EXIT=0") || strings.Contains(listed, h) {
				t.Fatalf("after y:\n%s\nls %q", screen, listed)
			}
		}
		tmux("kill-server")
	}
}

// rm's question on a terminal names each file by its name and handle and
// where it is: the local server in local mode, the target's stand-in on
// another target.
func TestCLIRmNamesFilesOnTerminal(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	c := newCLI(t)
	c.file("first.txt", []byte("1"))
	c.file("second.txt", []byte("2"))
	var handles []string
	for _, n := range []string{"first.txt", "second.txt"} {
		out, errOut, code := c.run("", "upload", "-q", n)
		if code != 0 {
			t.Fatalf("upload %s: %d %q", n, code, errOut)
		}
		handles = append(handles, strings.TrimSpace(out))
	}
	c.file("pic.png", clitest.PNG(t))
	out, errOut, code := c.run("", "upload", "-q", "--to", "gyazo", "pic.png")
	if code != 0 {
		t.Fatalf("upload to gyazo: %d %q", code, errOut)
	}
	gyazoURL := strings.TrimSpace(out)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"rm", handles[0], handles[1]}, []string{"Delete 2 files on the local server and from the ledger?",
			"  first.txt (" + handles[0] + ")", "  second.txt (" + handles[1] + ")", "[y/N]"}},
		{[]string{"rm", "--forget-only", handles[0]}, []string{"Forget 1 file (it stays on the local server)?",
			"  first.txt (" + handles[0] + ")"}},
		{[]string{"rm", "--to", "gyazo", gyazoURL}, []string{"Delete 1 file on Gyazo (the local server's stand-in) and from the ledger?",
			"  pic.png ("}},
	} {
		tmux := c.shell(t, append(tc.args, ";", "echo", "EXIT=$?")...)
		var screen string
		for deadline := time.Now().Add(15 * time.Second); !strings.Contains(screen, "[y/N]"); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%v: no question:\n%s", tc.args, screen)
			}
			screen, _ = tmux("capture-pane", "-p")
		}
		for _, w := range tc.want {
			if !strings.Contains(screen, w) {
				t.Fatalf("%v: the question lacks %q:\n%s", tc.args, w, screen)
			}
		}
		tmux("send-keys", "n", "Enter")
		for deadline := time.Now().Add(15 * time.Second); !strings.Contains(screen, "EXIT="); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("rm did not end:\n%s", screen)
			}
			screen, _ = tmux("capture-pane", "-p")
		}
		tmux("kill-server")
	}
	if listed, _, _ := c.run("", "ls", "-q"); !strings.Contains(listed, handles[0]) || !strings.Contains(listed, handles[1]) {
		t.Fatalf("deleted after n: %q", listed)
	}
}
