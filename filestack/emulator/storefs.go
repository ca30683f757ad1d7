package emulator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// The data directory is not always what the store expects: its folders
// may be cleaned by hand while the server runs, its file system may have
// no hard links, its disk may fail. These helpers keep the store working,
// or failing without losing data, when it is not.

// inDir runs op, which creates or moves a file into dir; when op fails
// because dir itself is gone, it recreates dir and runs op once more.
// The directories of the data dir are made at start, but someone may
// clean the data dir while the server runs (rm -rf files/*/): without
// this every later upload would fail until a restart.
func inDir(dir string, op func() error) error {
	err := op()
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if _, serr := os.Stat(dir); !errors.Is(serr, fs.ErrNotExist) {
		return err // something else is missing (the source): nothing to recreate
	}
	if merr := os.MkdirAll(dir, 0o700); merr != nil {
		return merr
	}
	return op()
}

// diskError is a failure of the server's own storage, an internal error
// whatever the request was.
type diskError struct{ err error }

func (e diskError) Error() string { return e.err.Error() }
func (e diskError) Unwrap() error { return e.err }

// diskWriter writes its file through the store (making room when the
// disk is full) and marks write errors as diskError.
type diskWriter struct {
	f *os.File
	d *diskStore
}

func (w diskWriter) Write(p []byte) (int, error) { return w.d.write(w.f, p, -1) }

// setAside gives a file's current data a second name in tmp/ (the same
// file system), so that a replace that fails can put it back. It is a
// hard link where the file system has them; where it has not (FAT, some
// network file systems) the data is moved there instead (moved), and
// the caller must put it back itself: readers wait on pub meanwhile, so
// none finds the file missing, and claimDataDir puts it back after a
// crash. When neither works, the replace must not go on: without a
// second name a failure after the rename would lose the old data.
func (d *diskStore) setAside(handle string) (backup string, moved bool, err error) {
	tmp := filepath.Join(d.root, "tmp")
	backup = filepath.Join(tmp, replacedPrefix+handle+"-"+RandomToken(6))
	link := d.link
	if link == nil {
		link = os.Link
	}
	if inDir(tmp, func() error { return link(d.dataPath(handle), backup) }) == nil {
		return backup, false, nil
	}
	if err := os.Rename(d.dataPath(handle), backup); err != nil {
		return "", false, err
	}
	return backup, true, nil
}

// replacedPrefix names the old data of a replace in progress in tmp/.
const replacedPrefix = "replaced-"
