package cli

import (
	"bytes"
	"crypto/rand"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// Interrupting an upload keeps it journaled and exits 130; the same
// command then sends only the parts the server lacks. The server is a
// separate `fsdeck serve` on the same data directory (local mode uses it
// instead of starting its own), so its request log is the witness.
func TestCLIUploadResumeAfterInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 30 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms")
	data := make([]byte, 30<<20) // six 5 MiB parts
	rand.Read(data)
	big := c.file("big.bin", data)
	up := c.command("", "upload", "--json", "--part-size", "5MiB", big)
	var out, errb bytes.Buffer
	up.Stdout, up.Stderr = &out, &errb
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	log.WaitAcknowledged(t, 0, 2)
	up.Process.Signal(os.Interrupt)
	err := up.Wait()
	if code := up.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("interrupted upload: exit %d (%v), stderr %q", code, err, errb.String())
	}
	if !strings.Contains(errb.String(), "1 unfinished upload stays journaled") || !strings.Contains(errb.String(), "same command again") {
		t.Errorf("no resume hint: %q", errb.String())
	}
	first, mark := log.StoredParts(0)
	if len(first) >= 6 {
		t.Fatalf("every part was stored before the interrupt: %v", first)
	}

	out2, errOut2, code := c.run("", "upload", "--json", "--part-size", "5MiB", big)
	rs := clitest.JSONLines[result](t, out2, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed || rs[0].Size != int64(len(data)) {
		t.Fatalf("resume: %d %q %q", code, out2, errOut2)
	}
	second, _ := log.StoredParts(mark)
	for p := range second {
		if first[p] > 0 {
			t.Errorf("part %s was sent again (first run stored %v, second %v)", p, first, second)
		}
	}
	if len(first)+len(second) != 6 {
		t.Errorf("parts stored: first %v, second %v; want 6 in all", first, second)
	}
	got, _, code := c.run("", "get", "--stdout", rs[0].Handle)
	if code != 0 || !bytes.Equal([]byte(got), data) {
		t.Errorf("the resumed file differs from the original (exit %d, %d bytes)", code, len(got))
	}
}

// serve runs `fsdeck serve` on c's data directory at a free address with
// the given faults, and points c's local mode at it. Parts are sent one at
// a time (config.toml), so an interrupt lands mid-file.
func (c *cli) serve(t testing.TB, faults ...string) *clitest.ServeLog {
	t.Helper()
	var args []string
	for _, f := range faults {
		args = append(args, "--fault", f)
	}
	return c.serveWith(t, args...)
}

// serveWith is serve with any further flags of fsdeck serve.
func (c *cli) serveWith(t testing.TB, flags ...string) *clitest.ServeLog {
	t.Helper()
	c.addr = clitest.FreeAddr(t)
	os.WriteFile(c.cfg+"/config.toml", []byte("[transfers]\nparts = 1\npart_size_mib = 5\n"), 0o600)
	args := append([]string{"serve", "--addr", c.addr}, flags...)
	srv := c.command("", args...)
	pr, pw := io.Pipe()
	srv.Stderr, srv.Stdout = pw, io.Discard
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	log := &clitest.ServeLog{}
	go log.Follow(pr)
	t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait(); pw.Close() })
	clitest.WaitListening(t, c.addr)
	return log
}
