package e2e

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// After kill -9, running the same upload again sends no part whose
// acknowledgement fsdeck had received (issue 21 item 12: a rerun sent 8
// acknowledged parts again). The journal is made slow to write (the
// test holds the ledger's write lock, as a busy disk or another process
// would) while the upload runs; fsdeck must not go on sending while
// acknowledged parts wait to be journaled. So the parts the killed run
// had stored and the rerun sends again are at most those in flight: one
// per part worker (two here).
func TestKill9ResumeResendsNoAcknowledgedPart(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 80 MiB")
	}
	c := newCLI(t)
	log := c.serve(t, "put:latency=250ms")
	if err := os.WriteFile(filepath.Join(c.cfg, "config.toml"), []byte("[transfers]\nparts = 2\npart_size_mib = 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 80<<20) // sixteen 5 MiB parts
	rand.Read(data)
	big := c.file("big.bin", data)
	up := c.command("", "upload", "--json", big)
	if err := up.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			up.Process.Kill()
			up.Wait()
		}
	})
	log.WaitParts(t, 2)
	release := holdLedger(t, filepath.Join(c.data, "ledger.db"))
	time.Sleep(1500 * time.Millisecond) // six round trips of the parts' latency
	up.Process.Kill()                   // SIGKILL: nothing of fsdeck runs after it
	up.Wait()
	killed = true
	release()
	time.Sleep(600 * time.Millisecond) // PUTs cut by the kill reach the log
	first, mark := log.StoredParts(0)
	if len(first) >= 16 {
		t.Fatalf("every part was stored before the kill: %v", first)
	}
	out, errOut, code := c.run("", "upload", "--json", big)
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusResumed {
		t.Fatalf("rerun: %d %q %q", code, out, errOut)
	}
	second, _ := log.StoredParts(mark)
	var again []int
	for p := range second {
		if first[p] > 0 {
			n, _ := strconv.Atoi(p)
			again = append(again, n)
		}
	}
	sort.Ints(again)
	t.Logf("killed run stored %d parts, the rerun %d; sent again: %v", len(first), len(second), again)
	if len(again) > 2 {
		t.Errorf("the rerun sent again %d parts the killed run had stored (%v); at most the 2 in flight may be", len(again), again)
	}
	if len(first)+len(second)-len(again) != 16 {
		t.Errorf("parts: killed run %v, rerun %v; want all 16", first, second)
	}
}
