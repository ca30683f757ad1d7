//go:build !darwin && !windows

package store

import (
	"errors"
	"net"
	"path/filepath"
	"testing"
)

// The session bus is found as godbus finds it (the variable, then the
// user bus socket); without either, the keyring is reported unavailable
// before D-Bus could autolaunch a daemon.
func TestNoSessionBus(t *testing.T) {
	dir := t.TempDir()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if err := noSessionBus(env(map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"})); err != nil {
		t.Errorf("with an address: %v", err)
	}
	for _, m := range []map[string]string{{"XDG_RUNTIME_DIR": dir}, {"XDG_RUNTIME_DIR": dir, "DBUS_SESSION_BUS_ADDRESS": "autolaunch:"}} {
		if err := noSessionBus(env(m)); !errors.Is(err, errNoSessionBus) {
			t.Errorf("%v: %v, want errNoSessionBus", m, err)
		}
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "bus"))
	if err != nil {
		t.Skip("no unix sockets here:", err)
	}
	defer ln.Close()
	if err := noSessionBus(env(map[string]string{"XDG_RUNTIME_DIR": dir})); err != nil {
		t.Errorf("with $XDG_RUNTIME_DIR/bus: %v", err)
	}
}
