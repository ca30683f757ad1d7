package cli

import (
	"bytes"
	"strings"
	"testing"
)

// Exit status 3: with a Filestack key but no app secret, signing and
// deleting are refused before any request is sent.
func TestCLIMissingSecretExit3(t *testing.T) {
	c := newCLI(t)
	cmd := c.command("", "url", "--signed", "1h", "AAAAAAAAAAAAAAAAAAAA")
	cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=AkeyThatIsNeverSent0000")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(errb.String(), "app secret") {
		t.Errorf("url --signed: %d %q", code, errb.String())
	}
	cmd = c.command("", "rm", "--yes", "AAAAAAAAAAAAAAAAAAAA")
	cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=AkeyThatIsNeverSent0000")
	errb.Reset()
	cmd.Stderr = &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(errb.String(), "app secret") {
		t.Errorf("rm: %d %q", code, errb.String())
	}
	if strings.Contains(errb.String(), "AkeyThatIsNeverSent0000") {
		t.Errorf("the key is in the message: %q", errb.String())
	}
}

// url --copy reports exactly what happened: here no terminal, no tmux and
// no clipboard tool, so nothing could take it (exit 1), and the URL is
// still printed.
func TestCLIURLCopyReportsHonestly(t *testing.T) {
	c := newCLI(t)
	c.file("f.txt", []byte("f"))
	out, _, _ := c.run("", "upload", "-q", "f.txt")
	h := strings.TrimSpace(out)
	cmd := c.command("", "url", "--copy", h)
	cmd.Env = append(cmd.Env, "PATH="+t.TempDir(), "TMUX=", "STY=")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.HasSuffix(strings.TrimSpace(o.String()), "/"+h) ||
		!strings.Contains(e.String(), "clipboard: could not copy") {
		t.Errorf("exit %d, stdout %q, stderr %q", cmd.ProcessState.ExitCode(), o.String(), e.String())
	}
}
