//go:build !linux

package uikit

import "os"

// LstatID is the identity of the file at path itself (a link, not what
// it points to); err is Lstat's.
func LstatID(path string) (FileID, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return FileID{}, err
	}
	return FileIDOf(fi), nil
}
