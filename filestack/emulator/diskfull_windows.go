package emulator

import (
	"errors"
	"syscall"
)

// isWindowsDiskFull reports ERROR_HANDLE_DISK_FULL (39) and
// ERROR_DISK_FULL (112), Windows' words for a full disk.
func isWindowsDiskFull(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == 39 || errno == 112)
}
