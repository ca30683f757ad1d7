package emulator

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"image"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/gabriel-vasile/mimetype"
)

// fileMeta is what the emulator knows about a stored file. Hashes and image
// dimensions are computed lazily, on the first metadata call that asks.
type fileMeta struct {
	Handle     string            `json:"handle"`
	Filename   string            `json:"filename"`
	Mimetype   string            `json:"mimetype"`
	Size       int64             `json:"size"`
	Uploaded   int64             `json:"uploaded"`
	Version    int64             `json:"version"`
	Key        string            `json:"key"`
	Container  string            `json:"container,omitempty"`
	Location   string            `json:"location"`
	Region     string            `json:"region,omitempty"`
	Access     string            `json:"access,omitempty"`
	SourceURL  string            `json:"source_url,omitempty"`
	UploadTags map[string]string `json:"upload_tags,omitempty"`
	Workflows  []string          `json:"workflows,omitempty"`
	Hashes     map[string]string `json:"hashes,omitempty"`
	Dims       *[2]int           `json:"dims,omitempty"`
	DimsKnown  bool              `json:"dims_known,omitempty"`
}

var errNotFound = errors.New("file not found")

// errTooLarge reports a body over a size cap.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("file exceeds the maximum upload size of %d bytes", e.limit)
}

// diskStore keeps each file as files/<h[0]>/<handle> with its metadata in
// <handle>.json beside it. Every write goes to a temp file first and is
// renamed into place, so a crash never leaves a half-written file under a
// handle. fsync is optional: renames already make writes atomic for a
// process crash; fsync adds durability against power loss.
type diskStore struct {
	root  string
	now   func() time.Time
	fsync bool
	locks [64]sync.Mutex
	// pub pairs a file's meta with its data: replace publishes both under
	// the write lock, open reads both under the read lock, so a reader
	// never gets new data with old meta (or the reverse).
	pub [64]sync.RWMutex
	// metaWriter replaces writeAtomic for metadata in tests that need a
	// failing disk (nil: writeAtomic).
	metaWriter func(path string, data []byte) error
	// link replaces os.Link in tests of file systems without hard links
	// (nil: os.Link).
	link func(oldname, newname string) error
	// reclaim frees some space when a write finds the disk full and
	// reports whether it did (nil: nothing to free); held says the caller
	// holds the session store's lock. See diskfull.go.
	reclaim func(held bool) bool
	// fileWrite replaces (*os.File).WriteAt (off ≥ 0) and Write (off < 0)
	// in tests of a full disk (nil: the file's own).
	fileWrite func(f *os.File, p []byte, off int64) (int, error)
}

func openDiskStore(root string, now func() time.Time, fsync bool) (*diskStore, error) {
	dirs := []string{"tmp", "sessions", "cache"}
	for _, c := range "abcdefghijklmnopqrstuvwxyz0123456789_-" {
		dirs = append(dirs, filepath.Join("files", string(c)))
	}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			return nil, fmt.Errorf("emulator: data directory: %w", err)
		}
	}
	return &diskStore{root: root, now: now, fsync: fsync}, nil
}

func (d *diskStore) lock(handle string) func() {
	m := &d.locks[shard(handle, len(d.locks))]
	m.Lock()
	return m.Unlock
}

func shard(handle string, n int) uint32 {
	h := fnv.New32a()
	h.Write([]byte(handle))
	return h.Sum32() % uint32(n)
}

const handleAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// RandomToken returns n characters of [A-Za-z0-9] from crypto/rand.
func RandomToken(n int) string {
	b := make([]byte, n)
	buf := make([]byte, n*2)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, c := range buf {
			if i < n && int(c) < 248 { // 248 = 4*62: unbiased
				b[i] = handleAlphabet[int(c)%62]
				i++
			}
		}
	}
	return string(b)
}

// shardDir holds a handle's files, by lower-cased first character. On
// case-insensitive filesystems (macOS, Windows) two handles equal but for
// case would share a name; commit checks for that and picks another.
func (d *diskStore) shardDir(handle string) string {
	return filepath.Join(d.root, "files", strings.ToLower(handle[:1]))
}

func (d *diskStore) dataPath(handle string) string { return filepath.Join(d.shardDir(handle), handle) }

func (d *diskStore) metaPath(handle string) string {
	return filepath.Join(d.shardDir(handle), handle+".json")
}

// tempFile creates a file under tmp/ that the caller renames or removes.
func (d *diskStore) tempFile(prefix string) (*os.File, error) {
	var f *os.File
	dir := filepath.Join(d.root, "tmp")
	err := inDir(dir, func() (err error) {
		f, err = os.CreateTemp(dir, prefix)
		return err
	})
	return f, err
}

