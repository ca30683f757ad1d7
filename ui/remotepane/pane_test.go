package remotepane

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// damagedLedger is a ledger with one row of e's scope, damaged on disk
// and opened again (read-only, as SQLite reports the damage).
func damagedLedger(t *testing.T, e *testEnv) *store.Ledger {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	l, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "a.txt", Added: fixedNow})
	l.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY, 0)
	f.WriteAt(bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, 500), 12288)
	f.Close()
	damaged, err := store.Open(path)
	if err != nil || damaged.Damaged() == nil {
		t.Fatalf("not opened as damaged: %v", err)
	}
	t.Cleanup(func() { damaged.Close() })
	return damaged
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

// runAll runs a command tree and feeds every message to the pane (the
// pane's tick is the test's: it schedules nothing).
func runAll(t *testing.T, p *Pane, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 50; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			queue = append(queue, p.Update(msg))
		}
	}
}

func TestRemotePaneDirectUpdate(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 5)
	p := e.pane(e.ledger)
	p.SetSize(80, 20)
	p.Focus()
	p.Update(listLedger(e.ledger, e.scope, 1)())
	if p.Len() != 0 {
		t.Fatal("a reply with a stale id was applied")
	}
	cmd := p.Reload()
	p.Update(cmd())
	if p.Len() != 5 || p.Entries()[0].Filename != "photo-a.jpg" {
		t.Fatalf("newest first: %+v", p.Entries())
	}
	p.Update(key1("space"))
	p.Update(key1("space"))
	if len(p.Selected()) != 2 {
		t.Fatalf("marks: %d", len(p.Selected()))
	}
	cmd = p.Update(key1("X"))
	if msg, ok := cmd().(uikit.OpenMsg); !ok || !strings.Contains(msg.Overlay.View(), "Forget 2 files?") {
		t.Fatalf("forget asks about both: %#v", cmd())
	}
	p.SetFilter("photo-e")
	if len(p.Entries()) != 1 || p.Entries()[0].Filename != "photo-e.jpg" {
		t.Fatalf("filter: %+v", p.Entries())
	}
	p.SetFilter("")
	p.SetSort(rsortSize, true)
	if p.Entries()[0].Size != 5000 {
		t.Fatalf("sort by size desc: %+v", p.Entries()[0])
	}
}

// Filtering puts the cursor on the best match; esc after enter clears the
// accepted filter and the cursor stays on the entry it was on.
func TestRemoteFilterCursor(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 30)
	p := e.pane(e.ledger)
	p.SetSize(80, 20)
	p.Focus()
	p.Update(p.Reload()())
	p.Update(key1("G"))
	for _, k := range []string{"/", "p", "h", "o", "t", "o", "-", "e"} {
		p.Update(key1(k))
	}
	cur := current(p)
	if cur.Handle != p.Entries()[0].Handle || cur.Filename != "photo-e.jpg" {
		t.Fatalf("cursor on %s, not on the first row", cur.Filename)
	}
	p.Update(tea.KeyMsg{Type: tea.KeyDown})
	picked := current(p)
	p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	p.Update(tea.KeyMsg{Type: tea.KeyEsc})
	after := current(p)
	if footer(p) != "30 files · added↓" || len(p.Entries()) != 30 || after.Handle != picked.Handle {
		t.Fatalf("esc after enter: footer %q, %d entries, cursor on %s (was %s)", footer(p), len(p.Entries()), after.Handle, picked.Handle)
	}
}

// Entries with the same name show their store path (or handle), and / in
// the remote pane matches handle, type and path too.
func TestRemoteCollisionsAndFilterFields(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	for i, sp := range []string{"tree/a/img.jpg", "tree/b/img.jpg", ""} {
		e.ledger.Add(ctx, e.scope, store.Entry{Handle: handleN(i), Filename: "img.jpg", StorePath: sp, Mimetype: "image/jpeg", Added: fixedNow.Add(time.Duration(i))})
	}
	e.ledger.Add(ctx, e.scope, store.Entry{Handle: handleN(7), Filename: "deep1.txt", StorePath: "tree/a/b/deep1.txt", Mimetype: "text/plain", Added: fixedNow})
	p := e.pane(e.ledger)
	p.SetSize(100, 20)
	p.Update(p.Reload()())
	v := p.View()
	for _, want := range []string{"tree/a/img.jpg", "tree/b/img.jpg", "img.jpg · " + handleN(2)} {
		if !strings.Contains(v, want) {
			t.Fatalf("missing %q:\n%s", want, v)
		}
	}
	for pattern, want := range map[string]int{handleN(1)[:9]: 1, "text/plain": 1, "tree/a/": 2} {
		p.SetFilter(pattern)
		if len(p.Entries()) != want {
			t.Fatalf("/%s matched %d, want %d", pattern, len(p.Entries()), want)
		}
	}
}

