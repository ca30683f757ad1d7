package emulator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/gofrs/flock"
)

// claimDataDir tells whether this server is the only one using the data
// directory and, if so, removes what killed processes left in tmp/: while
// a server runs it holds a shared lock on .tmp.lock, so getting the
// exclusive lock at start proves that no live server (and so no live
// upload or assembly) owns a temp file. The shared lock is then held until
// Close. A failure to lock at all (an unusual filesystem) cleans nothing.
func claimDataDir(root string) (lock *flock.Flock, alone bool) {
	lock = flock.New(filepath.Join(root, ".tmp.lock"))
	alone, err := lock.TryLock()
	if err != nil {
		return nil, false
	}
	if alone {
		dir := filepath.Join(root, "tmp")
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if !restoreReplaced(root, e.Name()) {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
		lock.Unlock()
	}
	// Another server starting in the gap may clean tmp/ too; this one has
	// no temp files yet, so that is harmless.
	if err := lock.RLock(); err != nil {
		return nil, alone
	}
	return lock, alone
}

// restoreReplaced puts back the old data of a replace that a crash
// interrupted after it moved that data aside (setAside, on a file system
// without hard links) and before the new data took its place: the file
// would be missing otherwise. It reports whether it did.
func restoreReplaced(root, name string) bool {
	rest, ok := strings.CutPrefix(name, replacedPrefix)
	if !ok || len(rest) < 20 || !transform.ValidHandle(rest[:20]) {
		return false
	}
	h, d := rest[:20], &diskStore{root: root}
	if _, err := os.Lstat(d.dataPath(h)); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	if _, err := os.Stat(d.metaPath(h)); err != nil {
		return false
	}
	return os.Rename(filepath.Join(root, "tmp", name), d.dataPath(h)) == nil
}
