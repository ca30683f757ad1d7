package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

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
				m = mm.(*Model)
				_ = m.View()
			}
		})
	}
}
