package ui

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The replies to CSI 16 t and DA1 give the cell size and the sixel
// attribute; other sequences are not replies.
func TestParseReply(t *testing.T) {
	for _, tc := range []struct {
		seq  string
		want termReply
		ok   bool
	}{
		{"\x1b[6;20;10t", termReply{cell: uikit.CellSize{W: 10, H: 20}}, true},
		{"\x1b[6;0;0t", termReply{}, true},                                     // a reply, not a plausible size
		{"\x1b[?63;1;2;4;6;9;15;22c", termReply{da1: true, sixel: true}, true}, // xterm -ti vt340
		{"\x1b[?62;22c", termReply{da1: true}, true},
		{"\x1b[?4c", termReply{da1: true}, true}, // 4 as the class is not sixel
		{"\x1b[6;20;10t\x1b[?4c", termReply{}, false},
		{"\x1b[1;5A", termReply{}, false},
		{"\x1b[?1;2R", termReply{}, false},
	} {
		got, ok := parseReply([]byte(tc.seq))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseReply(%q) = %+v, %v; want %+v, %v", tc.seq, got, ok, tc.want, tc.ok)
		}
	}
}

type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// The interface asks the terminal about its images as it starts and reads
// the replies among the keys, as Bubble Tea hands them on: they set the
// cell size and sixel, and are never taken for keys typed ahead.
func TestBootReadsTheTerminalRepliesAmongTheKeys(t *testing.T) {
	opened := make(chan struct{})
	defer close(opened)
	b := NewBoot(func() (Deps, error) { <-opened; return Deps{}, nil }, t.TempDir(), DefaultSettings())
	asked := &syncWriter{}
	b.AskTerminal(asked)
	in, feed := io.Pipe()
	p := tea.NewProgram(b, tea.WithInput(in), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	// A terminal answers once asked (the query goes from a command, on
	// its own goroutine: ctrl+c could otherwise quit before it runs).
	for end := time.Now().Add(10 * time.Second); asked.String() != ProbeQuery; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the terminal was asked %q, want %q", asked.String(), ProbeQuery)
		}
	}
	// The replies, a key typed ahead, then ctrl+c (quits while loading),
	// each read on its own as a terminal would deliver them.
	for _, s := range []string{"\x1b[6;18;9t\x1b[?63;1;4;22c", "x", "\x03"} {
		if _, err := feed.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	feed.Close()
	if asked.String() != ProbeQuery {
		t.Fatalf("the terminal was asked %q, want %q", asked.String(), ProbeQuery)
	}
	if len(b.pending) != 1 || b.pending[0].(tea.KeyMsg).String() != "x" {
		t.Fatalf("keys kept while loading: %v (the replies must not be keys)", b.pending)
	}
	d := b.withGraphics(Deps{})
	if c := d.CellSize(); c != (uikit.CellSize{W: 9, H: 18}) || !d.Sixel {
		t.Fatalf("after the replies: cell %+v, sixel %v", c, d.Sixel)
	}
	// The kernel's pixels, when it has them, come first.
	d = b.withGraphics(Deps{CellSize: func() uikit.CellSize { return uikit.CellSize{W: 10, H: 20} }})
	if c := d.CellSize(); c != (uikit.CellSize{W: 10, H: 20}) {
		t.Fatalf("the kernel's cell size was not used: %+v", c)
	}
}

// A terminal that has not answered leaves the fallbacks: no cell size,
// no sixel; nothing is asked unless AskTerminal said where.
func TestBootWithoutReplies(t *testing.T) {
	b := NewBoot(func() (Deps, error) { return Deps{}, nil }, t.TempDir(), DefaultSettings())
	if b.askCmd() != nil {
		t.Fatal("asked the terminal without AskTerminal")
	}
	d := b.withGraphics(Deps{})
	if c := d.CellSize(); c.Known() || d.Sixel {
		t.Fatalf("no replies: cell %+v, sixel %v", c, d.Sixel)
	}
}

// With the terminal's size given before it runs, the frame Bubble Tea
// renders as it starts is the loading frame: here the output is no
// terminal, so no WindowSizeMsg ever comes, and the frame is drawn all
// the same.
func TestBootDrawsWithTheSizeGivenBeforeItRuns(t *testing.T) {
	opened := make(chan struct{})
	defer close(opened)
	b := NewBoot(func() (Deps, error) { <-opened; return Deps{}, nil }, t.TempDir(), DefaultSettings())
	b.SetSize(100, 30)
	out := &syncWriter{}
	in, feed := io.Pipe()
	p := tea.NewProgram(b, tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	for end := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "loading…"); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("no loading frame without a WindowSizeMsg: %q", out.String())
		}
	}
	feed.Write([]byte("\x03"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	feed.Close()
}
