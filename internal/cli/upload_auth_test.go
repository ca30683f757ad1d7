package cli

import (
	"bytes"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// An upload to a server that rejects the key exits 3 (decided from the
// typed error, not its wording), and the key is not in the message. The
// server is a separate `fsdeck serve --apikey`, reached through
// FSDECK_ENDPOINT with the key in the environment; the right key then
// uploads, so the refusal is the key's.
func TestCLIUploadWrongKeyExit3(t *testing.T) {
	c := newCLI(t)
	addr := clitest.FreeAddr(t)
	const right, wrong = "RightKeyOfTheServer00000", "WrongKeyNotAccepted00000"
	srv := c.command("", "serve", "--addr", addr, "--apikey", right, "--data", t.TempDir())
	srv.Stdout, srv.Stderr = io.Discard, io.Discard
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	clitest.WaitListening(t, addr)
	f := c.file("a.txt", []byte("hello"))
	upload := func(key, endpoint string) (string, string, int) {
		cmd := c.command("", "upload", "--json", f)
		cmd.Env = append(cmd.Env, "FILESTACK_API_KEY="+key, "FSDECK_ENDPOINT="+endpoint)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Run()
		return out.String(), errb.String(), cmd.ProcessState.ExitCode()
	}
	out, errOut, code := upload(wrong, "http://"+addr)
	if code != 3 {
		t.Errorf("wrong key: exit %d, want 3 (stdout %q, stderr %q)", code, out, errOut)
	}
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); len(rs) != 1 || rs[0].Status != statusFailed {
		t.Errorf("wrong key: results %q", out)
	}
	if strings.Contains(out+errOut, wrong) {
		t.Errorf("the key is in the output: %q %q", out, errOut)
	}
	// Refused at its start, the upload has no server session to resume, so
	// nothing is journaled (doctor and the interface's resume offer count
	// the journal).
	if out, _, _ := c.run("", "doctor"); !strings.Contains(out, " 0 unfinished uploads") {
		t.Errorf("a refused upload stayed journaled: %q", out)
	}
	out, errOut, code = upload(right, "http://"+addr+"/")
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
		t.Errorf("right key: exit %d, %q %q", code, out, errOut)
	}
	if _, errOut, code = upload(right, "ftp://"+addr); code != 2 || !strings.Contains(errOut, "FSDECK_ENDPOINT") {
		t.Errorf("bad FSDECK_ENDPOINT: exit %d, %q", code, errOut)
	}
}
