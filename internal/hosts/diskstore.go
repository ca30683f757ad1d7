package hosts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator/contentsec"
)

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
	fsync bool
	// clean is set when the state file loaded (or there was none and no
	// files): only then are files the state does not name deleted.
	clean bool
}

// OpenStore prepares dir for an emulator. A directory it cannot create is
// logged, and every upload then fails (the emulator still answers).
func OpenStore(setup EmulatorSetup) *Store {
	s := &Store{dir: setup.Dir, quota: setup.Quota, log: setup.Log, fsync: setup.Fsync}
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

// RestoreFiles is what every emulator does with its loaded state: the
// entries that named (checking the id, which becomes a path) accepts are
// matched with the files on disk by Reconcile, each kept with its size
// set by setSize; a file no entry names (after a bad state) becomes what
// orphan makes of it, or is not served when orphan returns nil. changed
// says the state on disk no longer matches and should be saved.
func RestoreFiles[T any](s *Store, items map[string]*T, named func(id string, it *T) bool,
	setSize func(it *T, size int64), orphan func(id string, size int64) *T) (kept map[string]*T, changed bool) {
	known := map[string]bool{}
	for id, it := range items {
		if it != nil && named(id, it) {
			known[id] = true
		}
	}
	sizes, recovered := s.Reconcile(known)
	kept = make(map[string]*T, len(sizes)+len(recovered))
	for id, size := range sizes {
		setSize(items[id], size)
		kept[id] = items[id]
	}
	for id, size := range recovered {
		if it := orphan(id, size); it != nil {
			kept[id] = it
		}
	}
	return kept, len(recovered) > 0 || len(sizes) != len(items)
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
	if err == nil && s.fsync {
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
// when it is gone from disk. Like the Filestack emulator's, every file
// goes out with X-Content-Type-Options: nosniff, and an active type
// (HTML, SVG, XML, JavaScript) with Content-Security-Policy: sandbox, so
// an upload never runs as a page of the server's origin.
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
	contentsec.Headers(w.Header(), mime)
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