// writeTemp streams r into a temp file, at most max bytes, and returns the
// path, the size and the first bytes (for content sniffing).
// Failures of the disk come back as diskError, so callers can tell them
// from a body that could not be read.
func (d *diskStore) writeTemp(r io.Reader, max int64) (path string, size int64, head []byte, err error) {
	f, err := d.tempFile("up-")
	if err != nil {
		return "", 0, nil, diskError{err}
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	var sniff headBuffer
	// One byte past max tells a body that is too large; at the largest
	// int64 there is no such byte, and max+1 would wrap to a limit of
	// nothing at all.
	limit := max
	if limit < math.MaxInt64 {
		limit++
	}
	n, err := io.Copy(io.MultiWriter(diskWriter{f: f, d: d}, &sniff), io.LimitReader(r, limit))
	if err != nil {
		return "", 0, nil, err
	}
	if n > max {
		return "", 0, nil, errTooLarge{max}
	}
	if d.fsync {
		if err = f.Sync(); err != nil {
			return "", 0, nil, diskError{err}
		}
	}
	if err = f.Close(); err != nil {
		return "", 0, nil, diskError{err}
	}
	return f.Name(), n, sniff.b, nil
}

// headBuffer keeps the first 3 KiB written to it, enough for mimetype.
type headBuffer struct{ b []byte }

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := 3072 - len(h.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		h.b = append(h.b, p[:room]...)
	}
	return len(p), nil
}

// detectType picks the stored mimetype: the declared one unless it is empty
// or generic, else sniffed from content, else derived from the filename.
func detectType(declared, filename string, head []byte) string {
	if declared != "" && declared != "application/octet-stream" {
		return declared
	}
	if len(head) > 0 {
		if t := mimetype.Detect(head); t.String() != "application/octet-stream" {
			return stripParams(t.String())
		}
	}
	if t := mimeFromExt(filename); t != "" {
		return t
	}
	if declared != "" {
		return declared
	}
	return "application/octet-stream"
}

// commit moves a finished temp file under a fresh handle with its meta.
// Data goes in first; a handle exists once its meta is written.
func (d *diskStore) commit(tmpPath string, size int64, head []byte, m fileMeta) (fileMeta, error) {
	for attempt := 0; ; attempt++ {
		m.Handle = RandomToken(20)
		if _, err := os.Lstat(d.metaPath(m.Handle)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		if attempt > 5 {
			return m, errors.New("could not allocate a handle")
		}
	}
	m.Size = size
	m.Mimetype = detectType(m.Mimetype, m.Filename, head)
	now := d.now()
	m.Uploaded = now.UnixMilli()
	m.Version = now.UnixNano()
	if m.Key == "" {
		m.Key = RandomToken(8) + "_" + safeKeyName(m.Filename)
	}
	if err := inDir(d.shardDir(m.Handle), func() error { return os.Rename(tmpPath, d.dataPath(m.Handle)) }); err != nil {
		return m, err
	}
	if err := d.saveMeta(m); err != nil {
		// Put the data back, so that the caller still has it: a multipart
		// upload assembled in place can then be completed again instead of
		// being lost with its parts.
		if os.Rename(d.dataPath(m.Handle), tmpPath) != nil {
			os.Remove(d.dataPath(m.Handle))
		}
		return m, err
	}
	return m, nil
}

// replace swaps the content of an existing handle (overwrite). Data and
// meta change together for readers (pub); if the meta cannot be written,
// the old data is put back, so the file stays as it was.
func (d *diskStore) replace(handle, tmpPath string, size int64, head []byte, mimeDeclared string) (fileMeta, error) {
	unlock := d.lock(handle)
	defer unlock()
	m, err := d.loadMeta(handle)
	if err != nil {
		os.Remove(tmpPath)
		return m, err
	}
	old := m
	m.Size = size
	m.Mimetype = detectType(mimeDeclared, m.Filename, head)
	m.Version = d.now().UnixNano()
	m.Hashes, m.Dims, m.DimsKnown = nil, nil, false
	pub := &d.pub[shard(handle, len(d.pub))]
	pub.Lock()
	defer pub.Unlock()
	backup, moved, err := d.setAside(handle)
	if err != nil {
		os.Remove(tmpPath)
		return old, err
	}
	if err := os.Rename(tmpPath, d.dataPath(handle)); err != nil {
		if moved {
			os.Rename(backup, d.dataPath(handle))
		} else {
			os.Remove(backup)
		}
		os.Remove(tmpPath)
		return old, err
	}
	if err := d.saveMeta(m); err != nil {
		os.Rename(backup, d.dataPath(handle))
		return old, err
	}
	os.Remove(backup)
	return m, nil
}

func (d *diskStore) loadMeta(handle string) (fileMeta, error) {
	var m fileMeta
	if !transform.ValidHandle(handle) {
		return m, errNotFound
	}
	b, err := os.ReadFile(d.metaPath(handle))
	if errors.Is(err, fs.ErrNotExist) {
		return m, errNotFound
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("corrupt metadata for %s: %w", handle, err)
	}
	return m, nil
}

func (d *diskStore) saveMeta(m fileMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if d.metaWriter != nil {
		return d.metaWriter(d.metaPath(m.Handle), b)
	}
	return d.writeAtomic(d.metaPath(m.Handle), b)
}

// open returns the file's content and meta; the caller closes the file.
func (d *diskStore) open(handle string) (*os.File, fileMeta, error) {
	pub := &d.pub[shard(handle, len(d.pub))]
	pub.RLock()
	defer pub.RUnlock()
	m, err := d.loadMeta(handle)
	if err != nil {
		return nil, m, err
	}
	f, err := os.Open(d.dataPath(handle))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, m, errNotFound
	}
	return f, m, err
}

