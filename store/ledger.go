package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Scope separates ledgers per target, endpoint and API key. The key itself
// is never stored: KeyFP is a fingerprint.
type Scope struct {
	// Target is the hosting target's registry name ("imgbb"); "" is
	// Filestack, so rows written before targets existed stay Filestack's.
	Target   string
	Endpoint string
	KeyFP    string
}

// Fingerprint derives a stable, non-reversible identifier of an API key.
func Fingerprint(apiKey string) string {
	h := sha256.Sum256([]byte("fsdeck key fingerprint v1\x00" + apiKey))
	return hex.EncodeToString(h[:8])
}

// Source says how a handle entered the ledger.
type Source string

// Sources.
const (
	SourceUpload    Source = "upload"
	SourceURL       Source = "url"
	SourceImport    Source = "import"
	SourceTransform Source = "transform"
)

// Entry is one remote file in the ledger.
type Entry struct {
	Handle      string
	Filename    string
	Size        int64
	Mimetype    string
	Uploaded    time.Time
	Added       time.Time
	Source      Source
	LocalPath   string
	SHA256      string
	Width       int
	Height      int
	StorePath   string
	Gone        bool
	RefreshedAt time.Time
	// URL is the service's main URL of the file; Filestack rows may leave
	// it empty (their CDN URL is computed from the handle).
	URL string
	// Links are the service's labelled extra URLs (copy-as), kept as JSON.
	Links []text.Link
	// Expires is when the service deletes the file (zero: never).
	Expires time.Time
}

// Ledger is the SQLite database of remote files and the upload journal.
// Several processes may open it at once (WAL, busy timeout, immediate
// write transactions).
type Ledger struct {
	db      *sql.DB
	path    string
	damaged *DamagedError
	version versionConn
	// localBase is the local server's current base URL (see SetLocalBase).
	localBase atomic.Value // func() string
}

// DamagedError says the ledger file is corrupt: found when it was opened
// (ReadOnly: it was then opened read-only) or by a later read.
type DamagedError struct {
	Path     string
	Err      error
	ReadOnly bool
}

func (e *DamagedError) Error() string {
	// The action first: a status line may cut the end off.
	if e.ReadOnly {
		return fmt.Sprintf("the ledger is damaged, read-only this session: quit and run `fsdeck doctor` to rebuild it (%s: %v)", e.Path, e.Err)
	}
	return fmt.Sprintf("the ledger is damaged: quit and run `fsdeck doctor` to back it up and rebuild it (%s: %v)", e.Path, e.Err)
}

func (e *DamagedError) Unwrap() error { return e.Err }

// errNotOK is a quick_check that found problems rather than failing.
var errNotOK = errors.New("database disk image is malformed")

// A ledger is created whole (see create), so a file at its path that is
// empty or holds no ledger schema is not a new ledger but one whose
// contents were lost (truncated, or overwritten by another program).
var (
	errEmptyFile = errors.New("the file is empty (0 bytes): what it held is gone")
	errNoSchema  = errors.New("the file holds no ledger tables")
)

