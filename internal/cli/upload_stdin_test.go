package cli

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// pipeReader hands out data in small reads, as a pipe does: neither a
// file nor an io.ReaderAt, so nothing can read it twice or ask its size.
type pipeReader struct {
	data []byte
	fail error // returned once data is used up, instead of EOF
}

func (p *pipeReader) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		if p.fail != nil {
			return 0, p.fail
		}
		return 0, io.EOF
	}
	n := copy(b, p.data[:min(len(p.data), 64<<10)])
	p.data = p.data[n:]
	return n, nil
}

// `some-command | fsdeck upload --stdin-name NAME` stores standard input
// under NAME in one streamed store request (no multipart session, which
// needs the size first), and the ledger has its SHA-256: uploading the
// same bytes from a file with --skip-existing finds them.
func TestCLIUploadStdinName(t *testing.T) {
	c := newCLI(t)
	log := c.serve(t)
	data := make([]byte, 12<<20+123)
	rand.Read(data)
	_, mark := log.StoredParts(0)
	up := c.command("", "upload", "--json", "--stdin-name", "report.bin", "--store-path", "reports/")
	var out, errb bytes.Buffer
	up.Stdin, up.Stdout, up.Stderr = &pipeReader{data: append([]byte(nil), data...)}, &out, &errb
	up.Run()
	rs := clitest.JSONLines[result](t, out.String(), clitest.ResultFields...)
	if code := up.ProcessState.ExitCode(); code != 0 || len(rs) != 1 || rs[0].Status != statusStored || rs[0].Filename != "report.bin" ||
		rs[0].Size != int64(len(data)) || rs[0].Path != "" || rs[0].Handle == "" || errb.Len() != 0 {
		t.Fatalf("upload --stdin-name: %d %q %q", code, out.String(), errb.String())
	}
	var stores, multipart int
	for _, line := range log.Lines(mark) {
		stores += strings.Count(line, "path=/api/store/")
		multipart += strings.Count(line, "path=/multipart/")
	}
	if stores != 1 || multipart != 0 {
		t.Errorf("%d store requests and %d multipart calls, want one store request", stores, multipart)
	}
	got, _, code := c.run("", "get", "-o", "-", rs[0].Handle)
	if code != 0 || !bytes.Equal([]byte(got), data) {
		t.Errorf("stored bytes differ (exit %d, %d bytes)", code, len(got))
	}
	o, errOut, code := c.run("", "upload", "--json", "--skip-existing", c.file("same.bin", data))
	if rs := clitest.JSONLines[result](t, o, clitest.ResultFields...); code != 0 || len(rs) != 1 || rs[0].Status != statusSkipped {
		t.Errorf("the ledger lacks the stream's SHA-256: %d %q %q", code, o, errOut)
	}
	o, _, code = c.run("", "ls", "--json")
	if !strings.Contains(o, `"path":"reports/report.bin"`) {
		t.Errorf("store path: %d %q", code, o)
	}
}

// A stream that fails while being read stores nothing and says that what
// was read is lost; mistakes are usage errors before anything is read.
func TestCLIUploadStdinNameFailures(t *testing.T) {
	c := newCLI(t)
	c.file("a.txt", []byte("a"))
	up := c.command("", "upload", "--stdin-name", "x.bin")
	var out, errb bytes.Buffer
	up.Stdin, up.Stdout, up.Stderr = &pipeReader{data: make([]byte, 1<<20), fail: errors.New("broken pipe from the producer")}, &out, &errb
	up.Run()
	if code := up.ProcessState.ExitCode(); code != 1 || !strings.Contains(out.String(), "failed") || !strings.HasPrefix(errb.String(), "fsdeck: x.bin: ") ||
		!strings.Contains(errb.String(), "broken pipe from the producer") ||
		!strings.Contains(errb.String(), "1.0 MiB of standard input read and not stored") {
		t.Errorf("failing stream: %d %q %q", code, out.String(), errb.String())
	}
	if o, _, _ := c.run("", "ls", "-q"); o != "" {
		t.Errorf("the ledger lists %q after a failed stream", o)
	}
	// A server that cannot be reached: status 4, as for files.
	down := newCLI(t)
	down.extraEnv = []string{"FILESTACK_API_KEY=TESTKEYaaaaaaaaaaaaaaa", "FSDECK_ENDPOINT=http://" + clitest.FreeAddr(t)}
	if _, errOut, code := down.run("some text", "upload", "--stdin-name", "x.txt"); code != 4 || !strings.Contains(errOut, "cannot be sent again") {
		t.Errorf("unreachable server: %d %q, want 4", code, errOut)
	}
	for _, args := range [][]string{
		{"upload", "--stdin-name", "x.txt", "a.txt"},
		{"upload", "--stdin-name", "x.txt", "-"},
		{"upload", "--stdin-name", "dir/x.txt"},
		{"upload", "--stdin-name", ""},
		{"upload", "--stdin-name", "x.txt", "-r"},
		{"upload", "--stdin-name", "x.txt", "--to", "imgbb"},
	} {
		if _, errOut, code := c.run("data", args...); code != 2 || !strings.Contains(errOut, "stdin-name") {
			t.Errorf("%q: %d %q, want status 2 naming --stdin-name", args, code, errOut)
		}
	}
}
