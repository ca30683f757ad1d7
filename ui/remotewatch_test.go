package ui

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
)

// Refreshing (r) an entry another process removed meanwhile leaves it
// removed: the refresh updates rows, it never writes one back.
func TestRefreshDoesNotResurrectRemovedRows(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	mine, other := twoLedgers(t, e, 3)
	d := e.deps(fixtureTree(t))
	d.Ledger = mine
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	m = drain(t, mm.(*Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	sel := m.remote.Selected()
	if len(sel) != 1 {
		t.Fatal("no entry under the cursor")
	}
	cur := sel[0]
	if err := other.Remove(context.Background(), e.scope, cur.Handle); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, keyRunes("r"))
	if _, err := mine.Get(context.Background(), e.scope, cur.Handle); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refresh wrote the removed row back: %v", err)
	}
	for _, e := range m.remote.Entries() {
		if e.Handle == cur.Handle {
			t.Fatal("the removed entry is still listed after the refresh")
		}
	}
}

// twoLedgers is the interface's ledger and a second opener of the same
// file, standing in for an `fsdeck rm` or `fsdeck upload` in another shell.
func twoLedgers(t *testing.T, e *testEnv, n int) (mine, other *store.Ledger) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	var err error
	if mine, err = store.Open(path); err != nil {
		t.Fatal(err)
	}
	if other, err = store.Open(path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mine.Close(); other.Close() })
	for i := 0; i < n; i++ {
		err := other.Add(context.Background(), e.scope, store.Entry{Handle: handleN(i), Filename: "photo-" + string(rune('a'+i)) + ".jpg",
			Size: int64(1000 * (i + 1)), Added: fixedNow.Add(-time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return mine, other
}
