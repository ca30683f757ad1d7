package ui

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// modelWithEntries is a root model whose local pane holds n synthetic
// entries (as a listing of an n-entry directory would leave it).
func modelWithEntries(b *testing.B, n int) Model {
	b.Helper()
	e := newTestEnv(&testing.T{}, emulator.Options{})
	m := New(e.deps(b.TempDir()))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = mm.(Model)
	es := make([]localEntry, n)
	for i := range es {
		es[i] = localEntry{Name: fmt.Sprintf("file-%07d.dat", i), Path: fmt.Sprintf("/x/file-%07d.dat", i), Size: int64(i), ModTime: fixedNow}
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

// BenchmarkTransfersFrame: one redraw with 50 active transfers whose live
// state changes between frames (refresh + View of the whole screen).
func BenchmarkTransfersFrame(b *testing.B) {
	m := modelWithEntries(b, 100)
	for i := 0; i < 50; i++ {
		lv := &live{}
		lv.apply(filestack.Event{Kind: filestack.EventStarted, Total: 1 << 30, Parts: 128})
		m.transfers.add(&transfer{id: i + 1, name: fmt.Sprintf("upload-%02d.bin", i), size: 1 << 30, state: tRunning, live: lv})
	}
	m.showXfers = true
	m.layout()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, r := range m.transfers.rows {
			r.live.apply(filestack.Event{Kind: filestack.EventProgress, Sent: int64(i+1) * 65536, Total: 1 << 30, Parts: 128})
			r.live.apply(filestack.Event{Kind: filestack.EventPartStarted, Part: (i+j)%128 + 1, Total: 1 << 30, Parts: 128})
		}
		m.transfers.refresh(fixedNow.Add(time.Duration(i) * 50 * time.Millisecond))
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
				default:
					poke(wake)
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
