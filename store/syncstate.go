package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SyncState is what `fsdeck sync` remembers of one directory synced to
// one target (its scope): each file it uploaded, by its path below the
// directory, with the size, modification time and SHA-256 it had then, so
// an unchanged file costs a stat and no request; and the uploads of
// earlier versions it replaced, which only --delete removes. Nothing else
// on the target is ever touched by sync.
type SyncState struct {
	Version int `json:"version"`
	// Dir is the synced directory (absolute) and Scope the target.
	Dir   string `json:"dir"`
	Scope Scope  `json:"scope"`
	// Files are by their slash-separated path below Dir.
	Files map[string]SyncFile `json:"files"`
	// Replaced are uploads of versions a later sync replaced, kept until
	// a sync with --delete removes them.
	Replaced []SyncFile `json:"replaced,omitempty"`
}

// SyncFile is one uploaded file of a SyncState.
type SyncFile struct {
	Rel       string `json:"rel,omitempty"` // in Replaced only
	Size      int64  `json:"size"`
	ModTimeNS int64  `json:"mtime_ns"`
	SHA256    string `json:"sha256"`
	Handle    string `json:"handle"`
	StorePath string `json:"store_path,omitempty"`
}

// syncStateVersion is the layout written; another is refused rather than
// read wrongly.
const syncStateVersion = 1

// SyncStateFile is where the state of dir synced to scope is kept: one
// file per pair under sync/ in the data directory, named by a hash of
// both (the directory's path is in the file).
func (p Paths) SyncStateFile(dir string, scope Scope) string {
	h := sha256.Sum256([]byte(scope.Target + "\x00" + scope.Endpoint + "\x00" + scope.KeyFP + "\x00" + dir))
	return filepath.Join(p.Data, "sync", hex.EncodeToString(h[:16])+".json")
}

// LoadSyncState reads the state at path; none saved yet is an empty
// state for dir and scope.
func LoadSyncState(path, dir string, scope Scope) (*SyncState, error) {
	st := &SyncState{Version: syncStateVersion, Dir: dir, Scope: scope, Files: map[string]SyncFile{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	var got SyncState
	if err := json.Unmarshal(b, &got); err != nil {
		return nil, fmt.Errorf("the sync state %s is damaged (%v)", path, err)
	}
	if got.Version != syncStateVersion || got.Dir != dir || got.Scope != scope {
		return nil, fmt.Errorf("the sync state %s is of another version, directory or target", path)
	}
	if got.Files == nil {
		got.Files = map[string]SyncFile{}
	}
	return &got, nil
}

// Save writes the state whole (a temporary file renamed into place, owner
// only), so a crash never leaves half a state.
func (st *SyncState) Save(path string) error {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sync-*.json")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