// IsCorrupt reports whether err is SQLite finding a damaged file
// ("database disk image is malformed" or "file is not a database"), or a
// ledger file that is empty or holds no ledger schema.
func IsCorrupt(err error) bool {
	if errors.Is(err, errNotOK) || errors.Is(err, errEmptyFile) || errors.Is(err, errNoSchema) {
		return true
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff // primary code of an extended one
	return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
}

// isNotADB reports SQLite finding no database at all in the file.
func isNotADB(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB
}

// Open opens (creating and migrating) the ledger at path. Only a missing
// file is a new ledger, created whole (create). A damaged one, an empty
// file or one without the ledger's schema included, is opened read-only,
// so nothing writes further into it, and Damaged says why.
func Open(path string) (*Ledger, error) {
	if err := ensureDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := create(ctx, path); err != nil {
		return nil, fmt.Errorf("creating the ledger %s: %w", path, err)
	}
	err := checkNotEmpty(path)
	if err == nil {
		var db *sql.DB
		if db, err = openDB(path, false); err == nil {
			if err = quickCheck(ctx, db); err == nil {
				l := &Ledger{db: db, path: path}
				if err = l.migrate(ctx, false); err == nil {
					return l, nil
				}
			}
			db.Close()
		}
	}
	if !IsCorrupt(err) {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	ro, rerr := openDB(path, true)
	if rerr != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	return &Ledger{db: ro, path: path, damaged: &DamagedError{Path: path, Err: err, ReadOnly: true}}, nil
}

// check turns SQLite finding damage in a read into a DamagedError, whose
// message names the remedy (a bare "database disk image is malformed"
// does not).
func (l *Ledger) check(err error) error {
	var de *DamagedError
	if err == nil || errors.As(err, &de) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if l.damaged != nil {
		// Any read of a damaged ledger may fail for its damage, also
		// in ways SQLite does not call corrupt: an emptied file has no
		// tables ("no such table: files").
		return l.damaged
	}
	if !IsCorrupt(err) {
		return err
	}
	return &DamagedError{Path: l.path, Err: err}
}

// exec runs a write; a ledger opened read-only for damage refuses it with
// the reason (SQLite would only say "attempt to write a readonly database").
func (l *Ledger) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if l.damaged != nil {
		return nil, l.damaged
	}
	res, err := l.db.ExecContext(ctx, query, args...)
	return res, l.check(err)
}

// query runs a read, naming damage it finds.
func (l *Ledger) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := l.db.QueryContext(ctx, query, args...)
	return rows, l.check(err)
}

// openDB opens path; readOnly also refuses every write on the connection.
func openDB(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	pragmas := []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)"}
	if readOnly {
		pragmas = []string{"busy_timeout(10000)", "query_only(1)"}
		q.Set("mode", "ro")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening ledger %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	return db, nil
}

// quickCheck reads every page of the file (a ledger is small, so this is
// quick), so damage is found at start and not by a later write.
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var first string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if first == "" {
			// One line for a status bar, without SQLite's header line.
			first = strings.Join(strings.Fields(strings.ReplaceAll(msg, "*** in database main ***", "")), " ")
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if first != "ok" {
		return fmt.Errorf("%w: %s", errNotOK, first)
	}
	return nil
}

// Damaged is nil for a healthy ledger, else why it is open read-only.
func (l *Ledger) Damaged() *DamagedError { return l.damaged }

// Close closes the database.
func (l *Ledger) Close() error {
	l.closeVersion()
	return l.db.Close()
}

