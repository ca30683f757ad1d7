package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Parts are written straight into the session's preallocated data file at
// the offset their part number gives, so complete only has to check the
// layout and rename that file into the store. The wire protocol does not
// carry the part size, so the session learns it from the first part PUT
// (see inferPartSize) and keeps it in the file partsize. A PUT that does not
// fit that layout is kept in a file of its own, as before, and complete
// then copies (the slow path, for clients with uneven parts).
//
// A placed piece is recorded as q<part>_<offset> holding "<size> <etag>",
// written only after all its bytes are in the data file; an unplaced one as
// p<part>_<offset> with an .etag sidecar.

const (
	dataName     = "data"
	partSizeName = "partsize"
	// iiPartSize is the part size of intelligent ingestion in every SDK
	// (8 MiB), grown for files of more than 10,000 parts as they do.
	iiPartSize = 8 << 20
)

// liveSession is the in-memory state of a session's PUTs in flight.
type liveSession struct {
	// io is held for reading around every write into the data file and for
	// writing while a new PUT cancels older ones over the same bytes, so no
	// write of a cancelled PUT can land after the newer PUT's.
	io     sync.RWMutex
	writes map[*partWrite]bool
}

// partWrite is one part PUT in flight.
type partWrite struct {
	id        string
	part      int
	off, size int64 // within the part
	at        int64 // where it starts in the data file; -1 when unplaced
	left      int64 // bytes it may still write: never past its signed range
	live      *liveSession
	spoiled   bool // a newer PUT of overlapping bytes started
	file      *os.File
	ds        *diskStore
}

func (w *partWrite) overlaps(o *partWrite) bool {
	return w.part == o.part && w.off < o.off+o.size && o.off < w.off+w.size
}

// Write appends to the part's bytes; it fails once a newer PUT of the same
// bytes has started, so the older one can never overwrite the newer one's,
// and it never writes past the size the PUT was signed for, so a body
// longer than announced cannot reach the next part's bytes. When the disk
// is full it makes room (not holding io, which a new PUT waits for under
// the session store's lock) and writes the rest; what still fails to be
// written is a diskError, the server's fault.
func (w *partWrite) Write(p []byte) (int, error) {
	var past error
	if int64(len(p)) > w.left {
		p, past = p[:w.left], errPastRange
	}
	n, err := w.writeOnce(p)
	for err != nil && isNoSpace(err) && w.ds.makeRoom(false) {
		var m int
		m, err = w.writeOnce(p[n:])
		n += m
	}
	w.left -= int64(n)
	if err != nil && !errors.Is(err, errSuperseded) {
		err = diskError{err}
	}
	if err == nil {
		err = past
	}
	return n, err
}

func (w *partWrite) writeOnce(p []byte) (int, error) {
	if w.at < 0 {
		return w.ds.writeOnce(w.file, p, -1)
	}
	w.live.io.RLock()
	defer w.live.io.RUnlock()
	if w.spoiled {
		return 0, errSuperseded
	}
	n, err := w.ds.writeOnce(w.file, p, w.at)
	w.at += int64(n)
	return n, err
}

var (
	errSuperseded = errors.New("a newer upload of the same bytes replaced this one")
	errPastRange  = errors.New("the part has more bytes than its URL was signed for")
)

// errCompleting refuses parts once complete has started assembling.
var errCompleting = errorf(http.StatusConflict, "the upload is being completed")

// byID reads a session for a part PUT, whose signed URL names only the
// upload ID.
func (ss *sessionStore) byID(id string) (*session, error) {
	b, err := os.ReadFile(filepath.Join(ss.dir(id), "session.json"))
	if err != nil {
		return nil, err
	}
	var sess session
	if err := json.Unmarshal(b, &sess); err != nil {
		return nil, err
	}
	return &sess, nil
}

// partSize returns the session's part size, 0 when not known yet.
func (ss *sessionStore) partSize(id string) int64 {
	b, err := os.ReadFile(filepath.Join(ss.dir(id), partSizeName))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(string(b), 10, 64)
	return n
}

// inferPartSize guesses the part size from one PUT: intelligent ingestion
// uses 8 MiB parts everywhere; a regular part 1 has the part size, as does
// any other part that may not be the last, while a part smaller than the
// minimum part size must be the last and gives it by division. A wrong
// guess only costs speed: complete checks the layout and copies when it
// does not hold.
func inferPartSize(sess *session, part int, size, minPart int64) int64 {
	if sess.II {
		const mib = 1 << 20
		return max(iiPartSize, ceilDiv(ceilDiv(sess.Size, maxParts), mib)*mib)
	}
	n := int64(part)
	switch {
	case n < 1 || size <= 0:
		return 0
	case n == 1:
		return size
	case size >= minPart && size <= sess.Size/n:
		return size
	case (sess.Size-size)%(n-1) == 0 && (sess.Size-size)/(n-1) >= size:
		return (sess.Size - size) / (n - 1)
	}
	return 0
}

