package cli

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/fsdeck/fsdeck/ui"
)

// openPty opens a pseudo-terminal pair: the terminal's side (master) and
// the program's (slave).
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// The probe asks for the cell size and DA1 on the terminal and reads the
// replies (a terminal that answers both: cell size and sixel); a terminal
// that answers nothing costs the timeout, not more; TIOCGWINSZ's pixels
// give the cell size without asking.
func TestProbeTerminal(t *testing.T) {
	m, s := openPty(t)
	go func() {
		buf := make([]byte, 64)
		var got []byte
		for !bytes.Contains(got, []byte(probeQuery)) {
			n, err := m.Read(buf)
			if err != nil {
				return
			}
			got = append(got, buf[:n]...)
		}
		m.WriteString("\x1b[6;18;9t\x1b[?63;1;4;22c")
	}()
	start := time.Now()
	p := probeTerminal(s, s)
	if p.cell != (ui.CellSize{W: 9, H: 18}) || !p.sixel {
		t.Fatalf("probe = %+v", p)
	}
	if d := time.Since(start); d >= probeTimeout {
		t.Fatalf("the DA1 reply did not end the wait: %s", d)
	}

	_, quiet := openPty(t)
	start = time.Now()
	if p := probeTerminal(quiet, quiet); p != (termProbe{}) || time.Since(start) > probeTimeout+time.Second {
		t.Fatalf("a silent terminal: %+v after %s", p, time.Since(start))
	}

	ws := &unix.Winsize{Row: 40, Col: 120, Xpixel: 1200, Ypixel: 800}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, ws); err != nil {
		t.Skipf("TIOCSWINSZ: %v", err)
	}
	if c := cellSizeOf(s); c != (ui.CellSize{W: 10, H: 20}) {
		t.Fatalf("cellSizeOf = %+v", c)
	}
}
