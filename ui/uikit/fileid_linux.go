package uikit

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// LstatID is the identity of the file at path itself (a link, not what
// it points to), with its birth time where the file system keeps one:
// ext4 hands a deleted file's inode to the next file made, so an inode
// alone cannot tell them apart. err is like Lstat's.
func LstatID(path string) (FileID, error) {
	var sx unix.Statx_t
	err := unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_INO|unix.STATX_BTIME, &sx)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
		// No statx (old kernels, some sandboxes): device and inode.
		fi, lerr := os.Lstat(path)
		if lerr != nil {
			return FileID{}, lerr
		}
		return FileIDOf(fi), nil
	}
	if err != nil {
		return FileID{}, &os.PathError{Op: "statx", Path: path, Err: err}
	}
	id := FileID{dev: unix.Mkdev(sx.Dev_major, sx.Dev_minor), ino: sx.Ino}
	if sx.Mask&unix.STATX_BTIME != 0 {
		id.btime = sx.Btime.Sec*1e9 + int64(sx.Btime.Nsec)
	}
	return id, nil
}
