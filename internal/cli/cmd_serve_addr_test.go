package cli

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
)

// serve without --addr listens where local mode looks for the server:
// FSDECK_LOCAL_ADDR, else config.toml's [local] addr, so the other
// commands share it.
func TestCLIServeDefaultAddrIsLocalModes(t *testing.T) {
	for _, from := range []string{"FSDECK_LOCAL_ADDR", "config.toml"} {
		t.Run(from, func(t *testing.T) {
			c := newCLI(t)
			addr := clitest.FreeAddr(t)
			if from == "FSDECK_LOCAL_ADDR" {
				c.addr = addr
			} else {
				c.addr = ""
				if err := os.WriteFile(filepath.Join(c.cfg, "config.toml"), []byte("[local]\naddr = \""+addr+"\"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			srv := c.command("", "serve", "--quiet")
			srv.Stdout, srv.Stderr = io.Discard, io.Discard
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Process.Signal(syscall.SIGTERM); srv.Wait() })
			clitest.WaitListening(t, addr)
		})
	}
}
