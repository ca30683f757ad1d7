//go:build linux

package fsops

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// renameNoReplace asks the kernel to refuse a taken name; file systems
// without RENAME_NOREPLACE (and old kernels) fall back to check-then-rename.
func renameNoReplace(old, new string) error {
	err := unix.Renameat2(unix.AT_FDCWD, old, unix.AT_FDCWD, new, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
		return errNoAtomic
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: old, New: new, Err: err}
	}
	return nil
}

func isCrossDevice(err error) bool { return errors.Is(err, unix.EXDEV) }
