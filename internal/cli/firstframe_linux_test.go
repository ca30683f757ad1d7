package cli

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/store"
)

// The interface draws its first frame before its session has opened (the
// panes say loading), and shows the listings once it has: here the ledger
// is held by a "doctor" (its lock taken exclusively) while fsdeck starts,
// so the session cannot open until the lock is let go.
func TestInterfaceDrawsBeforeTheSessionOpens(t *testing.T) {
	if raceEnabled {
		t.Skip("cancelreader's own race on a pseudo-terminal (race_on_test.go); .ci/run runs this without -race")
	}
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
	master, tty := clitest.OpenPTY(t, 100, 30)
	defer master.Close()
	var screen lockedBuffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			screen.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	cmd := c.command("")
	cmd.Stdin, cmd.Stdout = tty, tty
	var errb lockedBuffer
	cmd.Stderr = &errb
	cmd.Start()
	waitFor := func(what string, within time.Duration, ok func(string) bool) {
		t.Helper()
		for end := time.Now().Add(within); !ok(screen.String()); {
			if time.Now().After(end) {
				t.Fatalf("no %s within %v; the terminal got %q (stderr %q)", what, within, screen.String(), errb.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// The ledger stays locked for 4 s at most here (the session gives
	// up after 5 s): the frame must come while it is.
	waitFor("loading frame", 4*time.Second, func(s string) bool {
		return strings.Contains(s, " fsdeck ") && strings.Contains(s, "Local") && strings.Contains(s, "Remote") && strings.Contains(s, "loading…")
	})
	if strings.Contains(screen.String(), "nothing uploaded yet") {
		t.Fatal("the remote pane listed the ledger while it was locked")
	}
	release()
	release = func() {}
	waitFor("listings", 10*time.Second, func(s string) bool {
		return strings.Contains(s, "empty directory") && strings.Contains(s, "nothing uploaded yet")
	})
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	tty.Close()
}
