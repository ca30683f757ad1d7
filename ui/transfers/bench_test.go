package transfers

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// BenchmarkTransfersFrame: one redraw with 50 active transfers whose
// progress changes between frames: the engine's snapshot turned into rows
// (the engine's own Snapshot cost is BenchmarkSnapshot in its package)
// and the panel's View (the whole screen's is ui's BenchmarkKeyPress).
func BenchmarkTransfersFrame(b *testing.B) {
	p, eng := newTestPanel()
	p.SetSize(160, 30)
	jobs := make([]transfer.JobSnapshot, 50)
	for i := range jobs {
		jobs[i] = transfer.JobSnapshot{ID: transfer.JobID(i + 1), Name: fmt.Sprintf("upload-%02d.bin", i), Size: 1 << 30,
			State: transfer.Running, Parts: make([]transfer.PartState, 128), PartSize: 8 << 20, Started: fixedNow, Speed: 1 << 20, ETA: time.Minute}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range jobs {
			jobs[j].Acked = int64(i+1) * 65536
			jobs[j].Parts[(i+j)%128] = transfer.PartSending
		}
		show(p, eng, transfer.Snapshot{Seq: uint64(i), Jobs: jobs, Total: transfer.Totals{Files: len(jobs), Running: len(jobs)}})
		_ = p.View()
	}
}

// BenchmarkRedrawRate drives 50 transfers poking at full speed and reports
// the redraws the listener lets through per second (coalescing holds them
// near 20 however fast progress arrives). Run with -benchtime 1x.
func BenchmarkRedrawRate(b *testing.B) {
	wake := make(chan struct{}, 1)
	var pokes atomic.Int64
	stop := make(chan struct{})
	for i := 0; i < 50; i++ {
		go func() {
			for {
				select {
				case <-stop:
					return
				case wake <- struct{}{}: // as the engine pokes: never blocking
					pokes.Add(1)
				default:
					pokes.Add(1)
				}
			}
		}()
	}
	defer close(stop)
	for i := 0; i < b.N; i++ {
		frames := 0
		start := time.Now()
		for time.Since(start) < time.Second {
			waitForProgress(wake)()
			frames++
		}
		b.ReportMetric(float64(frames)/time.Since(start).Seconds(), "redraws/s")
	}
	b.ReportMetric(float64(pokes.Load())/float64(b.N), "pokes/run")
}
