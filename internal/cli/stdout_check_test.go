package cli

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
)

// failingWriter refuses every write with err, as /dev/full (ENOSPC) or a
// pipe whose reader is gone (EPIPE) does.
type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// runTo runs fsdeck with stdout on w and returns stderr and the status.
func (c *cli) runTo(w failingWriter, args ...string) (string, int) {
	c.t.Helper()
	cmd := c.command("", args...)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &errb
	cmd.Run()
	return errb.String(), cmd.ProcessState.ExitCode()
}

// A result that could not be written to stdout (`upload -q f > /dev/full`,
// `ls > /dev/full`) is status 1 with the reason on stderr, not a lost
// handle and status 0; a closed pipe (`ls | head`) stays quiet.
func TestStdoutWriteErrors(t *testing.T) {
	c := newCLI(t)
	c.file("f.txt", []byte("content"))
	full := failingWriter{syscall.ENOSPC}
	errOut, code := c.runTo(full, "upload", "-q", "f.txt")
	if code != 1 || !strings.Contains(errOut, "fsdeck: writing to standard output: "+syscall.ENOSPC.Error()) {
		t.Errorf("upload -q > /dev/full: %d %q", code, errOut)
	}
	for _, args := range [][]string{{"ls"}, {"ls", "--json"}, {"ls", "-q"}} {
		errOut, code = c.runTo(full, args...)
		if code != 1 || strings.Count(errOut, "writing to standard output") != 1 {
			t.Errorf("%v > /dev/full: %d %q", args, code, errOut)
		}
	}
	errOut, code = c.runTo(failingWriter{syscall.EPIPE}, "ls")
	if code != 0 || errOut != "" {
		t.Errorf("ls | head: %d %q", code, errOut)
	}
}