var migrations = []string{
	`CREATE TABLE files (
		endpoint TEXT NOT NULL, keyfp TEXT NOT NULL, handle TEXT NOT NULL,
		filename TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,
		mimetype TEXT NOT NULL DEFAULT '', uploaded_ms INTEGER NOT NULL DEFAULT 0,
		added_ms INTEGER NOT NULL, source TEXT NOT NULL DEFAULT 'upload',
		local_path TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL DEFAULT '',
		width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,
		store_path TEXT NOT NULL DEFAULT '', gone INTEGER NOT NULL DEFAULT 0,
		refreshed_ms INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (endpoint, keyfp, handle)
	);
	CREATE INDEX files_by_added ON files (endpoint, keyfp, added_ms DESC);
	CREATE INDEX files_by_sha ON files (endpoint, keyfp, sha256);
	CREATE TABLE journal (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		endpoint TEXT NOT NULL, keyfp TEXT NOT NULL,
		local_path TEXT NOT NULL, size INTEGER NOT NULL,
		session TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
	);
	CREATE INDEX journal_by_scope ON journal (endpoint, keyfp);`,
	`CREATE TABLE bookmarks (path TEXT PRIMARY KEY, added_ms INTEGER NOT NULL);`,
	`CREATE TABLE downloads (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		endpoint TEXT NOT NULL, keyfp TEXT NOT NULL,
		handle TEXT NOT NULL, dest TEXT NOT NULL, partial TEXT NOT NULL,
		etag TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,
		created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL
	);
	CREATE INDEX downloads_by_scope ON downloads (endpoint, keyfp);`,
	// Hosting targets: every table gains the target ("" = Filestack), and
	// files its URL, labelled links and expiry. The files key includes the
	// target, so SQLite needs the table rebuilt (the key cannot be altered).
	`CREATE TABLE files_v4 (
		target TEXT NOT NULL DEFAULT '',
		endpoint TEXT NOT NULL, keyfp TEXT NOT NULL, handle TEXT NOT NULL,
		filename TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,
		mimetype TEXT NOT NULL DEFAULT '', uploaded_ms INTEGER NOT NULL DEFAULT 0,
		added_ms INTEGER NOT NULL, source TEXT NOT NULL DEFAULT 'upload',
		local_path TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL DEFAULT '',
		width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,
		store_path TEXT NOT NULL DEFAULT '', gone INTEGER NOT NULL DEFAULT 0,
		refreshed_ms INTEGER NOT NULL DEFAULT 0,
		url TEXT NOT NULL DEFAULT '', links TEXT NOT NULL DEFAULT '',
		expires_ms INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (target, endpoint, keyfp, handle)
	);
	INSERT INTO files_v4 (endpoint, keyfp, ` + baseEntryCols + `)
		SELECT endpoint, keyfp, ` + baseEntryCols + ` FROM files;
	DROP TABLE files;
	ALTER TABLE files_v4 RENAME TO files;
	CREATE INDEX files_by_added ON files (target, endpoint, keyfp, added_ms DESC);
	CREATE INDEX files_by_sha ON files (target, endpoint, keyfp, sha256);
	ALTER TABLE journal ADD COLUMN target TEXT NOT NULL DEFAULT '';
	DROP INDEX journal_by_scope;
	CREATE INDEX journal_by_scope ON journal (target, endpoint, keyfp);
	ALTER TABLE downloads ADD COLUMN target TEXT NOT NULL DEFAULT '';
	DROP INDEX downloads_by_scope;
	CREATE INDEX downloads_by_scope ON downloads (target, endpoint, keyfp);`,
}

// migrate brings the schema up to date; fresh allows building it from
// nothing, which only create does: elsewhere a file without the schema is
// a ledger that lost it.
func (l *Ledger) migrate(ctx context.Context, fresh bool) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v == 0 && !fresh {
		return errNoSchema
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this fsdeck understands (%d); upgrade fsdeck", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return err
	}
	return tx.Commit()
}

// baseEntryCols are the files columns of schema 3 (before targets);
// entryCols adds what targets brought.
const (
	baseEntryCols = `handle, filename, size, mimetype, uploaded_ms, added_ms, source, local_path, sha256, width, height, store_path, gone, refreshed_ms`
	entryCols     = baseEntryCols + `, url, links, expires_ms`
)

// scopeWhere selects a scope's rows; scopeArgs are its arguments.
const scopeWhere = `target=? AND endpoint=? AND keyfp=?`

func (s Scope) args(more ...any) []any {
	return append([]any{s.Target, s.Endpoint, s.KeyFP}, more...)
}

// encodeLinks keeps links as JSON ("" for none).
func encodeLinks(ls []text.Link) string {
	if len(ls) == 0 {
		return ""
	}
	b, err := json.Marshal(ls)
	if err != nil {
		return ""
	}
	return string(b)
}

