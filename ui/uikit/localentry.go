package uikit

import (
	"io/fs"
	"time"
)

// LocalEntry is a file or directory as the local pane lists it (the
// preview shows the one under its cursor).
type LocalEntry struct {
	Name    string
	Path    string
	Size    int64
	ModTime time.Time
	IsDir   bool
	IsLink  bool
	Err     string
	// ID is the entry's identity on its device (what a mark pins).
	ID FileID
}

// SpecialKind names what a file that is not a regular file is.
func SpecialKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "not a regular file"
}
