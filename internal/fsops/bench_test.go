package fsops

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkCopy10000SmallFiles: the engine copying a directory of 10,000
// small files with nothing else running (files/s), the throughput behind
// BenchmarkKeyPressDuringCopy in ui. Run with -benchtime 1x.
// FSDECK_BENCH_SMOKE=1 copies 200 files, so that .ci/run can run it once;
// its figure then means nothing.
func BenchmarkCopy10000SmallFiles(b *testing.B) {
	files := 10_000
	if os.Getenv("FSDECK_BENCH_SMOKE") == "1" {
		files = 200
	}
	src := filepath.Join(b.TempDir(), "tree")
	for i := 0; i < files; i++ {
		dir := filepath.Join(src, fmt.Sprintf("d%02d", i/500))
		os.MkdirAll(dir, 0o700)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), []byte(fmt.Sprintf("small file %d\n", i)), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	dst := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		jobs, err := Expand(src, filepath.Join(dst, fmt.Sprint(i)), false, false)
		if err != nil {
			b.Fatal(err)
		}
		snap := run(&testing.T{}, false, jobs)
		if snap.Total.Done != len(jobs) {
			b.Fatalf("%d of %d done", snap.Total.Done, len(jobs))
		}
		b.ReportMetric(float64(files)/time.Since(start).Seconds(), "files/s")
	}
}
