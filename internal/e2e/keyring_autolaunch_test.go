//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// With no session bus, fsdeck says the keyring is unavailable instead of
// letting D-Bus autolaunch a dbus-daemon (one leaked per run on a headless
// box). A dbus-launch first in PATH records whether it was run.
func TestNoBusNoAutolaunch(t *testing.T) {
	c := newCLI(t)
	bin := t.TempDir()
	marker := filepath.Join(bin, "launched")
	script := "#!/bin/sh\ntouch " + marker + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := c.command("", "ls")
	var env []string
	for _, kv := range cmd.Env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DBUS_SESSION_BUS_ADDRESS", "PATH", "XDG_RUNTIME_DIR", "DISPLAY":
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "XDG_RUNTIME_DIR="+t.TempDir(), "DISPLAY=:99")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fsdeck ls: %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("fsdeck ran dbus-launch with no session bus\n%s", out)
	}
}
