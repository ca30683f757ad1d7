//go:build unix

package cli

import (
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"

	"github.com/fsdeck/fsdeck/ui"
)

// probeTimeout bounds the wait for a terminal that answers nothing.
const probeTimeout = 300 * time.Millisecond

// probeTerminal asks the terminal (in raw mode, before Bubble Tea starts
// reading) for its cell size and device attributes; a terminal that does
// not answer costs probeTimeout at start, nothing more.
func probeTerminal(in, out *os.File) termProbe {
	fd := int(in.Fd())
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return termProbe{}
	}
	defer term.Restore(in.Fd(), state)
	if _, err := out.WriteString(probeQuery); err != nil {
		return termProbe{}
	}
	var got []byte
	buf := make([]byte, 256)
	deadline := time.Now().Add(probeTimeout)
	for len(got) < 4096 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		k, err := unix.Read(fd, buf)
		if err != nil || k <= 0 {
			break
		}
		got = append(got, buf[:k]...)
		if p, done := parseProbe(got); done {
			return p
		}
	}
	p, _ := parseProbe(got)
	return p
}

// cellSizeOf asks the kernel for the terminal's size in cells and pixels
// (TIOCGWINSZ); zero when it has no pixels (some terminals leave them out).
func cellSizeOf(f *os.File) ui.CellSize {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return ui.CellSize{}
	}
	return cellFromWinsize(ws.Xpixel, ws.Ypixel, ws.Col, ws.Row)
}