func (d *diskStore) remove(handle string) error {
	unlock := d.lock(handle)
	defer unlock()
	if _, err := d.loadMeta(handle); err != nil {
		return err
	}
	// Meta first: without it the handle no longer exists for readers.
	if err := os.Remove(d.metaPath(handle)); err != nil {
		return err
	}
	return os.Remove(d.dataPath(handle))
}

// ensureHashes computes the missing digests among names in one read.
func (d *diskStore) ensureHashes(handle string, names []string) (fileMeta, error) {
	unlock := d.lock(handle)
	defer unlock()
	m, err := d.loadMeta(handle)
	if err != nil {
		return m, err
	}
	hs := map[string]hash.Hash{}
	for _, n := range names {
		if _, done := m.Hashes[n]; !done {
			if h := newHash(n); h != nil {
				hs[n] = h
			}
		}
	}
	if len(hs) == 0 {
		return m, nil
	}
	f, err := os.Open(d.dataPath(handle))
	if err != nil {
		return m, err
	}
	defer f.Close()
	ws := make([]io.Writer, 0, len(hs))
	for _, h := range hs {
		ws = append(ws, h)
	}
	if _, err := io.Copy(io.MultiWriter(ws...), f); err != nil {
		return m, err
	}
	if m.Hashes == nil {
		m.Hashes = map[string]string{}
	}
	for n, h := range hs {
		m.Hashes[n] = hex.EncodeToString(h.Sum(nil))
	}
	return m, d.saveMeta(m)
}

func newHash(name string) hash.Hash {
	switch name {
	case "md5":
		return md5.New()
	case "sha1":
		return sha1.New()
	case "sha224":
		return sha256.New224()
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// ensureDims reads the image header once and records width and height
// (nil for files that are not images).
func (d *diskStore) ensureDims(handle string) (fileMeta, error) {
	unlock := d.lock(handle)
	defer unlock()
	m, err := d.loadMeta(handle)
	if err != nil || m.DimsKnown {
		return m, err
	}
	f, err := os.Open(d.dataPath(handle))
	if err != nil {
		return m, err
	}
	defer f.Close()
	if cfg, _, err := image.DecodeConfig(f); err == nil {
		m.Dims = &[2]int{cfg.Width, cfg.Height}
	}
	m.DimsKnown = true
	return m, d.saveMeta(m)
}

func (d *diskStore) sweepTmp(age time.Duration) {
	dir := filepath.Join(d.root, "tmp")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if info, err := e.Info(); err == nil && d.now().Sub(info.ModTime()) > age {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// writeAtomic is writeFileAtomic with the store's fsync setting; when the
// disk is full it makes room and tries again (withRoom).
func (d *diskStore) writeAtomic(path string, data []byte) error {
	return d.withRoom(func() error { return writeFileAtomicSync(path, data, d.fsync) })
}

// writeAtomicHeld is writeAtomic for a caller holding the session store's
// lock.
func (d *diskStore) writeAtomicHeld(path string, data []byte) error {
	return d.withRoomHeld(func() error { return writeFileAtomicSync(path, data, d.fsync) })
}

// writeFileAtomic writes via a synced temp file in the same directory and
// a rename, so readers see the old or the new content, never a mix.
func writeFileAtomic(path string, data []byte) error { return writeFileAtomicSync(path, data, true) }

func writeFileAtomicSync(path string, data []byte, fsync bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, bytes.NewReader(data))
	if err == nil && fsync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// safeKeyName makes a storage key component from a user filename: no path
// separators, no dot-dot, no control bytes.
func safeKeyName(name string) string {
	out := make([]rune, 0, len(name))
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '/' || r == '\\':
			out = append(out, '_')
		default:
			out = append(out, r)
		}
	}
	s := string(out)
	if s == "" || s == "." || s == ".." {
		s = "unnamed_file"
	}
	return s
}
