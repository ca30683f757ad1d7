package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// create makes a new ledger at path when there is none. The schema is
// built in a temporary file beside it, which is then linked into place:
// path never names a file without the schema, whatever happens meanwhile
// (a crash, a full disk, another fsdeck creating it at the same moment).
// That is what lets Open treat an empty or schema-less file as damage
// rather than as a blank ledger to start over in.
func create(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there is a file (or a reason Open will report)
	}
	if err := setAsideOrphanWAL(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".new-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	defer removeDB(tmp)
	db, err := openDB(tmp, false)
	if err != nil {
		return err
	}
	err = (&Ledger{db: db, path: tmp}).migrate(ctx, true)
	// Closing the last connection checkpoints the WAL into the file and
	// removes it: the file alone is the whole ledger.
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		return err
	}
	return publish(tmp, path)
}

// publish gives tmp the name path unless path exists by now: a link fails
// rather than replace another fsdeck's new ledger (which then is the
// one). Where the file system has no hard links, a rename does, checked
// first; only a creator racing within that instant could be replaced,
// and its ledger was empty.
func publish(tmp, path string) error {
	err := os.Link(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		if _, serr := os.Lstat(path); serr == nil {
			return nil
		}
		if err = os.Rename(tmp, path); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

// setAsideOrphanWAL renames a write-ahead log left without its database
// (the ledger file was deleted while it had one): SQLite would otherwise
// replay its pages into the new ledger and damage it. The log is kept, as
// ledger.db-wal.orphan-TIME, not deleted.
func setAsideOrphanWAL(path string) error {
	wal := path + "-wal"
	if _, err := os.Lstat(wal); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	aside := fmt.Sprintf("%s.orphan-%s", wal, time.Now().UTC().Format("20060102T150405.000Z"))
	if err := os.Rename(wal, aside); err != nil {
		return fmt.Errorf("setting aside the write-ahead log of a missing ledger: %w", err)
	}
	os.Remove(path + "-shm")
	return nil
}

// checkNotEmpty refuses an empty ledger file: every ledger is created
// with its schema, so an empty one lost what it held. An empty file
// beside a write-ahead log that has content is left to SQLite, which
// reads the ledger from the log.
func checkNotEmpty(path string) error {
	info, err := os.Stat(path)
	if err != nil || info.Size() > 0 {
		return nil // Open reports what is wrong
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return nil
	}
	return errEmptyFile
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a new name in dir durable where the platform can (not
// on Windows, where a directory cannot be opened for syncing).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
