//go:build unix

package uikit

import (
	"os"
	"syscall"
)

// FileIDOf reads device and inode from what Lstat (or a directory
// listing) returned.
func FileIDOf(fi os.FileInfo) FileID {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return FileID{}
	}
	return FileID{dev: uint64(st.Dev), ino: uint64(st.Ino)} //nolint:unconvert // Dev and Ino differ in type across platforms
}
