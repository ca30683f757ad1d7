package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
//
// FSDECK_BENCH_SMOKE=1 copies 200 files, so that .ci/run can run it once;
// its figures then mean nothing.
func BenchmarkKeyPressDuringCopy(b *testing.B) {
	files := 10_000
	if os.Getenv("FSDECK_BENCH_SMOKE") == "1" {
		files = 200
	}
	src := filepath.Join(b.TempDir(), "tree")
	for i := 0; i < files; i++ {
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
			name = fmt.Sprintf("copying=%d", files)
		}
		b.Run(name, func(b *testing.B) { benchKeys(b, src, copying) })
	}
	// The one to quote: each iteration times 256 key presses idle and 256
	// during the copy, in alternating order, and it reports the median of
	// the per-pair ratios (during ÷ idle; the target: under 2).
	b.Run("paired", func(b *testing.B) {
		idle, busy := newKeyBench(b, src, false), newKeyBench(b, src, true)
		defer busy.m.engine.Shutdown(10 * time.Second)
		var ratios []float64
		for i := 0; b.Loop(); i++ {
			var ti, tb float64
			if i%2 == 0 {
				ti, tb = idle.block(256), busy.block(256)
			} else {
				tb, ti = busy.block(256), idle.block(256)
			}
			ratios = append(ratios, tb/ti)
			b.Logf("pair %d: 256 key presses idle %.1f ms, during the copy %.1f ms, ratio %.2f", i+1, 1000*ti, 1000*tb, tb/ti)
		}
		slices.Sort(ratios)
		b.ReportMetric((ratios[(len(ratios)-1)/2]+ratios[len(ratios)/2])/2, "median-ratio")
	})
}

func benchKeys(b *testing.B, src string, copying bool) {
	k := newKeyBench(b, src, copying)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if copying && i%64 == 0 {
			b.StopTimer()
			k.keepBusy()
			b.StartTimer()
		}
		k.press(i)
	}
	b.StopTimer()
	if copying {
		s := k.m.engine.Snapshot()
		b.ReportMetric(float64(s.Total.Done)/float64(b.N), "copies/op")
		k.m.engine.Shutdown(10 * time.Second)
	}
}

// keyBench is a model with 100 local entries and the transfers panel
// shown, idle or copying src over and over in the background.
type keyBench struct {
	b       *testing.B
	m       *Model
	src     string
	dst     string
	copying bool
	copies  int
	last    time.Time
}

func newKeyBench(b *testing.B, src string, copying bool) *keyBench {
	m := modelWithEntries(b, 100)
	m.showXfers = true
	m.layout()
	k := &keyBench{b: b, m: m, src: src, dst: b.TempDir(), copying: copying, last: time.Now()}
	if copying {
		k.queue()
	}
	return k
}

// queue copies src again.
func (k *keyBench) queue() {
	items, err := fsops.Expand(k.src, filepath.Join(k.dst, fmt.Sprint(k.copies)), false, false)
	if err != nil {
		k.b.Fatal(err)
	}
	mm, _ := k.m.Update(uikit.LocalJobsMsg{Name: "copy", Jobs: items})
	k.m = mm.(*Model)
	k.copies++
}

// keepBusy takes the engine's snapshot every 50 ms of wall time, as the
// program's listener does, and queues the copy again when it finished.
func (k *keyBench) keepBusy() {
	if time.Since(k.last) > 50*time.Millisecond {
		mm, _ := k.m.Update(transfers.TickMsg{})
		k.m = mm.(*Model)
		k.last = time.Now()
	}
	if s := k.m.engine.Snapshot(); s.Total.Running+s.Total.Queued == 0 {
		k.queue()
	}
}

// press is key press i (40 down, 40 up, …): Update and View.
func (k *keyBench) press(i int) {
	key := tea.KeyMsg{Type: tea.KeyDown}
	if i/40%2 == 1 {
		key = tea.KeyMsg{Type: tea.KeyUp}
	}
	mm, _ := k.m.Update(key)
	k.m = mm.(*Model)
	_ = k.m.View()
}

// block times n key presses (the copy kept busy between them, off the
// clock) and returns the seconds they took.
func (k *keyBench) block(n int) float64 {
	var d time.Duration
	for i := range n {
		if k.copying && i%64 == 0 {
			k.keepBusy()
		}
		t0 := time.Now()
		k.press(i)
		d += time.Since(t0)
	}
	return d.Seconds()
}