// Add inserts or updates an entry (by handle), keeping the first Added time.
func (l *Ledger) Add(ctx context.Context, s Scope, e Entry) error {
	if e.Added.IsZero() {
		e.Added = time.Now()
	}
	_, err := l.exec(ctx, `INSERT INTO files (target, endpoint, keyfp, `+entryCols+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT (target, endpoint, keyfp, handle) DO UPDATE SET
			filename=excluded.filename, size=excluded.size, mimetype=excluded.mimetype,
			uploaded_ms=excluded.uploaded_ms, local_path=CASE WHEN excluded.local_path <> '' THEN excluded.local_path ELSE local_path END,
			sha256=CASE WHEN excluded.sha256 <> '' THEN excluded.sha256 ELSE sha256 END,
			width=excluded.width, height=excluded.height, store_path=excluded.store_path,
			gone=excluded.gone, refreshed_ms=excluded.refreshed_ms,
			url=CASE WHEN excluded.url <> '' THEN excluded.url ELSE url END,
			links=CASE WHEN excluded.links <> '' THEN excluded.links ELSE links END,
			expires_ms=excluded.expires_ms`,
		s.args(e.Handle, e.Filename, e.Size, e.Mimetype, ms(e.Uploaded), ms(e.Added), string(e.Source),
			e.LocalPath, e.SHA256, e.Width, e.Height, e.StorePath, e.Gone, ms(e.RefreshedAt),
			e.URL, encodeLinks(e.Links), ms(e.Expires))...)
	return err
}

// Refresh writes what a server reported about an entry that is still in
// the ledger and reports whether it was. Unlike Add it never inserts: a
// refresh that races a delete (another fsdeck's `rm`) must not bring the
// row back. Where the file was uploaded from and its hash stay as they are.
func (l *Ledger) Refresh(ctx context.Context, s Scope, e Entry) (bool, error) {
	res, err := l.exec(ctx, `UPDATE files SET filename=?4, size=?5, mimetype=?6, uploaded_ms=?7,
			width=?8, height=?9, store_path=?10, gone=?11, refreshed_ms=?12,
			url=CASE WHEN ?13 <> '' THEN ?13 ELSE url END,
			links=CASE WHEN ?14 <> '' THEN ?14 ELSE links END, expires_ms=?15
		WHERE target=?1 AND endpoint=?2 AND keyfp=?3 AND handle=?16`,
		s.args(e.Filename, e.Size, e.Mimetype, ms(e.Uploaded), e.Width, e.Height, e.StorePath, e.Gone,
			ms(e.RefreshedAt), e.URL, encodeLinks(e.Links), ms(e.Expires), e.Handle)...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

// List returns the scope's entries, newest first.
func (l *Ledger) List(ctx context.Context, s Scope) ([]Entry, error) {
	return collect(l.selectEntries(ctx, s, "", "added_ms DESC, handle"))
}

func scanEntry(r interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var up, added, refreshed, expires int64
	var src, links string
	err := r.Scan(&e.Handle, &e.Filename, &e.Size, &e.Mimetype, &up, &added, &src, &e.LocalPath, &e.SHA256,
		&e.Width, &e.Height, &e.StorePath, &e.Gone, &refreshed, &e.URL, &links, &expires)
	e.Uploaded, e.Added, e.RefreshedAt, e.Source = fromMS(up), fromMS(added), fromMS(refreshed), Source(src)
	e.Expires = fromMS(expires)
	if links != "" {
		// A garbled value loses only the extra links, never the row.
		_ = json.Unmarshal([]byte(links), &e.Links)
	}
	return e, err
}

// Get returns one entry.
func (l *Ledger) Get(ctx context.Context, s Scope, handle string) (Entry, error) {
	row := l.db.QueryRowContext(ctx, `SELECT `+entryCols+` FROM files WHERE `+scopeWhere+` AND handle=?`,
		s.args(handle)...)
	e, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	return l.current(s, e), l.check(err)
}

// ErrNotFound means the handle is not in the ledger.
var ErrNotFound = errors.New("not in the ledger")

// Remove deletes entries from the ledger (not from Filestack).
func (l *Ledger) Remove(ctx context.Context, s Scope, handles ...string) error {
	if len(handles) == 0 {
		return nil
	}
	args := s.args()
	for _, h := range handles {
		args = append(args, h)
	}
	_, err := l.exec(ctx, `DELETE FROM files WHERE `+scopeWhere+` AND handle IN (?`+
		strings.Repeat(",?", len(handles)-1)+`)`, args...)
	return err
}

// FindBySHA256 returns entries whose content hash matches (to tell a person
// a local file is already uploaded).
func (l *Ledger) FindBySHA256(ctx context.Context, s Scope, sum string) ([]Entry, error) {
	return collect(l.selectEntries(ctx, s, " AND sha256=? AND gone=0", "", sum))
}
