//go:build darwin

package fsops

import (
	"errors"
	"os"
	"path/filepath"
)

// put moves the item into ~/.Trash, which Finder shows as the Trash,
// under a free name. Finder's own "Put Back" needs its private metadata
// (AppleScript through osascript would set it but gives no path to undo
// from), so fsdeck's undo restores it instead. An item on another volume
// is refused rather than copied: delete it permanently instead.
func (t Trash) put(abs string) (Trashed, error) {
	home := t.getenv("HOME")
	if home == "" {
		return Trashed{}, errors.New("no home directory to find the Trash in")
	}
	dir := filepath.Join(home, ".Trash")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Trashed{}, err
	}
	name := filepath.Base(abs)
	stored := filepath.Join(dir, name)
	if _, err := os.Lstat(stored); err == nil {
		stored = filepath.Join(dir, FreeName(dir, name, nil))
	}
	if err := Rename(abs, stored); err != nil {
		if IsCrossDevice(err) {
			return Trashed{}, errors.New("it is on another volume than the Trash; delete permanently instead")
		}
		return Trashed{}, err
	}
	return Trashed{Original: abs, Stored: stored}, nil
}

func deviceOf(string) (uint64, error) { return 0, nil }
