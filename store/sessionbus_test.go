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

// DBUS_SESSION_BUS_ADDRESS=disabled: is no bus, even with a user bus
// socket; the secrets read through an environment of their own say the
// keyring is unavailable without asking the process's D-Bus.
func TestDisabledSessionBus(t *testing.T) {
	env := map[string]string{"DBUS_SESSION_BUS_ADDRESS": "disabled:", "XDG_RUNTIME_DIR": t.TempDir()}
	getenv := func(k string) string { return env[k] }
	if err := noSessionBus(getenv); !errors.Is(err, errBusDisabled) {
		t.Fatalf("disabled: %v, want errBusDisabled", err)
	}
	_, _, err := NewSecretsEnv(getenv).Get(SecretAPIKey)
	var nk *NoKeyringError
	if !errors.As(err, &nk) || nk.Short() != "no Secret Service" {
		t.Fatalf("Get with the bus disabled: %v", err)
	}
}
