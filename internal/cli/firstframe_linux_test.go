package cli

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui"
)

// The interface draws its first frame before its session has opened and
// before the terminal has answered its questions (.ci/run runs these
// without -race: cancelreader, Bubble Tea's input reader, races with
// itself on a pseudo-terminal, race_on_test.go).
func TestInterfaceDrawsBeforeTheSessionOpens(t *testing.T) {
	if raceEnabled {
		t.Skip("cancelreader's own race on a pseudo-terminal (race_on_test.go); .ci/run runs this without -race")
	}
	t.Run("ledger locked", drawsWhileTheLedgerIsLocked)
	t.Run("terminal answers late", drawsBeforeTheTerminalAnswers)
}

// The first frame comes (the panes say loading), and the listings once
// the session has opened: here the ledger is held by a "doctor" (its lock
// taken exclusively) while fsdeck starts, so the session cannot open until
// the lock is let go.
func drawsWhileTheLedgerIsLocked(t *testing.T) {
	c := newCLI(t)
	paths := store.Paths{Data: c.data, Config: c.cfg}
	if err := paths.Ensure(); err != nil {
		t.Fatal(err)
	}
	release, err := store.OwnLedger(paths, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { release() }()
	run := startOnPTY(t, c)
	// The ledger stays locked for 4 s at most here (the session gives
	// up after 5 s): the frame must come while it is.
	run.waitFor("loading frame", 4*time.Second, func(s string) bool {
		return strings.Contains(s, " fsdeck ") && strings.Contains(s, "Local") && strings.Contains(s, "Remote") && strings.Contains(s, "loading…")
	})
	if strings.Contains(run.screen.String(), "nothing uploaded yet") {
		t.Fatal("the remote pane listed the ledger while it was locked")
	}
	release()
	release = func() {}
	run.waitFor("listings", 10*time.Second, func(s string) bool {
		return strings.Contains(s, "empty directory") && strings.Contains(s, "nothing uploaded yet")
	})
}

// ptyRun is the interface started on a pseudo-terminal of 100x30, with
// all it draws recorded; it is ended by SIGTERM when the test ends.
type ptyRun struct {
	t      *testing.T
	master *os.File
	screen lockedBuffer
	errb   lockedBuffer
}

func startOnPTY(t *testing.T, c *cli) *ptyRun {
	t.Helper()
	master, tty := clitest.OpenPTY(t, 100, 30)
	r := &ptyRun{t: t, master: master}
	go func() {
		buf := make([]byte, 1<<16)
		for {
			n, err := master.Read(buf)
			r.screen.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	cmd := c.command("")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &r.errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		tty.Close()
		master.Close()
	})
	return r
}

// waitFor returns the terminal's output once ok says yes to it, failing
// the test after within.
func (r *ptyRun) waitFor(what string, within time.Duration, ok func(string) bool) string {
	r.t.Helper()
	for end := time.Now().Add(within); ; time.Sleep(10 * time.Millisecond) {
		s := r.screen.String()
		if ok(s) {
			return s
		}
		if time.Now().After(end) {
			r.t.Fatalf("no %s within %v; the terminal got %q (stderr %q)", what, within, s, r.errb.String())
		}
	}
}

// The terminal is asked for its cell size and DA1 without the first frame
// waiting for it: this terminal answers only once it has drawn the frame
// and the listings, and the answer is still used: the preview of a large
// square image is a sixel (DA1 lists 4), sized with the replied 10x20
// cells (with the 6x12 guess a 50-column pane holds less than 300 pixels).
func drawsBeforeTheTerminalAnswers(t *testing.T) {
	c := newCLI(t)
	c.extraEnv = append(c.extraEnv, "TERM=xterm-256color", "TERM_PROGRAM=", "KITTY_WINDOW_ID=", "TMUX=", "WT_SESSION=", "KONSOLE_VERSION=", "MLTERM=", "LC_TERMINAL=")
	img := image.NewNRGBA(image.Rect(0, 0, 1000, 1000))
	for i := range img.Pix {
		img.Pix[i] = 0xc0
	}
	img.Set(10, 10, color.NRGBA{R: 255, A: 255})
	f, err := os.Create(filepath.Join(c.dir, "square.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	run := startOnPTY(t, c)
	master := run.master
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		return run.waitFor(what, 10*time.Second, ok)
	}
	s := waitFor("listings", func(s string) bool {
		return strings.Contains(s, "square.png") && strings.Contains(s, "nothing uploaded yet")
	})
	if !strings.Contains(s, ui.ProbeQuery) {
		t.Fatalf("the terminal was not asked for its cell size and DA1: %q", s)
	}
	master.WriteString("\x1b[6;20;10t\x1b[?63;1;4;22c")
	if strings.Contains(s, "Welcome to fsdeck") {
		master.WriteString("\x1b")
		time.Sleep(100 * time.Millisecond) // Bubble Tea tells a lone escape from a sequence by a pause
	}
	master.WriteString("P")
	s = waitFor("sixel preview", func(s string) bool { return sixelHead.MatchString(s) })
	m := sixelHead.FindStringSubmatch(s)
	w, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	if w != h || w <= 300 {
		t.Fatalf("the sixel image is %dx%d pixels, want square and over 300 (10x20 cells)", w, h)
	}
}

// sixelHead is a sixel image's start with its raster size.
var sixelHead = regexp.MustCompile(`\x1bP0;1;0q"1;1;(\d+);(\d+)`)
