package cli

import (
	"bytes"
	"crypto/rand"
	"os"
	"strings"
	"syscall"
	"testing"
)

// A run a signal stops ends with 128 + the signal's number, as a shell
// reports it: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (all were
// 130), the upload journaled and the resume hint given each time.
func TestSignalExitStatuses(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 10 MiB per signal")
	}
	for _, tc := range []struct {
		sig  os.Signal
		code int
	}{{os.Interrupt, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			c := newCLI(t)
			log := c.serve(t, "put:latency=300ms")
			data := make([]byte, 10<<20) // two 5 MiB parts
			rand.Read(data)
			big := c.file("big.bin", data)
			up := c.command("", "upload", "--json", "--part-size", "5MiB", big)
			var out, errb bytes.Buffer
			up.Stdout, up.Stderr = &out, &errb
			up.Start()
			log.WaitParts(t, 1)
			up.Process.Signal(tc.sig)
			up.Wait()
			if code := up.ProcessState.ExitCode(); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errb.String())
			}
			if !strings.Contains(errb.String(), "1 unfinished upload stays journaled") {
				t.Errorf("no resume hint: %q", errb.String())
			}
		})
	}
}
