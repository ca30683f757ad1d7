//go:build windows

package fsops

import (
	"errors"
	"syscall"
)

func renameNoReplace(string, string) error { return errNoAtomic }

// isCrossDevice: MoveFileEx without MOVEFILE_COPY_ALLOWED refuses another
// volume with ERROR_NOT_SAME_DEVICE.
func isCrossDevice(err error) bool {
	const errorNotSameDevice = syscall.Errno(17)
	return errors.Is(err, errorNotSameDevice) || errors.Is(err, syscall.EXDEV)
}
