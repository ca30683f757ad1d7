package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// seedLedger uploads one file and copies its ledger row until the
// target's ledger has n rows (each a later addition, a handle of its own).
func seedLedger(t testing.TB, c *cli, n int) {
	t.Helper()
	c.file("seed.txt", []byte("seed"))
	if out, errOut, code := c.run("", "upload", "-q", "seed.txt"); code != 0 {
		t.Fatalf("upload: exit %d %q %q", code, out, errOut)
	}
	db, err := sql.Open("sqlite", filepath.Join(c.data, "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO files (target, endpoint, keyfp, handle, filename, size, mimetype, uploaded_ms, added_ms, source,
			local_path, sha256, width, height, store_path, gone, refreshed_ms, url, links, expires_ms)
		SELECT target, endpoint, keyfp, handle || '-' || x, 'f' || x || '.txt', size + x, mimetype, uploaded_ms + x, added_ms + x, source,
			local_path, sha256, width, height, store_path, gone, refreshed_ms, url, links, expires_ms
		FROM files, (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c)`, n-1)
	if err != nil {
		t.Fatal(err)
	}
}

// cancelOnWrite cancels the command it writes for at its first write.
type cancelOnWrite struct {
	mu     sync.Mutex
	cancel func()
	b      strings.Builder
}

func (w *cancelOnWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
	return w.b.Write(p)
}

// ls --json streams: its first line is written while the ledger's rows
// are still being read, so a command ended at its first line (as Ctrl-C
// would) has not read, nor printed, the other 2,999. It read every row
// into a slice first, so it printed all 3,000. The rows still come in
// the --sort order, as the whole list sorted.
func TestLsStreamsTheLedger(t *testing.T) {
	c := newCLI(t)
	seedLedger(t, c, 3000)
	out, _, code := c.run("", "ls", "--json", "--sort", "size")
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
	if code != 0 || len(rs) != 3000 {
		t.Fatalf("ls --json: exit %d, %d rows", code, len(rs))
	}
	for i := 1; i < len(rs); i++ {
		if rs[i].Size > rs[i-1].Size {
			t.Fatalf("ls --sort size: row %d (%d bytes) after one of %d", i, rs[i].Size, rs[i-1].Size)
		}
	}
	cmd := c.command("", "ls", "--json")
	w := &cancelOnWrite{}
	cmd.Stdout = w
	cmd.Start()
	w.mu.Lock()
	w.cancel = func() { cmd.Process.Kill() }
	w.mu.Unlock()
	cmd.Wait()
	if n := strings.Count(w.b.String(), "\n"); n == 0 || n >= 3000 {
		t.Errorf("ls --json ended at its first line printed %d lines; want it stopped while reading, well before 3,000", n)
	}
}

// BenchmarkLsJSON lists a ledger of 1,000 and of 100,000 rows with
// `ls --json` (in process) and reports, for each, the bytes allocated per
// row and the peak live heap sampled as lines are written: streamed, the
// peak stays that of a few rows, however many there are.
// FSDECK_BENCH_SMOKE=1 (.ci/run) lists 100 and 1,000 rows.
func BenchmarkLsJSON(b *testing.B) {
	sizes := []int{1000, 100_000}
	if os.Getenv("FSDECK_BENCH_SMOKE") == "1" {
		sizes = []int{100, 1000}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			c := newCLI(b)
			seedLedger(b, c, n)
			var peak uint64
			var allocs float64
			for b.Loop() {
				w := &heapWriter{}
				cmd := c.command("", "ls", "--json")
				cmd.Stdout = w
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				if err := cmd.Run(); err != nil || w.lines != n {
					b.Fatalf("ls --json: %v, %d lines, want %d", err, w.lines, n)
				}
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				allocs = float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
				peak = max(peak, w.peak-min(w.peak, before.HeapAlloc))
			}
			b.ReportMetric(allocs, "B-alloc/row")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		})
	}
}

// heapWriter counts lines and samples the live heap every 500 writes.
type heapWriter struct {
	lines int
	peak  uint64
}

func (w *heapWriter) Write(p []byte) (int, error) {
	w.lines += strings.Count(string(p), "\n")
	if w.lines%500 == 1 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapAlloc)
	}
	return len(p), nil
}
