package cli

import (
	"bytes"
	"io"
	"strings"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// rm with an app secret the server rejects (403 Invalid signature) exits
// 3, as a rejected key does (it exited 1), says the secret was rejected
// and how to set it, and never prints the secret.
func TestRejectedAppSecretExit3(t *testing.T) {
	c := newCLI(t)
	addr := clitest.FreeAddr(t)
	const key, right, wrong = "RightKeyOfTheServer00000", "TheServersSecret0000", "NotTheServersSecret0"
	srv := c.command("", "serve", "--addr", addr, "--data", t.TempDir())
	srv.Env = append(srv.Env, envServeAPIKey+"="+key, envServeSecret+"="+right)
	srv.Stdout, srv.Stderr = io.Discard, io.Discard
	srv.Start()
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
	clitest.WaitListening(t, addr)
	run := func(secret string, args ...string) (string, string, int) {
		cmd := c.command("", args...)
		cmd.Env = append(cmd.Env, "FILESTACK_API_KEY="+key, "FILESTACK_APP_SECRET="+secret, "FSDECK_ENDPOINT=http://"+addr)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Run()
		return out.String(), errb.String(), cmd.ProcessState.ExitCode()
	}
	c.file("a.txt", []byte("hello"))
	out, errOut, code := run(right, "upload", "-q", "a.txt")
	h := strings.TrimSpace(out)
	if code != 0 {
		t.Fatalf("upload: %d %q", code, errOut)
	}
	out, errOut, code = run(wrong, "rm", "--yes", "--json", h)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 3 || len(rs) != 1 || rs[0].Status != statusFailed ||
		!strings.Contains(errOut, "the app secret was rejected or is missing") || !strings.Contains(errOut, "fsdeck key set --secret") || strings.Contains(out+errOut, wrong) {
		t.Errorf("rm with a wrong secret: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, errOut, code = run(right, "rm", "--yes", h); code != 0 {
		t.Errorf("rm with the right secret: exit %d %q", code, errOut)
	}
}

// An operation the target cannot do is a usage error, status 2, for
// every command (import --to imgbb exited 1, transform --to imgbb 2), said
// before anything is sent and with nothing on stdout.
func TestUnsupportedOperationExit2(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t) // nothing listens: refused before the session
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--to", "imgbb", "abc"}, "import is Filestack-only; ImgBB does not offer it"},
		{[]string{"stat", "--to", "imgbb", "abc"}, "ImgBB cannot show an upload's metadata"},
		{[]string{"transform", "--to", "imgbb", "abc", "resize=width:30"}, "transform is Filestack-only"},
	} {
		out, errOut, code := c.run("", tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", tc.args, code, out, errOut)
		}
	}
}

// A server that cannot be reached is status 4, apart from the other
// failures, so a script can retry only those (it was 1): per handle
// (stat), for the engine's transfers (upload, get) and for a
// whole command (get --stdout). Each run first spends the client's
// retries (one, with --retries 1), so they run side by side.
func TestNetworkFailureExit4(t *testing.T) {
	if testing.Short() {
		t.Skip("each run waits out the client's retries")
	}
	closed := "http://" + clitest.FreeAddr(t)
	for _, args := range [][]string{
		{"stat", "--json", "AAAAAAAAAAAAAAAAAAAA"},
		{"upload", "--json", "a.txt"},
		{"get", "--json", "AAAAAAAAAAAAAAAAAAAA"},
		{"get", "--stdout", "AAAAAAAAAAAAAAAAAAAA"},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			t.Parallel()
			c := newCLI(t)
			c.file("a.txt", []byte("hello"))
			// One retry, not the default seven: what is checked is the
			// status after retrying, not the backoff (seven took 20 s).
			cmd := c.command("", append(args, "--retries", "1")...)
			cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=SomeKeyOfNoServer000000", "FSDECK_ENDPOINT="+closed)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 4 || errb.Len() == 0 {
				t.Errorf("%v with the server unreachable: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
			}
		})
	}
}
