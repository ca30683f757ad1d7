package e2e

import (
	"bytes"
	"crypto/rand"
	"os"
	"strings"
	"syscall"
	"testing"
)

// SIGINT, SIGTERM and SIGHUP stop the binary's upload as the command
// tests' cancelled context does (main turns each into it): exit status
// 128 + the signal's number (130, 143, 129, as a shell reports them), the
// upload journaled, and the hint to run the same command again.
func TestSignalsStopUploadWith130(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 15 MiB per signal")
	}
	for sig, want := range map[os.Signal]int{os.Interrupt: 130, syscall.SIGTERM: 143, syscall.SIGHUP: 129} {
		t.Run(sig.String(), func(t *testing.T) {
			c := newCLI(t)
			log := c.serve(t, "put:latency=300ms")
			data := make([]byte, 15<<20) // three 5 MiB parts
			rand.Read(data)
			big := c.file("big.bin", data)
			up := c.command("", "upload", "--json", "--part-size", "5MiB", big)
			var out, errb bytes.Buffer
			up.Stdout, up.Stderr = &out, &errb
			if err := up.Start(); err != nil {
				t.Fatal(err)
			}
			log.WaitParts(t, 1)
			up.Process.Signal(sig)
			err := up.Wait()
			if code := up.ProcessState.ExitCode(); code != want {
				t.Fatalf("exit %d (%v), want %d; stderr %q", code, err, want, errb.String())
			}
			if !strings.Contains(errb.String(), "1 unfinished upload stays journaled") || !strings.Contains(errb.String(), "same command again") {
				t.Errorf("no resume hint: %q", errb.String())
			}
		})
	}
}
