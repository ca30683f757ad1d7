package cli

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// listed is one line of `fsdeck resume --json`.
type listed struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Path    string `json:"path"`
	Target  string `json:"target"`
	Handle  string `json:"handle"`
	Size    int64  `json:"size"`
	Done    int64  `json:"done"`
	Started string `json:"started"`
	Updated string `json:"updated"`
	AgeS    int64  `json:"age_s"`
}

var listedFields = []string{"id", "kind", "path", "target", "handle", "size", "done", "started", "updated", "age_s"}

// interruptBigUpload starts `fsdeck upload` of a 30 MiB file (six 5 MiB
// parts, sent one at a time, slowly) and interrupts it once two parts are
// stored; it returns the file, its bytes and the parts stored.
func interruptBigUpload(t *testing.T, c *cli, log *clitest.ServeLog, name string) (string, []byte, map[string]int) {
	t.Helper()
	data := make([]byte, 30<<20)
	rand.Read(data)
	big := c.file(name, data)
	_, mark := log.StoredParts(0)
	up := c.command("", "upload", "--json", big)
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	log.WaitAcknowledged(t, mark, 2)
	up.Process.Signal(os.Interrupt)
	if up.Wait(); up.ProcessState.ExitCode() != 130 {
		t.Fatalf("interrupted upload: exit %d", up.ProcessState.ExitCode())
	}
	first, _ := log.StoredParts(mark)
	if len(first) >= 6 {
		t.Fatalf("every part was stored before the interrupt: %v", first)
	}
	return big, data, first
}

