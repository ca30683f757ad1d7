//go:build linux

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkUploadManyFiles runs `fsdeck upload -r -q` over a tree of
// 1,000 small files and over one of 100,000 (FSDECK_BENCH_FILES sets the
// larger count; FSDECK_BENCH_SMOKE=1 makes them 20 and 200), each against
// a fresh `fsdeck serve` and data directory, alternating which goes first.
// It reports each side's median files per second and peak RSS, and the
// median per-pair ratio of the rates (large ÷ small: memory and work that
// grow with the number of files pull it below 1; the goal is ≥ 0.8, with
// the large run's peak RSS ≤ 64 MiB).
func BenchmarkUploadManyFiles(b *testing.B) {
	small, large := 1000, 100_000
	if n, err := strconv.Atoi(os.Getenv("FSDECK_BENCH_FILES")); err == nil && n > 0 {
		large = n
	}
	if benchSmoke {
		small, large = 20, 200
	}
	root := b.TempDir()
	tree := func(n int) string {
		dir := filepath.Join(root, fmt.Sprintf("tree-%d", n))
		for i := range n {
			sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/1000))
			if i%1000 == 0 {
				os.MkdirAll(sub, 0o755)
			}
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%06d.txt", i)), []byte(fmt.Sprintf("file %d\n", i)), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		return dir
	}
	dirs := map[int]string{small: tree(small), large: tree(large)}
	type run struct {
		rate float64 // files/s
		rss  int64   // KiB
	}
	upload := func(n int) run {
		b.StopTimer()
		c := newCLI(b)
		benchServer(b, c)
		b.StartTimer()
		cmd := c.command("", "upload", "-r", "-q", dirs[n])
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("upload -r of %d files: %v\n%s", n, err, errb.String())
		}
		d := time.Since(t0)
		st := cmd.ProcessState
		if got := strings.Count(out.String(), "\n"); got != n {
			b.Fatalf("%d files: %d handles printed", n, got)
		}
		r := run{rate: float64(n) / d.Seconds()}
		if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
			r.rss = ru.Maxrss
		}
		return r
	}
	var smallRates, largeRates, smallRSS, largeRSS, ratios []float64
	for i := 0; b.Loop(); i++ {
		var s, l run
		if i%2 == 0 {
			s, l = upload(small), upload(large)
		} else {
			l, s = upload(large), upload(small)
		}
		smallRates, largeRates = append(smallRates, s.rate), append(largeRates, l.rate)
		smallRSS, largeRSS = append(smallRSS, float64(s.rss)/1024), append(largeRSS, float64(l.rss)/1024)
		ratios = append(ratios, l.rate/s.rate)
		b.Logf("pair %d: %d files %.0f files/s, peak RSS %.1f MiB; %d files %.0f files/s, peak RSS %.1f MiB; ratio %.2f",
			i+1, small, s.rate, float64(s.rss)/1024, large, l.rate, float64(l.rss)/1024, ratios[i])
	}
	b.ReportMetric(median(ratios), "median-ratio")
	b.ReportMetric(median(smallRates), "small-files/s")
	b.ReportMetric(median(largeRates), "large-files/s")
	b.ReportMetric(median(smallRSS), "small-peak-RSS-MiB")
	b.ReportMetric(median(largeRSS), "large-peak-RSS-MiB")
}
