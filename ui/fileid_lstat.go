//go:build !linux

package ui

import "os"

// lstatID is the identity of the file at path itself (a link, not what
// it points to); err is Lstat's.
func lstatID(path string) (fileID, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return fileID{}, err
	}
	return fileIDOf(fi), nil
}
