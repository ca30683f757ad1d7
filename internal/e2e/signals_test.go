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
// 130, the upload journaled, and the hint to run the same command again.
func TestSignalsStopUploadWith130(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 15 MiB per signal")
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
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
			log.waitParts(t, 1)
			up.Process.Signal(sig)
			err := up.Wait()
			if code := up.ProcessState.ExitCode(); code != 130 {
				t.Fatalf("exit %d (%v), stderr %q", code, err, errb.String())
			}
			if !strings.Contains(errb.String(), "1 unfinished upload stays journaled") || !strings.Contains(errb.String(), "same command again") {
				t.Errorf("no resume hint: %q", errb.String())
			}
		})
	}
}
