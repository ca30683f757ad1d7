package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/transfers"
)

// u remapped to quit is quit: with a transfer running it asks, as q does.
func TestRemappedQuitKeyAsks(t *testing.T) {
	// ctrl+c, no longer in quit's keys, still quits as in the studio.
	for _, k := range []tea.KeyMsg{keyRunes("q"), keyRunes("u"), {Type: tea.KeyCtrlC}} {
		m, eng := remappedWith(t)
		// The engine's snapshot of one queued upload.
		eng.canned = &transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Queued}},
			Total: transfer.Totals{Files: 1, Queued: 1}}
		mm, _ := m.Update(transfers.TickMsg{})
		mm, cmd := mm.Update(k)
		m = mm.(*Model)
		if m.quitting {
			t.Fatalf("%s quit at once with a transfer running", k)
		}
		m = drain(t, m, cmd)
		if m.overlay == nil || !strings.Contains(ansi.Strip(m.overlay.View()), "Quit?") {
			t.Fatalf("%s did not ask before quitting:\n%s", k, ansi.Strip(m.View()))
		}
		m = press(t, m, keyRunes("y"))
		if !m.quitting {
			t.Fatalf("%s: y in the question did not quit", k)
		}
	}
}

// quitText is the open quit dialog's question ("" when none is open).
func quitText(m *Model) string {
	if q, ok := m.overlay.(dialog.Quit); ok {
		return q.Question()
	}
	return ""
}

// The quit dialog says per kind what happens to what is running: a
// multipart Filestack upload resumes from the journal, a simple one and a
// host upload start over (a host upload is not journaled at all), a
// Filestack download continues its partial file, a queued job is not
// kept. When the last transfer ends while it is open, it says so.
func TestQuitDialogSaysWhatHappensPerKind(t *testing.T) {
	he := newHostsEnv(t)
	d := he.deps(t.TempDir())
	eng := withEngine(&d, transfer.Options{})
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = mm.(*Model)
	snap := transfer.Snapshot{Jobs: []transfer.JobSnapshot{
		{ID: 1, Dir: transfer.Upload, State: transfer.Running, Name: "big.bin", Size: 40 << 20, Parts: make([]transfer.PartState, 8)},
		{ID: 2, Dir: transfer.Upload, State: transfer.Running, Name: "small.txt", Size: 10, Parts: make([]transfer.PartState, 1)},
		{ID: 3, Dir: transfer.Upload, State: transfer.Running, Name: "cat.png", Size: 10, Target: "imgbb"},
		{ID: 4, Dir: transfer.Download, State: transfer.Running, Name: "film.mp4", Size: 10},
		{ID: 5, Dir: transfer.Upload, State: transfer.Queued, Name: "later.bin", Size: 10},
		{ID: 6, Dir: transfer.Upload, State: transfer.Done, Name: "old.bin", Size: 10},
		{ID: 7, Dir: transfer.Upload, State: transfer.Paused, Name: "held.png", Size: 10, Target: "imgbb", Started: fixedNow},
		{ID: 8, Dir: transfer.Upload, State: transfer.Paused, Name: "journaled.bin", Size: 40 << 20, Started: fixedNow},
	}}
	eng.canned = &snap
	mm, _ = m.Update(transfers.TickMsg{})
	mm, _ = mm.Update(keyRunes("q"))
	m = mm.(*Model)
	q := quitText(m)
	for _, want := range []string{
		"2 Filestack uploads resume next time from the journal", // the paused journaled.bin too
		"1 small Filestack upload (one request) is offered next time but starts over",
		"2 uploads to ImgBB are lost: such uploads are one request each and not journaled, so upload them again (they start over)",
		"1 download continues next time from its partial file",
		"1 queued or paused transfer has not started and is not kept",
	} {
		if !strings.Contains(q, want) {
			t.Errorf("quit dialog lacks %q:\n%s", want, q)
		}
	}
	if strings.Contains(q, "ImgBB") && strings.Contains(q, "resume them") {
		t.Errorf("quit dialog promises to resume a host upload:\n%s", q)
	}
	// The engine (which has none of those jobs) now reports nothing
	// running: the open dialog must stop saying there is.
	eng.canned = nil
	mm, _ = m.Update(transfers.TickMsg{})
	m = mm.(*Model)
	if q := quitText(m); !strings.Contains(q, "Every transfer has ended") || strings.Contains(q, "resumes") {
		t.Fatalf("after the last transfer ended the dialog says:\n%s", q)
	}
	if !strings.Contains(m.View(), "Every transfer has ended") {
		t.Fatalf("screen does not show the new text:\n%s", m.View())
	}
	_, cmd := m.Update(keyRunes("y"))
	if msg := runCmd(t, cmd); msg != (quitNowMsg{}) {
		t.Fatalf("yes sent %#v, want quitNowMsg", msg)
	}
}

// Nothing running: q quits at once, without a dialog.
func TestQuitWithNothingRunningNeedsNoConfirmation(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(t.TempDir())
	eng := withEngine(&d, transfer.Options{})
	m := newSync(d)
	eng.canned = &transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Dir: transfer.Upload, State: transfer.Done, Name: "a"}}}
	mm, _ := m.Update(transfers.TickMsg{})
	mm, cmd := mm.Update(keyRunes("q"))
	if mm.(*Model).overlay != nil || cmd == nil {
		t.Fatal("q with only finished transfers asked instead of quitting")
	}
}
