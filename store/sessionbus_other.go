//go:build darwin || windows

package store

// noSessionBus: the Keychain and Credential Manager need no D-Bus.
func noSessionBus(func(string) string) error { return nil }
