package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// BenchmarkKeyPressDuringCopy: Update+View of one key press (cursor
// down/up in a 100-entry local pane, the transfers panel shown), idle and
// while a copy of a directory of 10,000 small files runs on the engine in
// the background. The target: under 2× the idle cost. The copy is
// queued again whenever it finishes, so every measured key press overlaps
// it; the panel takes the engine's snapshot every 50 ms of wall time as
// the program's listener does (outside the timer: it is not the key's
// cost). copies/op says how many files were copied per key press.
func BenchmarkKeyPressDuringCopy(b *testing.B) {
	src := filepath.Join(b.TempDir(), "tree")
	for i := 0; i < 10_000; i++ {
		dir := filepath.Join(src, fmt.Sprintf("d%02d", i/500))
		if i%500 == 0 {
			os.MkdirAll(dir, 0o700)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), []byte(fmt.Sprintf("small file %d\n", i)), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	for _, copying := range []bool{false, true} {
		name := "idle"
		if copying {
			name = "copying=10000"
		}
		b.Run(name, func(b *testing.B) { benchKeys(b, src, copying) })
	}
}

func benchKeys(b *testing.B, src string, copying bool) {
	m := modelWithEntries(b, 100)
	m.showXfers = true
	m.layout()
	dst := b.TempDir()
	copies, queued := 0, 0
	queue := func() {
		items, err := fsops.Expand(src, filepath.Join(dst, fmt.Sprint(copies)), false, false)
		if err != nil {
			b.Fatal(err)
		}
		mm, _ := m.Update(uikit.LocalJobsMsg{Name: "copy", Jobs: items})
		m = mm.(*Model)
		copies++
		queued += len(items)
	}
	busy := func() bool {
		s := m.engine.Snapshot()
		return s.Total.Running+s.Total.Queued > 0
	}
	if copying {
		queue()
	}
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	last := time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if copying && i%64 == 0 {
			b.StopTimer()
			if time.Since(last) > 50*time.Millisecond {
				mm, _ := m.Update(transfers.TickMsg{})
				m = mm.(*Model)
				last = time.Now()
			}
			if !busy() {
				queue()
			}
			b.StartTimer()
		}
		k := down
		if i/40%2 == 1 {
			k = up
		}
		mm, _ := m.Update(k)
		m = mm.(*Model)
		_ = m.View()
	}
	b.StopTimer()
	if copying {
		s := m.engine.Snapshot()
		b.ReportMetric(float64(s.Total.Done)/float64(b.N), "copies/op")
		m.engine.Shutdown(10 * time.Second)
	}
}
