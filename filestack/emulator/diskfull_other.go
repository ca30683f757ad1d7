//go:build !windows

package emulator

// isWindowsDiskFull is false off Windows, where ENOSPC and EDQUOT say it.
func isWindowsDiskFull(error) bool { return false }
