package emulator

import (
	"os"
	"path/filepath"

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
			os.RemoveAll(filepath.Join(dir, e.Name()))
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
