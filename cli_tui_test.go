package main

import (
	"crypto/rand"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
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
			env = append(env, shellQuote(kv))
		}
	}
	cmdline := "env -u FILESTACK_API_KEY -u FILESTACK_APP_SECRET -u DBUS_SESSION_BUS_ADDRESS TERM=xterm-256color " +
		strings.Join(env, " ") + " " + shellQuote(testBin) + " " + shellQuote(c.dir)
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
	log.waitParts(t, 2)
	tmux("kill-server") // the interface dies mid-upload, as in a crash
	first, mark := log.storedParts(0)
	if len(first) >= 6 {
		t.Fatalf("every part was stored before the kill: %v", first)
	}
	out, errOut, code := c.run("", "upload", "--json", big)
	rs := jsonLines(t, out)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed {
		t.Fatalf("upload: %d %q %q", code, out, errOut)
	}
	second, _ := log.storedParts(mark)
	for p := range second {
		if first[p] > 0 {
			t.Errorf("part %s was sent again (first %v, second %v)", p, first, second)
		}
	}
	if len(first)+len(second) != 6 {
		t.Errorf("parts: first %v, second %v; want 6 in all", first, second)
	}
}