// The characters a filter matched are drawn bold (and underlined).
func TestFilterHighlightsMatches(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 6)
	p := e.pane(e.ledger)
	p.SetSize(80, 20)
	p.Update(p.Reload()())
	p.SetFilter("oe")
	row := strings.Split(p.View(), "\n")[3]
	underlined := regexp.MustCompile(`\x1b\[1;[0-9;]*m([^\x1b]+)`).FindAllStringSubmatch(row, -1)
	var got []string
	for _, u := range underlined {
		got = append(got, u[1])
	}
	if strings.Join(got, ",") != "o,e" || ansi.Strip(row) == row {
		t.Fatalf("underlined %q in %q", got, row)
	}
}

// A damaged ledger (opened read-only) is not listed as "nothing uploaded
// yet": the remote pane says it is damaged, read-only, and to run doctor.
func TestRemotePaneSaysTheLedgerIsDamaged(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	damaged := damagedLedger(t, e)
	p := e.pane(damaged)
	p.SetSize(60, 20)
	p.Update(p.Reload()())
	v := strings.Join(strings.Fields(p.View()), " ")
	for _, want := range []string{"damaged", "read-only this session", "fsdeck doctor"} {
		if !strings.Contains(v, want) {
			t.Errorf("pane does not say %q:\n%s", want, p.View())
		}
	}
	if strings.Contains(v, "nothing uploaded yet") || p.Len() != 0 {
		t.Errorf("a damaged ledger listed as if read:\n%s", p.View())
	}
}

// A file removed from the ledger by another process (fsdeck rm) is not
// then shown as "only on the server" from the service's list fetched
// before: it was most likely deleted there too.
func TestRemovedElsewhereNotShownAsServerOnly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	p := e.pane(e.ledger)
	p.SetSize(80, 20)
	// The ledger had gone.txt, the service listed it and other.txt …
	listed := p.Reload()().(remoteListedMsg)
	listed.entries = []store.Entry{{Handle: "gone1", Filename: "gone.txt", Added: fixedNow}}
	p.Update(listed)
	tc := e.targets.Current()
	p.Update(serverListedMsg{target: tc.Name, scope: tc.Scope, total: 2,
		items: []hosts.Result{{ID: "gone1", Name: "gone.txt"}, {ID: "other", Name: "other.txt"}}})
	// … then another process removed gone.txt from the ledger.
	p.Update(p.Reload()())
	if p.ServerOnly("gone1") || !p.ServerOnly("other") || p.Len() != 1 || strings.Contains(p.View(), "gone.txt") {
		t.Fatalf("%d rows:\n%s", p.Len(), p.View())
	}
}

// Another process's removals and uploads show in the remote pane at the
// next poll of the ledger's data version, without a key, and the cursor
// stays on the entry it was on.
func TestRemotePaneFollowsOtherProcesses(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	mine, other := twoLedgers(t, e, 4)
	counted := &countingLedger{Ledger: mine}
	ticks := 0
	p := New(e.env(counted), e.targets, Options{Tick: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { ticks++; return nil }})
	p.SetSize(80, 20)
	p.Focus()
	runAll(t, p, p.Reload())
	if p.Len() != 4 || ticks != 1 {
		t.Fatalf("first listing: %d entries, %d polls scheduled", p.Len(), ticks)
	}
	p.Update(key1("down"))
	p.Update(key1("down"))
	cur := current(p)
	ctx := context.Background()
	if err := other.Remove(ctx, e.scope, handleN(0), handleN(3)); err != nil {
		t.Fatal(err)
	}
	if err := other.Add(ctx, e.scope, store.Entry{Handle: handleN(9), Filename: "new.txt", Added: fixedNow.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	runAll(t, p, func() tea.Msg { return ledgerPollMsg{} })
	hs := map[string]bool{}
	for _, x := range p.Entries() {
		hs[x.Handle] = true
	}
	if len(hs) != 3 || hs[handleN(0)] || hs[handleN(3)] || !hs[handleN(9)] {
		t.Fatalf("after another process's changes: %+v", p.Entries())
	}
	if now := current(p); now.Handle != cur.Handle {
		t.Fatalf("cursor moved from %s to %s", cur.Handle, now.Handle)
	}
	// No change, no reload: the ledger is not listed again.
	lists := counted.lists
	runAll(t, p, func() tea.Msg { return ledgerPollMsg{} })
	if counted.lists != lists {
		t.Fatal("reloaded with nothing changed")
	}
}
