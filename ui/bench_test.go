package ui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
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
