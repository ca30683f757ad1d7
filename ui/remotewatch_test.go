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

// runAll runs a command tree and feeds every message to the pane (the
// pane's tick is the test's: it schedules nothing).
func runAll(t *testing.T, p RemotePane, cmd tea.Cmd) RemotePane {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 50; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := runCmd(t, c).(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			var next tea.Cmd
			p, next = p.Update(msg)
			queue = append(queue, next)
		}
	}
	return p
}

// Another process's removals and uploads show in the remote pane at the
// next poll of the ledger's data version, without a key, and the cursor
// stays on the entry it was on.
func TestRemotePaneFollowsOtherProcesses(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	mine, other := twoLedgers(t, e, 4)
	d := e.deps(t.TempDir())
	d.Ledger = mine
	p := NewRemotePane(testEnvOf(d))
	ticks := 0
	p.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { ticks++; return nil }
	p.SetSize(80, 20)
	p.Focus()
	p = runAll(t, p, p.Reload())
	if p.Len() != 4 || ticks != 1 {
		t.Fatalf("first listing: %d entries, %d polls scheduled", p.Len(), ticks)
	}
	p, _ = p.Update(key1("down"))
	p, _ = p.Update(key1("down"))
	cur, _ := p.current()
	ctx := context.Background()
	if err := other.Remove(ctx, e.scope, handleN(0), handleN(3)); err != nil {
		t.Fatal(err)
	}
	if err := other.Add(ctx, e.scope, store.Entry{Handle: handleN(9), Filename: "new.txt", Added: fixedNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p = runAll(t, p, func() tea.Msg { return ledgerPollMsg{} })
	hs := map[string]bool{}
	for _, x := range p.Entries() {
		hs[x.Handle] = true
	}
	if len(hs) != 3 || hs[handleN(0)] || hs[handleN(3)] || !hs[handleN(9)] {
		t.Fatalf("after another process's changes: %+v", p.Entries())
	}
	if now, _ := p.current(); now.Handle != cur.Handle {
		t.Fatalf("cursor moved from %s to %s", cur.Handle, now.Handle)
	}
	// No change, no reload: the pane keeps its list object.
	id := p.listID
	p = runAll(t, p, func() tea.Msg { return ledgerPollMsg{} })
	if p.listID != id {
		t.Fatal("reloaded with nothing changed")
	}
}

// Refreshing (r) an entry another process removed meanwhile leaves it
// removed: the refresh updates rows, it never writes one back.
func TestRefreshDoesNotResurrectRemovedRows(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	mine, other := twoLedgers(t, e, 3)
	d := e.deps(fixtureTree(t))
	d.Ledger = mine
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 30})
	m = drain(t, mm.(Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	cur, ok := m.remote.current()
	if !ok {
		t.Fatal("no entry under the cursor")
	}
	if err := other.Remove(context.Background(), e.scope, cur.Handle); err != nil {
		t.Fatal(err)
	}
	m = press(t, m, keyRunes("r"))
	if _, err := mine.Get(context.Background(), e.scope, cur.Handle); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the refresh wrote the removed row back: %v", err)
	}
	if m.remote.has(cur.Handle) {
		t.Fatal("the removed entry is still listed after the refresh")
	}
}
