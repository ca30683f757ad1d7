package fsops

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Trash puts files in the platform's trash: the freedesktop.org trash on
// Linux and the BSDs, ~/.Trash on macOS, the Recycle Bin on Windows.
//
// No maintained Go library fitted: github.com/Bios-Marcel/wastebasket/v2
// (the usual choice) is not served by the module proxy this project
// builds from, and the others need cgo or cover only one platform. The
// freedesktop spec is small and is implemented here in full for what a
// file manager needs: $XDG_DATA_HOME/Trash (default ~/.local/share/Trash)
// with files/ and info/*.trashinfo (URL-encoded Path, DeletionDate), a
// unique name per item, and for a file on another file system the volume's
// $topdir/.Trash/$uid (when .Trash is a real, sticky directory) or
// $topdir/.Trash-$uid, so nothing is copied across devices to trash it.
type Trash struct {
	getenv func(string) string
	now    func() time.Time
	// device says which file system a path is on (tests fake volumes).
	device func(path string) (uint64, error)
}

// NewTrash reads XDG_DATA_HOME and HOME through getenv (an empty
// environment when nil) and dates items with now (time.Now when nil).
func NewTrash(getenv func(string) string, now func() time.Time) Trash {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	if now == nil {
		now = time.Now
	}
	return Trash{getenv: getenv, now: now, device: deviceOf}
}

// Trashed is one item in the trash and what restoring it needs.
type Trashed struct {
	// Original is where the item was.
	Original string
	// Stored is where it is now ("" when the platform keeps it out of
	// fsdeck's reach, as the Windows Recycle Bin does).
	Stored string
	// Info is its .trashinfo file (freedesktop only).
	Info string
}

// ErrNotRestorable says an item went to a trash fsdeck cannot take it
// back from (restore it with the system's own tool).
var ErrNotRestorable = errors.New("this trash cannot be restored from fsdeck; use the system's")

// Put moves path (a link as a link) into the trash.
func (t Trash) Put(path string) (Trashed, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Trashed{}, err
	}
	if _, err := os.Lstat(abs); err != nil {
		return Trashed{}, err
	}
	return t.put(abs)
}

// Restore puts a trashed item back where it was. It refuses when
// something now exists there, and never replaces it.
func (t Trash) Restore(x Trashed) error {
	if x.Stored == "" {
		return ErrNotRestorable
	}
	if _, err := os.Lstat(x.Original); err == nil {
		return fmt.Errorf("%w: something now exists at the original place", ErrExists)
	}
	if _, err := os.Lstat(x.Stored); err != nil {
		return fmt.Errorf("it is no longer in the trash: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(x.Original), 0o777); err != nil {
		return err
	}
	if err := Rename(x.Stored, x.Original); err != nil {
		return err
	}
	if x.Info != "" {
		os.Remove(x.Info)
	}
	return nil
}
