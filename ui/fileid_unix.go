//go:build unix

package ui

import (
	"os"
	"syscall"
)

// fileIDOf reads device and inode from what Lstat (or a directory
// listing) returned.
func fileIDOf(fi os.FileInfo) fileID {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return fileID{}
	}
	return fileID{dev: uint64(st.Dev), ino: uint64(st.Ino)} //nolint:unconvert // Dev and Ino differ in type across platforms
}