// `fsdeck resume` lists what the journal keeps unfinished (an upload and a
// download here: file, target, bytes done, age; a table, --json, -q),
// finishes one named by its file sending only the missing parts, and
// abandons a download (asking first: refused without a terminal, "n"
// keeps it, --yes does not ask), removing its partial file.
func TestResumeListsFinishesAndAbandons(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 38 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms", "cdn:bps=2000000")
	small := make([]byte, 8<<20)
	rand.Read(small)
	out, errOut, code := c.run("", "upload", "--quiet", c.file("small.bin", small))
	if code != 0 {
		t.Fatalf("upload: %d %q", code, errOut)
	}
	handle := strings.TrimSpace(out)
	get := c.command("", "get", "-o", filepath.Join(c.dir, "dl")+string(os.PathSeparator), handle)
	get.Start()
	partial := waitPartial(t, filepath.Join(c.dir, "dl"), 1<<20)
	get.Process.Signal(os.Interrupt)
	if get.Wait(); get.ProcessState.ExitCode() != 130 {
		t.Fatalf("interrupted get: exit %d", get.ProcessState.ExitCode())
	}
	pinfo, err := os.Stat(partial)
	if err != nil {
		t.Fatal(err)
	}
	big, data, first := interruptBigUpload(t, c, log, "big.bin")

	out, errOut, code = c.run("", "resume", "--json")
	ls := clitest.JSONLines[listed](t, out, listedFields...)
	if code != 0 || len(ls) != 2 {
		t.Fatalf("resume --json: %d %q %q", code, out, errOut)
	}
	up, dl := ls[0], ls[1]
	if up.Kind != "upload" || !strings.HasPrefix(up.ID, "u") || up.Path != big || up.Target != "filestack" || up.Size != int64(len(data)) ||
		up.Done != int64(len(first))*5<<20 || up.Started == "" || up.Updated == "" || up.AgeS < 0 || up.AgeS > 120 {
		t.Errorf("upload listed as %+v (server stored parts %v)", up, first)
	}
	if dl.Kind != "download" || !strings.HasPrefix(dl.ID, "d") || dl.Handle != handle || dl.Path != filepath.Join(c.dir, "dl", "small.bin") ||
		dl.Size != int64(len(small)) || dl.Done != pinfo.Size() || dl.Done == 0 {
		t.Errorf("download listed as %+v (partial file %d bytes)", dl, pinfo.Size())
	}
	out, _, code = c.run("", "resume")
	if code != 0 || !strings.Contains(out, "ID") || !strings.Contains(out, up.ID+"  upload") || !strings.Contains(out, dl.ID+"  download") ||
		!strings.Contains(out, big) || !strings.Contains(out, "filestack") {
		t.Errorf("resume table: %d\n%s", code, out)
	}
	if out, _, code = c.run("", "resume", "-q"); code != 0 || out != up.ID+"\n"+dl.ID+"\n" {
		t.Errorf("resume -q: %d %q", code, out)
	}

	// Abandoning asks: no terminal, no --yes is a usage error; "n" keeps it.
	if _, errOut, code = c.run("", "resume", "--abandon", dl.ID); code != 2 || !strings.Contains(errOut, "add --yes") {
		t.Errorf("abandon without a terminal: %d %q", code, errOut)
	}
	ask := c.command("n\n", "resume", "--abandon", dl.ID)
	var errb bytes.Buffer
	ask.Stderr, ask.StdinTTY = &errb, true
	if ask.Run(); ask.ProcessState.ExitCode() != 1 || !strings.Contains(errb.String(), "Abandon 1 unfinished transfer?") ||
		!strings.Contains(errb.String(), "nothing abandoned") {
		t.Errorf("answering n: %d %q", ask.ProcessState.ExitCode(), errb.String())
	}
	if _, err := os.Stat(partial); err != nil {
		t.Fatalf("answering n removed the partial file: %v", err)
	}
	out, errOut, code = c.run("", "resume", "--abandon", "--yes", "--json", dl.ID)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusAbandoned || rs[0].Handle != handle || strings.Contains(errOut, "Upload API") {
		t.Errorf("abandon %s: %d %q %q", dl.ID, code, out, errOut)
	}
	if _, err := os.Stat(partial); !os.IsNotExist(err) {
		t.Errorf("the abandoned download's partial file is still there: %v", err)
	}

	// Finishing by file name (relative to the working directory).
	_, mark := log.StoredParts(0)
	out, errOut, code = c.run("", "resume", "--json", "big.bin")
	rs = clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed || rs[0].Path != big || rs[0].Size != int64(len(data)) {
		t.Fatalf("resume big.bin: %d %q %q", code, out, errOut)
	}
	second, _ := log.StoredParts(mark)
	for p := range second {
		if first[p] > 0 {
			t.Errorf("part %s was sent again (first run %v, resume %v)", p, first, second)
		}
	}
	if len(first)+len(second) != 6 {
		t.Errorf("parts: first %v, resume %v; want 6 in all", first, second)
	}
	if out, errOut, code = c.run("", "resume"); code != 0 || out != "" || !strings.Contains(errOut, "keeps no unfinished upload or download") {
		t.Errorf("resume with an empty journal: %d %q %q", code, out, errOut)
	}
	if _, errOut, code = c.run("", "resume", up.ID); code != 2 || !strings.Contains(errOut, `no unfinished transfer "`+up.ID+`"`) {
		t.Errorf("resume of an unknown id: %d %q", code, errOut)
	}
}

// `resume --abandon --all --yes` forgets an interrupted upload and says
// honestly that its parts stay on the server (the Upload API has no
// abort); the same upload then starts over instead of resuming.
func TestResumeAbandonUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 30 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=300ms")
	big, _, _ := interruptBigUpload(t, c, log, "big.bin")
	out, errOut, code := c.run("", "resume", "--abandon", "--all", "--yes", "--json")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusAbandoned || rs[0].Path != big {
		t.Fatalf("abandon: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "no call to abort an upload") || !strings.Contains(errOut, "--session-ttl") {
		t.Errorf("abandon does not say what stays on the server: %q", errOut)
	}
	if out, _, _ := c.run("", "resume", "-q"); out != "" {
		t.Errorf("still journaled: %q", out)
	}
	out, errOut, code = c.run("", "upload", "--json", big)
	if rs := clitest.JSONLines[result](t, out, clitest.ResultFields...); code != 0 || len(rs) != 1 || rs[0].Status != statusStored {
		t.Errorf("upload after abandoning: %d %q %q", code, out, errOut)
	}
	for _, bad := range [][]string{{"resume", "--abandon"}, {"resume", "--all", "u1"}} {
		if _, errOut, code := c.run("", bad...); code != 2 {
			t.Errorf("%v: exit %d %q, want 2", bad, code, errOut)
		}
	}
}
