package uikit

import (
	"io"
	"sync"
)

// terminalFile is what Bubble Tea and termenv look for to treat an output
// as a terminal (size, raw mode, colours): a file with a descriptor.
type terminalFile interface {
	io.ReadWriteCloser
	Fd() uintptr
}

// lockedWriter serialises writes: the renderer, OSC 52 copies, OSC 9
// notifications and kitty image payloads all reach the terminal through
// it, one whole sequence at a time, never interleaved.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// lockedFile is a lockedWriter that still looks like the terminal file it
// wraps.
type lockedFile struct {
	lockedWriter
	f terminalFile
}

func (l lockedFile) Read(p []byte) (int, error) { return l.f.Read(p) }
func (l lockedFile) Close() error               { return l.f.Close() }
func (l lockedFile) Fd() uintptr                { return l.f.Fd() }

// NewTerminalWriter wraps the terminal's output so that every writer
// shares one lock: give the result both to tea.WithOutput and to
// Deps.Clipboard. A terminal file stays recognisable as one.
func NewTerminalWriter(w io.Writer) io.Writer {
	lw := lockedWriter{mu: &sync.Mutex{}, w: w}
	if f, ok := w.(terminalFile); ok {
		return lockedFile{lockedWriter: lw, f: f}
	}
	return lw
}
