//go:build !linux

package transfer

// background does nothing here: only Linux sets the priority of a thread.
func background() {}
