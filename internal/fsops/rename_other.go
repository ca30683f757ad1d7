//go:build !linux && !windows

package fsops

import (
	"errors"
	"syscall"
)

func renameNoReplace(string, string) error { return errNoAtomic }

func isCrossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }
