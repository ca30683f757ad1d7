package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// modelWithEntries is a root model whose local pane lists a directory of
// n empty files.
func modelWithEntries(b *testing.B, n int) *Model {
	b.Helper()
	dir := b.TempDir()
	for i := 0; i < n; i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("file-%07d.dat", i)))
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	t := &testing.T{}
	e := newTestEnv(t, emulator.Options{})
	m := newSync(e.deps(dir))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	return drain(t, mm.(*Model), m.Init())
}

// BenchmarkKeyPress: Update+View for one key press with n entries. The
// issue's target: 100,000 entries cost at most 2× what 100 do.
func BenchmarkKeyPress(b *testing.B) {
	for _, n := range []int{100, smoke(100_000, 1_000)} {
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
				m = mm.(*Model)
				_ = m.View()
			}
		})
	}
}

// asyncCmds runs commands in goroutines, as the program does, and hands
// their messages back on msgs (batches split into their commands).
type asyncCmds struct{ msgs chan tea.Msg }

func (a *asyncCmds) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				a.run(c)
			}
		default:
			// tea.Sequence (keys typed ahead wait behind one): each
			// command answers before the next runs, as in the program.
			if seq, ok := sequence(msg); ok {
				for _, c := range seq {
					if c == nil {
						continue
					}
					switch msg := c().(type) {
					case nil:
					case tea.BatchMsg:
						for _, c := range msg {
							a.run(c)
						}
					default:
						a.msgs <- msg
					}
				}
				return
			}
			a.msgs <- msg
		}
	}()
}

// deliver feeds the messages that have arrived into m, as the program's
// loop does between key presses.
func (a *asyncCmds) deliver(m *Model) *Model {
	for {
		select {
		case msg := <-a.msgs:
			mm, cmd := m.Update(msg)
			m = mm.(*Model)
			a.run(cmd)
		default:
			return m
		}
	}
}

// BenchmarkKeyPressWhileFinding: issue 22 item 4's figure. The local pane
// shows 100 entries and a tree of 100,000 files below them; rounds
// alternate (in this process, which goes first alternating too) 100 key
// presses idle (moving in the pane) and 100 with ctrl+f's find walking the tree in the background (moving
// in its results, its batches delivered into the model between presses,
// restarted whenever it ends). Each press is Update+View. It reports the
// median of the per-round ratios (find/idle) and each side's median.
// Run with -benchtime 1x.
func BenchmarkKeyPressWhileFinding(b *testing.B) {
	m := modelWithEntries(b, 100)
	tree := filepath.Join(m.local.Dir(), "file-0000000.dat.tree")
	for d := 0; d < smoke(100, 10); d++ {
		sub := filepath.Join(tree, fmt.Sprintf("d%03d", d))
		if err := os.MkdirAll(sub, 0o700); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < smoke(1000, 100); f++ {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%04d.txt", f)), nil, 0o600); err != nil {
				b.Fatal(err)
			}
		}
	}
	a := &asyncCmds{msgs: make(chan tea.Msg, 64)}
	down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
	esc, find := tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyCtrlF}
	press := func(k tea.KeyMsg) string {
		mm, cmd := m.Update(k)
		m = mm.(*Model)
		a.run(cmd)
		return m.View()
	}
	const presses = 100
	rounds := smoke(30, 2)
	keyAt := func(j int) tea.KeyMsg {
		if j/40%2 == 1 {
			return up
		}
		return down
	}
	walks, walked := 0, 0
	idlePhase := func() float64 {
		start := time.Now()
		for j := 0; j < presses; j++ {
			press(keyAt(j))
		}
		return float64(time.Since(start).Nanoseconds()) / presses
	}
	findPhase := func() float64 {
		press(find)
		walks++
		start := time.Now()
		for j := 0; j < presses; j++ {
			m = a.deliver(m)
			if v := press(keyAt(j)); !strings.Contains(v, "searching…") && strings.Contains(v, "entries below") {
				walked++
				press(esc)
				press(find) // walk again: the find is always running
				walks++
			}
		}
		ns := float64(time.Since(start).Nanoseconds()) / presses
		press(esc)
		m = a.deliver(m)
		return ns
	}
	var idle, finding, ratios []float64
	for i := 0; i < b.N; i++ {
		for round := 0; round < rounds; round++ {
			var idleNs, findNs float64
			if round%2 == 0 { // alternate which goes first, so drift cancels
				idleNs = idlePhase()
				findNs = findPhase()
			} else {
				findNs = findPhase()
				idleNs = idlePhase()
			}
			idle, finding = append(idle, idleNs), append(finding, findNs)
			ratios = append(ratios, findNs/idleNs)
			b.Logf("round %d: idle %.0f ns/key, finding %.0f ns/key, ratio %.2f", round, idleNs, findNs, findNs/idleNs)
		}
	}
	b.Logf("%d walks started, %d ran to the end of the tree", walks, walked)
	b.ReportMetric(median(idle), "idle-ns/key")
	b.ReportMetric(median(finding), "finding-ns/key")
	b.ReportMetric(median(ratios), "median-ratio")
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}
