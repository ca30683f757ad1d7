//go:build !linux && !windows

package fileops

import (
	"errors"
	"syscall"
)

func renameNoReplace(string, string) error { return errNoAtomic }

func isCrossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }
