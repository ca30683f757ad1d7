package hosts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultDiskQuota is what the emulators mounted together (builtin.Mount)
// may keep on disk, all services together: 2 GiB. The real services have
// far larger per-account limits; this one protects the disk of the
// machine running fsdeck, so an upload past it is refused, never made
// room for by deleting older files.
const DefaultDiskQuota = 2 << 30

// Errors of Store.Receive; emulators answer them with their service's own
// "too large" or storage-full reply.
var (
	// ErrStoreQuota: the upload does not fit the shared disk quota.
	ErrStoreQuota = errors.New("hosts: emulator disk quota reached")
	// ErrStoreTooLarge: the upload is over the per-file limit given.
	ErrStoreTooLarge = errors.New("hosts: file over the emulator's size limit")
)

// Quota is a disk byte quota shared by the mounted emulators. It refuses
// what does not fit and never evicts: a stored file stays until its owner
// deletes it or it expires. It is safe for concurrent use.
type Quota struct {
	mu    sync.Mutex
	limit int64
	used  int64
}

// NewQuota returns a quota of limit bytes (0 or less: DefaultDiskQuota).
func NewQuota(limit int64) *Quota {
	if limit <= 0 {
		limit = DefaultDiskQuota
	}
	return &Quota{limit: limit}
}

// Limit is the quota's size in bytes.
func (q *Quota) Limit() int64 { return q.limit }

// Used is the bytes counted now (stored files and uploads in progress).
func (q *Quota) Used() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.used
}

// reserve counts n more bytes, or reports false (counting nothing) when
// they do not fit.
func (q *Quota) reserve(n int64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.used+n > q.limit {
		return false
	}
	q.used += n
	return true
}

// count adds bytes already on disk (found at start), even past the limit:
// they are the user's and are kept; new uploads are refused until there
// is room.
func (q *Quota) count(n int64) {
	q.mu.Lock()
	q.used += n
	q.mu.Unlock()
}

func (q *Quota) release(n int64) {
	q.mu.Lock()
	q.used = max(0, q.used-n)
	q.mu.Unlock()
}

// EmulatorSetup is what an emulator is built from when mounted.
type EmulatorSetup struct {
	// Prefix is the path it is mounted under (e.g. "/imgbb").
	Prefix string
	// Keys are the keys it accepts.
	Keys []string
	// Dir is the emulator's own directory, where it keeps stored files
	// and its state (builtin.Mount: <data>/hosts/<name>).
	Dir string
	// Quota is the disk quota shared with the other mounted emulators
	// (nil: a DefaultDiskQuota of its own).
	Quota *Quota
	// Memory bounds request bodies buffered in memory, shared with the
	// other mounted emulators (nil: each request's own cap only).
	Memory *Memory
	// Log receives what goes wrong with the stored state (nil discards).
	Log *slog.Logger
}

// Store is one emulator's files on disk: the bytes under files/ (one file
// per stored item, named by the emulator's id), uploads in progress under
// tmp/, and the emulator's state (names, owners, expiry…) as one JSON
// file written atomically. Bytes are streamed to a temp file and renamed
// into place, and the state is rewritten (temp file, fsync, rename) after
// every change, so a crash leaves the old state or the new, never a mix.
type Store struct {
	dir   string
	quota *Quota
	log   *slog.Logger
	// clean is set when the state file loaded (or there was none and no
	// files): only then are files the state does not name deleted.
	clean bool
}

// OpenStore prepares dir for an emulator. A directory it cannot create is
// logged, and every upload then fails (the emulator still answers).
func OpenStore(setup EmulatorSetup) *Store {
	s := &Store{dir: setup.Dir, quota: setup.Quota, log: setup.Log}
	if s.quota == nil {
		s.quota = NewQuota(0)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.dir == "" {
		s.log.Error("hosting emulator has no data directory; uploads will fail", "prefix", setup.Prefix)
		return s
	}
	for _, d := range []string{s.dir, filepath.Join(s.dir, "files"), filepath.Join(s.dir, "tmp")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			s.log.Error("hosting emulator cannot create its directory; uploads will fail", "dir", d, "err", err)
		}
	}
	s.cleanTmp()
	return s
}

// cleanTmp removes uploads a killed process left in tmp/. Only old ones:
// another server on the same directory may be writing a fresh one.
func (s *Store) cleanTmp() {
	dir := filepath.Join(s.dir, "tmp")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func (s *Store) statePath() string { return filepath.Join(s.dir, "state.json") }

// Load reads the state into v. A missing file is a fresh start (nil),
// unless stored files are there (then it is logged like a corrupt one).
// An unreadable or corrupt one is logged, set aside as
// state.json.corrupt-<time> for the user, and reported; the caller
// starts from what Reconcile recovers, and the stored bytes are kept.
func (s *Store) Load(v any) error {
	if s.dir == "" {
		return nil
	}
	b, err := os.ReadFile(s.statePath())
	if errors.Is(err, os.ErrNotExist) {
		if ents, _ := os.ReadDir(filepath.Join(s.dir, "files")); len(ents) > 0 {
			s.log.Error("hosting emulator state is missing; stored files kept and served by their links where the service allows",
				"state", s.statePath(), "files", len(ents))
			return fmt.Errorf("%s: %w", s.statePath(), err)
		}
		s.clean = true
		return nil
	}
	if err == nil {
		if err = json.Unmarshal(b, v); err == nil {
			s.clean = true
			return nil
		}
	}
	aside := s.statePath() + ".corrupt-" + time.Now().UTC().Format("20060102T150405")
	if rerr := os.Rename(s.statePath(), aside); rerr == nil {
		s.log.Error("hosting emulator state is unreadable; stored files kept and served by their links where the service allows, the old state saved aside",
			"state", aside, "err", err)
	} else {
		s.log.Error("hosting emulator state is unreadable; stored files kept and served by their links where the service allows",
			"state", s.statePath(), "err", err)
	}
	return fmt.Errorf("%s: %w", s.statePath(), err)
}

// Save writes v as the state: a temp file, fsync, rename.
func (s *Store) Save(v any) error {
	if s.dir == "" {
		return errors.New("hosts: emulator has no data directory")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "state-")
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.statePath())
	}
	if err != nil {
		os.Remove(f.Name())
		s.log.Error("hosting emulator cannot save its state", "state", s.statePath(), "err", err)
	}
	return err
}

// Reconcile counts the stored files against the quota and returns the
// size of each file the state names (known). Files it does not name are
// an upload whose state write a crash cut short (so never acknowledged)
// when the state loaded cleanly, and are deleted; after a missing or
// corrupt state they are the user's only copy, so they are kept, counted
// and returned as recovered for the emulator to serve what it can. Ids
// whose file is missing are absent from both; the caller drops them.
func (s *Store) Reconcile(known map[string]bool) (sizes, recovered map[string]int64) {
	sizes, recovered = map[string]int64{}, map[string]int64{}
	if s.dir == "" {
		return sizes, recovered
	}
	ents, err := os.ReadDir(filepath.Join(s.dir, "files"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Error("hosting emulator cannot list its files", "dir", s.dir, "err", err)
	}
	for _, e := range ents {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		switch {
		case known[e.Name()]:
			sizes[e.Name()] = info.Size()
		case s.clean:
			os.Remove(filepath.Join(s.dir, "files", e.Name()))
			continue
		default:
			recovered[e.Name()] = info.Size()
		}
		s.quota.count(info.Size())
	}
	for id := range known {
		if _, ok := sizes[id]; !ok {
			s.log.Error("hosting emulator lost a stored file; its entry is dropped", "dir", s.dir, "id", id)
		}
	}
	return sizes, recovered
}

// Head is the start of a stored file (up to SniffLen bytes), for typing a
// recovered file.
func (s *Store) Head(id string) []byte {
	f, err := s.Open(id)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, SniffLen)
	n, _ := io.ReadFull(f, b)
	return b[:n]
}

// Pending is an upload written to tmp/ and counted in the quota, waiting
// for Keep (rename into files/) or Discard.
type Pending struct {
	s    *Store
	path string
	// Size is the bytes written; Head their start (up to SniffLen).
	Size int64
	Head []byte
}

// Receive streams r into a temp file, counting each chunk in the quota as
// it is written: past max bytes (when max > 0) it stops with
// ErrStoreTooLarge, past the quota with ErrStoreQuota, and the partial
// file is removed. Nothing is held in memory but a copy buffer.
func (s *Store) Receive(r io.Reader, max int64) (*Pending, error) {
	if s.dir == "" {
		return nil, errors.New("hosts: emulator has no data directory")
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "up-")
	if err != nil {
		s.log.Error("hosting emulator cannot write an upload", "dir", s.dir, "err", err)
		return nil, err
	}
	p := &Pending{s: s, path: f.Name()}
	w := &quotaWriter{f: f, q: s.quota, max: max, p: p}
	_, err = io.Copy(w, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		p.Discard()
		return nil, err
	}
	return p, nil
}

type quotaWriter struct {
	f   *os.File
	q   *Quota
	max int64
	p   *Pending
}

func (w *quotaWriter) Write(b []byte) (int, error) {
	n := int64(len(b))
	if w.max > 0 && w.p.Size+n > w.max {
		return 0, ErrStoreTooLarge
	}
	if !w.q.reserve(n) {
		return 0, ErrStoreQuota
	}
	m, err := w.f.Write(b)
	w.p.Size += int64(m)
	w.q.release(n - int64(m))
	if room := SniffLen - len(w.p.Head); room > 0 {
		w.p.Head = append(w.p.Head, b[:min(room, m)]...)
	}
	return m, err
}

// Keep moves the upload into files/ under id (which must be a plain name
// the emulator made, never user input).
func (p *Pending) Keep(id string) error {
	if err := os.Rename(p.path, p.s.file(id)); err != nil {
		p.Discard()
		return err
	}
	p.path = ""
	return nil
}

// Discard removes the upload and gives its bytes back to the quota. It is
// safe after Keep (nothing happens) and more than once.
func (p *Pending) Discard() {
	if p == nil || p.path == "" {
		return
	}
	os.Remove(p.path)
	p.path = ""
	p.s.quota.release(p.Size)
}

func (s *Store) file(id string) string { return filepath.Join(s.dir, "files", id) }

// Serve answers r with a stored file (HEAD and ranges included), or 404
// when it is gone from disk.
func (s *Store) Serve(w http.ResponseWriter, r *http.Request, id, mime string) {
	f, err := s.Open(id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime)
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// Open opens a stored file for reading.
func (s *Store) Open(id string) (*os.File, error) { return os.Open(s.file(id)) }

// Remove deletes a stored file of size bytes, and what was derived from
// it, and gives the bytes back to the quota.
func (s *Store) Remove(id string, size int64) {
	if err := os.Remove(s.file(id)); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Error("hosting emulator cannot delete a stored file", "dir", s.dir, "id", id, "err", err)
		return
	}
	s.quota.release(size)
	derived, _ := filepath.Glob(filepath.Join(s.dir, "derived", id+".*"))
	for _, d := range derived {
		os.Remove(d)
	}
}

// Derived is where something made from stored file id (a resized image)
// is cached: derived/ID.KIND. Such files are small, rebuilt on demand,
// deleted with the file, and not counted in the quota. id and kind are
// names the emulator made, never user input.
func (s *Store) Derived(id, kind string) string {
	return filepath.Join(s.dir, "derived", id+"."+kind)
}

// WriteDerived writes what write produces to Derived(id, kind), via a temp
// file and a rename, so a reader never sees half of it.
func (s *Store) WriteDerived(id, kind string, write func(io.Writer) error) (string, error) {
	dst := s.Derived(id, kind)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "derived-")
	if err != nil {
		return "", err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), dst)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return dst, nil
}

// Owner is how a state file names the key or token that owns an item: its
// SHA-256, so keys never sit in the emulators' files.
func Owner(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
