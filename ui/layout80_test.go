package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/transfers"
)

// At 80×24 with many transfers the panel shrinks before the panes do (they
// keep nine rows of files), and the remote pane's title cuts a long
// address at a path boundary with an ellipsis, within the pane.
func TestLayout80x24TransfersShrinkFirstAndAddressCutCleanly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	d := e.deps(fixtureTree(t))
	const endpoint = "http://127.0.0.1:7337/filestack/team-buckets/evil\x1b[31mname/uploads-for-the-long-project/2026"
	d.Endpoint = endpoint
	eng := withEngine(&d, transfer.Options{})
	m := startModel(t, d)
	var jobs []transfer.JobSnapshot
	for i := range 8 {
		jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(i + 1), Name: fmt.Sprintf("f%d.bin", i), Dir: transfer.Upload, State: transfer.Queued, Size: 10})
	}
	eng.canned = &transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: len(jobs), Queued: len(jobs)}}
	mm, _ := m.Update(transfers.TickMsg{})
	mm, _ = mm.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = mm.(*Model)
	if !m.showXfers {
		m = press(t, m, keyRunes("w"))
	}
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines:\n%s", len(lines), v)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Fatalf("line %d is %d wide: %q", i, w, l)
		}
	}
	if m.paneHeight < 14 || m.xferHeight < 5 || !strings.Contains(v, "f0.bin") {
		t.Fatalf("panes %d lines, transfers %d: the panel must shrink first (to one row at least):\n%s", m.paneHeight, m.xferHeight, v)
	}
	// The title bar keeps the transfers summary, the address giving way.
	if bar := ansi.Strip(lines[0]); !strings.Contains(bar, "8 active") || !strings.Contains(bar, "http://127.0.0.1:7337/…/2026") {
		t.Fatalf("title bar %q", bar)
	}
	// The remote pane's title: line 2 (under the top border), right of the local pane's 40 cells.
	title := ansi.Strip(lines[2])
	title = strings.TrimSuffix(strings.TrimRight(string([]rune(title)[40:]), " "), "│")
	title = strings.TrimRight(title, " ")
	if strings.ContainsRune(title, '\x1b') || lipgloss.Width(title) > 40 {
		t.Fatalf("title %q", title)
	}
	head, tail, ok := strings.Cut(title, "http://127.0.0.1:7337/…/")
	if !ok || !strings.HasPrefix(head, "│Remote") || tail == "" || !strings.HasSuffix(endpoint, "/"+tail) {
		t.Fatalf("address not cut at a path boundary: %q", title)
	}
}

// On a small terminal with more transfers than rows, the panel (which
// still gives way before the panes) shows the running rows first, one
// line each once two lines each would show fewer than three, and its
// last line says how many more there are and in what state: at 80×16 a
// single row with nothing saying six others wait was all there was.
func TestSmallTerminalTransfersShowRunningRowsAndHowManyMore(t *testing.T) {
	for _, c := range []struct {
		w, h    int
		rows    []string // the rows shown, in order
		more    string
		paneMin int
	}{
		{80, 24, []string{"f0.bin", "f1.bin", "f2.bin"}, "+5 more: 5 queued", 14},
		{80, 16, []string{"f0.bin"}, "+7 more: 1 running, 6 queued", 8},
		{60, 16, []string{"f0.bin"}, "+7 more: 1 running, 6 queued", 8},
	} {
		e := newTestEnv(t, emulator.Options{})
		d := e.deps(fixtureTree(t))
		eng := withEngine(&d, transfer.Options{})
		m := startModel(t, d)
		var jobs []transfer.JobSnapshot
		for i := range 8 {
			st := transfer.Queued
			if i < 2 {
				st = transfer.Running
			}
			jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(i + 1), Name: fmt.Sprintf("f%d.bin", i), Dir: transfer.Upload, State: st, Size: 10 << 20, Acked: 1 << 20})
		}
		eng.canned = &transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: len(jobs), Running: 2, Queued: 6}}
		mm, _ := m.Update(transfers.TickMsg{})
		mm, _ = mm.Update(tea.WindowSizeMsg{Width: c.w, Height: c.h})
		m = mm.(*Model)
		if !m.showXfers {
			m = press(t, m, keyRunes("w"), tea.KeyMsg{Type: tea.KeyTab}) // shown, the keys back in the pane
		}
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != c.h {
			t.Fatalf("%dx%d: %d lines:\n%s", c.w, c.h, len(lines), v)
		}
		for i, l := range lines {
			if w := lipgloss.Width(l); w > c.w {
				t.Fatalf("%dx%d: line %d is %d wide: %q", c.w, c.h, i, w, l)
			}
		}
		panel := ansi.Strip(strings.Join(lines[len(lines)-1-m.xferHeight:len(lines)-1], "\n"))
		var shown []string
		for i := range 8 {
			if n := fmt.Sprintf("f%d.bin", i); strings.Contains(panel, n) {
				shown = append(shown, n)
			}
		}
		if strings.Join(shown, ",") != strings.Join(c.rows, ",") || !strings.Contains(panel, c.more) || m.paneHeight < c.paneMin {
			t.Fatalf("%dx%d: rows %v (want %v), panes %d lines (want %d at least), want %q in the panel:\n%s", c.w, c.h, shown, c.rows, m.paneHeight, c.paneMin, c.more, v)
		}
	}
}
