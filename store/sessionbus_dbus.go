//go:build !darwin && !windows

package store

import (
	"os"
	"path/filepath"
	"strconv"
)

// noSessionBus reports a missing session bus before go-keyring looks for
// one. Without a bus address, D-Bus clients autolaunch one with
// dbus-launch, which on a headless box (or over SSH) starts a dbus-daemon
// that outlives fsdeck, one per run, and holds an inotify instance each,
// only to find no Secret Service on it. The discovery mirrors godbus's:
// the variable, then the systemd user bus socket.
func noSessionBus(getenv func(string) string) error {
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	if fi, err := os.Stat(filepath.Join(dir, "bus")); err == nil && fi.Mode()&os.ModeSocket != 0 {
		return nil
	}
	return errNoSessionBus
}
