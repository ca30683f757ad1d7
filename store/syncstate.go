package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// SyncState is what `fsdeck sync` remembers of one directory synced to
// one target (its scope): each file it uploaded, by its path below the
// directory, with the size, modification time and SHA-256 it had then, so
// an unchanged file costs a stat and no request; and the uploads of
// earlier versions it replaced, which only --delete removes. Nothing else
// on the target is ever touched by sync.
//
// It is a small SQLite database of its own per directory and target (not
// a table of the ledger: the ledger is shared by every fsdeck at once and
// checked whole at start, while a sync state is one command's, can hold
// hundreds of thousands of rows, and is locked for the whole sync). Files
// are looked up one at a time, so memory stays flat in their number;
// changes are kept in memory and written in one transaction every
// syncBatch changes or syncFlushEvery, and at Flush/Close. A sync killed
// outright loses at most that last batch: those files look new or
// changed to the next sync, which reads them, finds the same SHA-256 on a
// recorded one or uploads it again — nothing is reported that did not
// happen, at worst a file is sent twice.
//
// Its methods may be called from several goroutines.
type SyncState struct {
	Dir   string
	Scope Scope

	path string
	lock *flock.Flock
	db   *sql.DB
	get  *sql.Stmt

	mu sync.Mutex
	// puts are the files written since the last flush (a zero Handle
	// with del: removed); seen the paths met since then; replaced the
	// replaced uploads added; dropped the replaced handles removed.
	puts     map[string]pendingFile
	seen     []string
	replaced []SyncFile
	dropped  []string
	timer    *time.Timer
	err      error // of a flush the timer ran
}

type pendingFile struct {
	f   SyncFile
	del bool
}

// SyncFile is one uploaded file of a SyncState.
type SyncFile struct {
	Rel       string `json:"rel,omitempty"` // in Replaced only
	Size      int64  `json:"size"`
	ModTimeNS int64  `json:"mtime_ns"`
	SHA256    string `json:"sha256"`
	Handle    string `json:"handle"`
	StorePath string `json:"store_path,omitempty"`
	// ID orders the replaced uploads (0 elsewhere).
	ID int64 `json:"-"`
}

// ErrSyncBusy means another fsdeck is syncing the same directory to the
// same target right now.
var ErrSyncBusy = errors.New("another fsdeck sync of this directory to this target is running")

const (
	// syncStateVersion is the layout written; another is refused rather
	// than read wrongly.
	syncStateVersion = 2
	// jsonSyncStateVersion is the layout of the JSON states before.
	jsonSyncStateVersion = 1
	syncBatch            = 256
	syncFlushEvery       = time.Second
)

// SyncStateFile is where the state of dir synced to scope is kept: one
// database per pair under sync/ in the data directory, named by a hash of
// both (the directory's path and the scope are in it).
func (p Paths) SyncStateFile(dir string, scope Scope) string {
	return p.syncStateBase(dir, scope) + ".db"
}

func (p Paths) syncStateBase(dir string, scope Scope) string {
	h := sha256.Sum256([]byte(scope.Target + "\x00" + scope.Endpoint + "\x00" + scope.KeyFP + "\x00" + dir))
	return filepath.Join(p.Data, "sync", hex.EncodeToString(h[:16]))
}

// jsonSyncStatePath is where the same state was kept as one JSON file.
func jsonSyncStatePath(path string) string {
	return path[:len(path)-len(filepath.Ext(path))] + ".json"
}

