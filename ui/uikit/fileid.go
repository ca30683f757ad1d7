package uikit

// FileID is a file's identity: device and inode from a listing, and,
// where the system keeps it (Linux statx), the birth time in nanoseconds,
// which tells a new file from a deleted one whose inode it reused. A
// mark pins it, so another file made later at the same path is not the
// one marked. Zero fields are unknown (Windows gives none from a listing):
// such marks go by path and existence.
type FileID struct {
	dev, ino uint64
	btime    int64
}

// Known reports whether there is an identity to compare.
func (f FileID) Known() bool { return f.ino != 0 || f.btime != 0 }

// Differs reports whether a and b are known to be different files.
func (f FileID) Differs(b FileID) bool {
	if f.ino != 0 && b.ino != 0 && (f.dev != b.dev || f.ino != b.ino) {
		return true
	}
	return f.btime != 0 && b.btime != 0 && f.btime != b.btime
}

// WithBirth is f with the birth time of now, when now is the same inode.
func (f FileID) WithBirth(now FileID) FileID {
	if f.btime == 0 && !f.Differs(now) {
		f.btime = now.btime
	}
	return f
}
