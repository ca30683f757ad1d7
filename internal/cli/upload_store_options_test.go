package cli

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// interruptUpload starts `fsdeck upload --json ARGS…`, interrupts it once a
// part of it is stored and checks it stopped as an interrupt does.
func interruptUpload(t *testing.T, c *cli, log *clitest.ServeLog, args ...string) {
	t.Helper()
	before, _ := log.StoredParts(0)
	up := c.command("", append([]string{"upload", "--json"}, args...)...)
	var errb bytes.Buffer
	up.Stderr = &errb
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	log.WaitParts(t, len(before)+1)
	up.Process.Signal(os.Interrupt)
	up.Wait()
	if code := up.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("interrupted upload: exit %d, stderr %q", code, errb.String())
	}
}

// storedKey is the store path the server gave a file (its metadata on disk).
func storedKey(t *testing.T, c *cli, handle string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(c.data, "local-server", "files", strings.ToLower(handle[:1]), handle+".json"))
	var meta struct {
		Key string `json:"key"`
	}
	if err != nil || json.Unmarshal(raw, &meta) != nil {
		t.Fatalf("metadata of %s: %v", handle, err)
	}
	return meta.Key
}

// A journaled upload resumes with the store options it started with when
// the command gives none; when the command gives other ones (here
// --store-path), the command line wins: the file is uploaded again from
// the start to where it now says, and stderr says so.
func TestCLIResumeWithOtherStoreOptionsStartsOver(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 40 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms")
	a := c.file("a.bin", randomBytes(20<<20))
	b := c.file("b.bin", randomBytes(20<<20))
	interruptUpload(t, c, log, "--store-path", "old/", a)
	interruptUpload(t, c, log, "--store-path", "old/", b)

	out, errOut, code := c.run("", "upload", "--json", a)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed {
		t.Fatalf("resume with no store options: %d %q %q", code, out, errOut)
	}
	if k := storedKey(t, c, rs[0].Handle); !strings.HasPrefix(k, "old/") {
		t.Errorf("resumed upload stored at %q, want the journaled old/", k)
	}

	_, mark := log.StoredParts(0)
	out, errOut, code = c.run("", "upload", "--json", "--store-path", "new/", b)
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
		t.Fatalf("upload with another --store-path: %d %q %q", code, out, errOut)
	}
	if k := storedKey(t, c, rs[0].Handle); !strings.HasPrefix(k, "new/") {
		t.Errorf("stored at %q, want new/ as the command line says", k)
	}
	if !strings.Contains(errOut, "b.bin") || !strings.Contains(errOut, "starting over") || !strings.Contains(errOut, `store path "old/b.bin", now "new/b.bin"`) {
		t.Errorf("stderr does not say the upload starts over and why: %q", errOut)
	}
	if again, _ := log.StoredParts(mark); len(again) != 4 {
		t.Errorf("parts sent for the fresh upload: %v, want all 4", again)
	}
	// The old journal entry is gone: nothing is left to resume.
	out, _, _ = c.run("", "upload", "--json", "--store-path", "new/", b)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); len(rs) != 1 || rs[0].Status != statusStored {
		t.Errorf("third upload: %q, want a plain new upload", out)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