// beginPut registers a part PUT, cancels older PUTs and forgets stored
// pieces over the same bytes, and opens where its bytes go: the data file
// at the part's offset, or a temp file when the part does not fit.
func (ss *sessionStore) beginPut(sess *session, part int, off, size, minPart int64) (*partWrite, error) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, busy := ss.running[sess.UploadID]; busy {
		return nil, errCompleting
	}
	w := &partWrite{id: sess.UploadID, part: part, off: off, size: size, at: -1, left: size, ds: ss.ds}
	psize := ss.partSize(sess.UploadID)
	if psize == 0 {
		if psize = inferPartSize(sess, part, size, minPart); psize > 0 {
			if err := ss.ds.writeAtomicHeld(filepath.Join(ss.dir(w.id), partSizeName), []byte(strconv.FormatInt(psize, 10))); err != nil {
				return nil, err
			}
		}
	}
	if at, ok := placedAt(part, off, size, psize, sess.Size); ok {
		if f, err := os.OpenFile(filepath.Join(ss.dir(w.id), dataName), os.O_WRONLY, 0); err == nil {
			w.file, w.at = f, at
		}
	}
	if w.file == nil {
		err := ss.ds.withRoomHeld(func() (err error) {
			w.file, err = ss.ds.tempFile("part-")
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	live := ss.live[w.id]
	if live == nil {
		live = &liveSession{writes: map[*partWrite]bool{}}
		ss.live[w.id] = live
	}
	w.live = live
	live.io.Lock()
	for o := range live.writes {
		if o.overlaps(w) {
			o.spoiled = true
		}
	}
	live.io.Unlock()
	live.writes[w] = true
	ss.forgetPieces(w)
	return w, nil
}

// placedAt is where a piece of part (off, size within the part) goes in
// the data file of a total-byte upload cut into psize-byte parts: false
// when the piece does not lie inside its part, or its part inside the
// file, checked without overflow.
func placedAt(part int, off, size, psize, total int64) (int64, bool) {
	start, ok := partStart(part, psize)
	if !ok || psize <= 0 || !within(off, size, psize) {
		return 0, false
	}
	at, ok := addOK(start, off)
	if !ok || !within(at, size, total) {
		return 0, false
	}
	return at, true
}

// forgetPieces drops the stored pieces of w's part that overlap its bytes:
// they are about to be overwritten or superseded.
func (ss *sessionStore) forgetPieces(w *partWrite) {
	cs, err := ss.chunksOf(w.id, w.part)
	if err != nil {
		return
	}
	for _, c := range cs[w.part] {
		if c.offset < w.off+w.size && w.off < c.offset+c.size {
			os.Remove(c.record)
			if c.record == c.path+".etag" {
				os.Remove(c.path)
			}
		}
	}
}

// endPut records a finished PUT (ok) or discards it, and unregisters it.
// It fails when a newer PUT of the same bytes started meanwhile.
func (ss *sessionStore) endPut(w *partWrite, ok bool, etag string) error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(w.live.writes, w)
	if len(w.live.writes) == 0 {
		delete(ss.live, w.id)
	}
	placed := w.file.Name() == filepath.Join(ss.dir(w.id), dataName)
	err := w.file.Close()
	switch {
	case !ok || err != nil || w.spoiled:
		if !placed {
			os.Remove(w.file.Name())
		}
		if ok && err == nil {
			err = errSuperseded
		}
		return err
	case !placed:
		return ss.savePart(w.id, w.part, w.off, w.file.Name(), etag)
	}
	rec := fmt.Sprintf("%d %s", w.size, etag)
	if _, err := os.Stat(ss.dir(w.id)); err != nil {
		return errorf(http.StatusNotFound, "upload %s no longer exists", w.id)
	}
	return ss.ds.writeAtomicHeld(filepath.Join(ss.dir(w.id), "q"+partName(w.part, w.off)[1:]), []byte(rec))
}

// busy reports whether PUTs are in flight for the session; the caller
// holds ss.mu.
func (ss *sessionStore) busy(id string) bool { return len(ss.live[id].writesOrNil()) > 0 }

func (l *liveSession) writesOrNil() map[*partWrite]bool {
	if l == nil {
		return nil
	}
	return l.writes
}

// placedChunk reads a q<part>_<offset> record.
func placedChunk(dir, name string, psize int64) (int, chunk, bool) {
	var part int
	var off, size int64
	var etag string
	if _, err := fmt.Sscanf(name, "q%d_%d", &part, &off); err != nil || psize <= 0 || name != "q"+partName(part, off)[1:] {
		return 0, chunk{}, false
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return 0, chunk{}, false
	}
	if _, err := fmt.Sscanf(string(b), "%d %s", &size, &etag); err != nil {
		return 0, chunk{}, false
	}
	start, ok := partStart(part, psize)
	at, ok2 := addOK(start, off)
	if !ok || !ok2 || size < 0 {
		return 0, chunk{}, false
	}
	return part, chunk{offset: off, size: size, path: filepath.Join(dir, dataName), at: at,
		etag: etag, record: filepath.Join(dir, name)}, true
}

// inPlace reports whether the pieces already lie in the data file exactly
// where the finished file needs them, so the file can be renamed as it is.
func inPlace(dir string, pieces []piece) bool {
	data := filepath.Join(dir, dataName)
	var pos int64
	for _, p := range pieces {
		if p.path != data || p.from != pos {
			return false
		}
		pos += p.len
	}
	return true
}

// finishInPlace makes the data file durable (with --fsync) and returns it
// with its first bytes for content sniffing.
func (ss *sessionStore) finishInPlace(id string) (string, []byte, error) {
	path := filepath.Join(ss.dir(id), dataName)
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	if ss.ds.fsync {
		if err := f.Sync(); err != nil {
			return "", nil, err
		}
	}
	head := make([]byte, 3072)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", nil, err
	}
	return path, head[:n], nil
}

// createData preallocates the data file of a new session. It is sparse, so
// an abandoned upload holds only the bytes it actually received.
func createData(dir string, size int64) error {
	f, err := os.OpenFile(filepath.Join(dir, dataName), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
