package cli

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/ui"
)

// TIOCGWINSZ's pixels give the cell size without asking the terminal;
// without pixels it is unknown (the interface then uses the terminal's
// reply to CSI 16 t, or the 1:2 guess).
func TestCellSizeFromTheKernel(t *testing.T) {
	m, s := clitest.OpenPTY(t, 120, 40)
	defer m.Close()
	defer s.Close()
	if c := cellSizeOf(s); c.Known() {
		t.Fatalf("no pixels gave %+v", c)
	}
	ws := &unix.Winsize{Row: 40, Col: 120, Xpixel: 1200, Ypixel: 800}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, ws); err != nil {
		t.Skipf("TIOCSWINSZ: %v", err)
	}
	if c := cellSizeOf(s); c != (ui.CellSize{W: 10, H: 20}) {
		t.Fatalf("cellSizeOf = %+v", c)
	}
	if c := cellFromWinsize(0, 0, 120, 40); c.Known() {
		t.Errorf("no pixels gave %+v", c)
	}
}