const syncSchema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
	path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
	sha256 TEXT NOT NULL, handle TEXT NOT NULL, store_path TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replaced (
	id INTEGER PRIMARY KEY AUTOINCREMENT, rel TEXT NOT NULL, size INTEGER NOT NULL,
	mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, handle TEXT NOT NULL, store_path TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS seen (path TEXT PRIMARY KEY) WITHOUT ROWID;
`

// OpenSyncState opens (or creates) the state at path for dir and scope,
// holding it until Close: a second sync of the same pair is refused
// (ErrSyncBusy) rather than interleaved. A JSON state of an earlier
// fsdeck beside it is read into it once, then removed.
func OpenSyncState(path, dir string, scope Scope) (st *SyncState, err error) {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	lock := flock.New(path + ".lock")
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("locking the sync state %s: %w", path, err)
	}
	if !ok {
		return nil, ErrSyncBusy
	}
	defer func() {
		if err != nil {
			lock.Unlock()
		}
	}()
	// Owner only: SQLite gives its -wal and -shm files the mode of this.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: the seen table is a temporary one, which only the
	// connection that made it sees.
	db.SetMaxOpenConns(1)
	st = &SyncState{Dir: dir, Scope: scope, path: path, lock: lock, db: db, puts: map[string]pendingFile{}}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	damaged := func(err error) error { return fmt.Errorf("the sync state %s is damaged (%v)", path, err) }
	if _, err := db.Exec(syncSchema); err != nil {
		return nil, damaged(err)
	}
	if err := st.checkMeta(); err != nil {
		return nil, err
	}
	if err := st.migrateJSON(jsonSyncStatePath(path)); err != nil {
		return nil, err
	}
	if st.get, err = db.Prepare("SELECT size, mtime_ns, sha256, handle, store_path FROM files WHERE path = ?"); err != nil {
		return nil, damaged(err)
	}
	return st, nil
}

// checkMeta writes the version, directory and scope of a new state and
// refuses a state of another.
func (st *SyncState) checkMeta() error {
	want := map[string]string{"version": strconv.Itoa(syncStateVersion), "dir": st.Dir,
		"target": st.Scope.Target, "endpoint": st.Scope.Endpoint, "key_fp": st.Scope.KeyFP}
	tx, err := st.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range want {
		var got string
		err := tx.QueryRow("SELECT value FROM meta WHERE key = ?", k).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.Exec("INSERT INTO meta (key, value) VALUES (?, ?)", k, v)
		} else if err == nil && got != v {
			return fmt.Errorf("the sync state %s is of another version, directory or target", st.path)
		}
		if err != nil {
			return fmt.Errorf("the sync state %s is damaged (%v)", st.path, err)
		}
	}
	return tx.Commit()
}

// migrateJSON reads the JSON state at jpath, if any, into the database
// in one transaction, and then removes it. Were it left by a crash
// between the two, the next open finds the migration recorded and only
// removes it.
func (st *SyncState) migrateJSON(jpath string) error {
	b, err := os.ReadFile(jpath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var done string
	if st.db.QueryRow("SELECT value FROM meta WHERE key = 'migrated'").Scan(&done); done != "" {
		return os.Remove(jpath)
	}
	var old struct {
		Version  int                 `json:"version"`
		Dir      string              `json:"dir"`
		Scope    Scope               `json:"scope"`
		Files    map[string]SyncFile `json:"files"`
		Replaced []SyncFile          `json:"replaced"`
	}
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("the sync state %s is damaged (%v)", jpath, err)
	}
	if old.Version != jsonSyncStateVersion || old.Dir != st.Dir || old.Scope != st.Scope {
		return fmt.Errorf("the sync state %s is of another version, directory or target", jpath)
	}
	tx, err := st.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for rel, f := range old.Files {
		if err := putFile(tx, rel, f); err != nil {
			return err
		}
	}
	for _, f := range old.Replaced {
		if err := addReplaced(tx, f); err != nil {
			return err
		}
	}
	if _, err := tx.Exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated', ?)", time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrating the sync state %s: %w", jpath, err)
	}
	return os.Remove(jpath)
}

func putFile(tx *sql.Tx, rel string, f SyncFile) error {
	_, err := tx.Exec("INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256, handle, store_path) VALUES (?, ?, ?, ?, ?, ?)",
		rel, f.Size, f.ModTimeNS, f.SHA256, f.Handle, f.StorePath)
	return err
}

func addReplaced(tx *sql.Tx, f SyncFile) error {
	_, err := tx.Exec("INSERT INTO replaced (rel, size, mtime_ns, sha256, handle, store_path) VALUES (?, ?, ?, ?, ?, ?)",
		f.Rel, f.Size, f.ModTimeNS, f.SHA256, f.Handle, f.StorePath)
	return err
}

// Get is the file recorded at rel.
func (st *SyncState) Get(rel string) (SyncFile, bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if p, ok := st.puts[rel]; ok {
		return p.f, !p.del, nil
	}
	var f SyncFile
	err := st.get.QueryRow(rel).Scan(&f.Size, &f.ModTimeNS, &f.SHA256, &f.Handle, &f.StorePath)
	if errors.Is(err, sql.ErrNoRows) {
		return SyncFile{}, false, nil
	}
	if err != nil {
		return SyncFile{}, false, fmt.Errorf("reading the sync state %s: %w", st.path, err)
	}
	return f, true, nil
}

// Put records f at rel.
func (st *SyncState) Put(rel string, f SyncFile) error {
	f.Rel, f.ID = "", 0
	return st.change(func() { st.puts[rel] = pendingFile{f: f} })
}

// Delete forgets the file at rel.
func (st *SyncState) Delete(rel string) error {
	return st.change(func() { st.puts[rel] = pendingFile{del: true} })
}

// Seen notes that rel is in the directory now; Gone lists the recorded
// files not seen since Open.
func (st *SyncState) Seen(rel string) error {
	return st.change(func() { st.seen = append(st.seen, rel) })
}

// AddReplaced records the upload of a version a later one replaced (Rel
// its path).
func (st *SyncState) AddReplaced(f SyncFile) error {
	return st.change(func() { st.replaced = append(st.replaced, f) })
}

// DropReplaced forgets the replaced upload of handle.
func (st *SyncState) DropReplaced(handle string) error {
	return st.change(func() { st.dropped = append(st.dropped, handle) })
}

// change applies do to the pending changes and writes them once there
// are syncBatch of them, or a second after the first.
func (st *SyncState) change(do func()) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	do()
	if n := len(st.puts) + len(st.seen) + len(st.replaced) + len(st.dropped); n >= syncBatch {
		return st.flushLocked()
	}
	if st.timer == nil {
		st.timer = time.AfterFunc(syncFlushEvery, func() {
			st.mu.Lock()
			defer st.mu.Unlock()
			st.timer = nil
			if err := st.flushLocked(); err != nil && st.err == nil {
				st.err = err
			}
		})
	}
	return nil
}

// Flush writes the pending changes now.
func (st *SyncState) Flush() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	err := st.flushLocked()
	if st.err != nil {
		err, st.err = errors.Join(st.err, err), nil
	}
	return err
}

func (st *SyncState) flushLocked() (err error) {
	if st.timer != nil {
		st.timer.Stop()
		st.timer = nil
	}
	if len(st.puts)+len(st.seen)+len(st.replaced)+len(st.dropped) == 0 || st.db == nil {
		return nil
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("saving the sync state %s: %w", st.path, err)
		}
	}()
	tx, err := st.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for rel, p := range st.puts {
		if p.del {
			_, err = tx.Exec("DELETE FROM files WHERE path = ?", rel)
		} else {
			err = putFile(tx, rel, p.f)
		}
		if err != nil {
			return err
		}
	}
	for _, rel := range st.seen {
		if _, err := tx.Exec("INSERT OR IGNORE INTO temp.seen (path) VALUES (?)", rel); err != nil {
			return err
		}
	}
	for _, f := range st.replaced {
		if err := addReplaced(tx, f); err != nil {
			return err
		}
	}
	for _, h := range st.dropped {
		if _, err := tx.Exec("DELETE FROM replaced WHERE handle = ?", h); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	clear(st.puts)
	st.seen, st.replaced, st.dropped = st.seen[:0], nil, nil
	return nil
}

// Gone lists, by path, the recorded files not Seen since Open (written
// first).
func (st *SyncState) Gone() ([]SyncFile, error) {
	if err := st.Flush(); err != nil {
		return nil, err
	}
	return st.list("SELECT path, size, mtime_ns, sha256, handle, store_path, 0 FROM files WHERE path NOT IN (SELECT path FROM temp.seen) ORDER BY path")
}

// LastReplaced is the ID of the latest replaced upload recorded (0:
// none); Replaced(id) lists those up to it, oldest first.
func (st *SyncState) LastReplaced() (int64, error) {
	if err := st.Flush(); err != nil {
		return 0, err
	}
	var id sql.NullInt64
	if err := st.db.QueryRow("SELECT MAX(id) FROM replaced").Scan(&id); err != nil {
		return 0, fmt.Errorf("reading the sync state %s: %w", st.path, err)
	}
	return id.Int64, nil
}

// Replaced lists the replaced uploads recorded up to id, oldest first.
func (st *SyncState) Replaced(id int64) ([]SyncFile, error) {
	if err := st.Flush(); err != nil {
		return nil, err
	}
	return st.list("SELECT rel, size, mtime_ns, sha256, handle, store_path, id FROM replaced WHERE id <= ? ORDER BY id", id)
}

func (st *SyncState) list(query string, args ...any) ([]SyncFile, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rows, err := st.db.Query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the sync state %s: %w", st.path, err)
	}
	defer rows.Close()
	var out []SyncFile
	for rows.Next() {
		var f SyncFile
		if err := rows.Scan(&f.Rel, &f.Size, &f.ModTimeNS, &f.SHA256, &f.Handle, &f.StorePath, &f.ID); err != nil {
			return nil, fmt.Errorf("reading the sync state %s: %w", st.path, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the sync state %s: %w", st.path, err)
	}
	return out, nil
}

// Close writes what is pending and releases the state.
func (st *SyncState) Close() error {
	err := st.Flush()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.db == nil {
		return err
	}
	if st.get != nil {
		st.get.Close()
	}
	err = errors.Join(err, st.db.Close())
	st.db = nil
	st.lock.Unlock()
	return err
}
