package cli

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

var rangedGet = regexp.MustCompile(`method=GET endpoint=cdn .* status=206 .*range="?bytes=(\d+)-`)

// Interrupting a download keeps its partial file, journaled; the same
// command then continues it with a Range request and the result is
// byte-exact. The CDN answers slowly (a serve fault) so the interrupt
// lands midway.
func TestCLIGetResumeAfterInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 8 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "cdn:bps=2000000")
	data := make([]byte, 8<<20)
	rand.Read(data)
	out, errOut, code := c.run("", "upload", "--quiet", c.file("big.bin", data))
	if code != 0 {
		t.Fatalf("upload: %d %q", code, errOut)
	}
	handle := strings.TrimSpace(out)
	dest := filepath.Join(c.dir, "dl") + string(os.PathSeparator)

	get := c.command("", "get", "--json", "-o", dest, handle)
	var errb bytes.Buffer
	get.Stderr = &errb
	if err := get.Start(); err != nil {
		t.Fatal(err)
	}
	partial := waitPartial(t, filepath.Join(c.dir, "dl"), 1<<20)
	get.Process.Signal(os.Interrupt)
	get.Wait()
	if code := get.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("interrupted get: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(errb.String(), "1 download stopped and its partial file is kept") {
		t.Errorf("interrupt message: %q", errb.String())
	}
	info, err := os.Stat(partial)
	if err != nil || info.Size() == 0 || info.Size() >= int64(len(data)) {
		t.Fatalf("partial file after the interrupt: %v %v", info, err)
	}
	_, mark := log.StoredParts(0)

	out, errOut, code = c.run("", "get", "--json", "-o", dest, handle)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed {
		t.Fatalf("second get: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "continuing the interrupted download") {
		t.Errorf("the second get does not say it continues: %q", errOut)
	}
	from := rangeStart(log, mark)
	if from <= 0 {
		t.Errorf("the second get sent no Range request (log from line %d)", mark)
	}
	got, err := os.ReadFile(rs[0].Path)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("the resumed download differs (%d bytes, %v)", len(got), err)
	}
	if _, err := os.Stat(partial); err == nil {
		t.Errorf("the partial file %s is left behind", partial)
	}
}

// rangeStart returns the start of the first ranged CDN GET answered 206
// in log lines from index from on (-1: none).
func rangeStart(l *clitest.ServeLog, from int) int64 {
	for _, line := range l.Lines(from) {
		if m := rangedGet.FindStringSubmatch(line); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return n
		}
	}
	return -1
}

// waitPartial waits for a partial download file in dir holding at least
// n bytes and returns its path.
func waitPartial(t *testing.T, dir string, n int64) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		matches, _ := filepath.Glob(filepath.Join(dir, ".fsdeck-download-*"))
		for _, m := range matches {
			if info, err := os.Stat(m); err == nil && info.Size() >= n {
				return m
			}
		}
	}
	t.Fatalf("no partial download of %d bytes in %s", n, dir)
	return ""
}
