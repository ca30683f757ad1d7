//go:build !darwin && !windows

package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// errBusDisabled: DBUS_SESSION_BUS_ADDRESS says there is no bus to use
// ("disabled:", as test environments and sandboxes set it).
var errBusDisabled = errors.New("D-Bus is disabled (DBUS_SESSION_BUS_ADDRESS=disabled:)")

// noSessionBus reports a missing session bus before go-keyring looks for
// one. Without a bus address, D-Bus clients autolaunch one with
// dbus-launch, which on a headless box (or over SSH) starts a dbus-daemon
// that outlives fsdeck, one per run, and holds an inotify instance each,
// only to find no Secret Service on it. The discovery mirrors godbus's:
// the variable, then the systemd user bus socket.
func noSessionBus(getenv func(string) string) error {
	a := getenv("DBUS_SESSION_BUS_ADDRESS")
	if strings.HasPrefix(a, "disabled:") {
		// Said here, not by godbus, which reads the process's own
		// environment, not the one getenv gives.
		return errBusDisabled
	}
	if a != "" && a != "autolaunch:" {
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
