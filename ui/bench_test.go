package ui

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// modelWithEntries is a root model whose local pane holds n synthetic
// entries (as a listing of an n-entry directory would leave it).
func modelWithEntries(b *testing.B, n int) Model {
	b.Helper()
	e := newTestEnv(&testing.T{}, emulator.Options{})
	m := New(e.deps(b.TempDir()))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = mm.(Model)
	es := make([]uikit.LocalEntry, n)
	for i := range es {
		es[i] = uikit.LocalEntry{Name: fmt.Sprintf("file-%07d.dat", i), Path: fmt.Sprintf("/x/file-%07d.dat", i), Size: int64(i), ModTime: fixedNow}
	}
	sortEntries(es, sortName, false)
	mm, _ = m.Update(localListedMsg{id: m.local.listID, dir: "/x", entries: es})
	return mm.(Model)
}

// BenchmarkKeyPress: Update+View for one key press with n entries. The
// issue's target: 100,000 entries cost at most 2× what 100 do.
func BenchmarkKeyPress(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			m := modelWithEntries(b, n)
			down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := down
				if i/40%2 == 1 {
					k = up
				}
				mm, _ := m.Update(k)
				m = mm.(Model)
				_ = m.View()
			}
		})
	}
}

// BenchmarkTransfersFrame: one redraw with 50 active transfers whose
// progress changes between frames: the engine's snapshot turned into rows
// (the engine's own Snapshot cost is BenchmarkSnapshot in its package)
// and View of the whole screen.
func BenchmarkTransfersFrame(b *testing.B) {
	m := modelWithEntries(b, 100)
	jobs := make([]transfer.JobSnapshot, 50)
	for i := range jobs {
		jobs[i] = transfer.JobSnapshot{ID: transfer.JobID(i + 1), Name: fmt.Sprintf("upload-%02d.bin", i), Size: 1 << 30,
			State: transfer.Running, Parts: make([]transfer.PartState, 128), PartSize: 8 << 20, Started: fixedNow, Speed: 1 << 20, ETA: time.Minute}
	}
	m.showXfers = true
	m.transfers.rows = make([]*xferRow, len(jobs))
	m.transfers.list.SetLen(len(jobs))
	m.layout()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := range jobs {
			jobs[j].Acked = int64(i+1) * 65536
			jobs[j].Parts[(i+j)%128] = transfer.PartSending
			m.transfers.rows[j] = rowOf(jobs[j])
		}
		_ = m.View()
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
