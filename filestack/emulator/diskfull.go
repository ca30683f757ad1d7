package emulator

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// A full disk is the server's problem, never the client's: writes that
// fail for space are answered 507 Insufficient Storage with a message
// that says so (and Retry-After), not as a body that ended early. Before
// giving up, the server makes room and tries again: first from its
// processing cache (it can always be computed again), coldest entries
// first, then by expiring idle multipart uploads, oldest first (they
// would otherwise hold their parts for the whole session TTL).

// idleForReclaim is how long a multipart upload must have been idle (no
// start, no part stored) before a full disk may expire it. Uploads with a
// part in flight or being completed are never expired.
const idleForReclaim = time.Minute

// reclaimCacheStep is the least a full disk takes from the processing
// cache at a time, when it holds that much.
const reclaimCacheStep = 8 << 20

// diskFullRetryAfter is the Retry-After of a 507: space seldom comes back
// within a second, so clients should not resend at once.
const diskFullRetryAfter = 30

// isNoSpace reports a write that failed because the file system (or the
// user's quota on it) is full.
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || isWindowsDiskFull(err)
}

// diskFullError is the answer to a write that failed for space.
func diskFullError(err error) *apiError {
	return &apiError{status: http.StatusInsufficientStorage, retryAfter: diskFullRetryAfter, cause: err,
		msg: "the server's disk is full, so nothing was stored (not a fault of the request); try again later"}
}

// withRoom runs op, which writes the server's own storage; when op fails
// for space, it makes room and runs op again, until op succeeds, fails
// for another reason, or there is nothing left to free.
func (d *diskStore) withRoom(op func() error) error { return d.withRoomFrom(false, op) }

// withRoomHeld is withRoom for a caller that holds the session store's
// lock, which expiring an upload needs.
func (d *diskStore) withRoomHeld(op func() error) error { return d.withRoomFrom(true, op) }

func (d *diskStore) withRoomFrom(held bool, op func() error) error {
	for {
		err := op()
		if err == nil || !isNoSpace(err) || !d.makeRoom(held) {
			return err
		}
	}
}

// makeRoom frees some space (reclaim), reporting whether it did; held
// says the caller holds the session store's lock.
func (d *diskStore) makeRoom(held bool) bool { return d.reclaim != nil && d.reclaim(held) }

// write writes p to f at off (off < 0: at the file's offset) and, when
// the disk is full, makes room and writes the rest. Its errors are
// diskError: the server's storage failed, not the request.
func (d *diskStore) write(f *os.File, p []byte, off int64) (int, error) {
	n, err := d.writeOnce(f, p, off)
	for err != nil && isNoSpace(err) && d.makeRoom(false) {
		var m int
		m, err = d.writeOnce(f, p[n:], nextOff(off, n))
		n += m
	}
	if err != nil {
		err = diskError{err}
	}
	return n, err
}

func nextOff(off int64, n int) int64 {
	if off < 0 {
		return off
	}
	return off + int64(n)
}

func (d *diskStore) writeOnce(f *os.File, p []byte, off int64) (int, error) {
	if d.fileWrite != nil {
		return d.fileWrite(f, p, off)
	}
	if off < 0 {
		return f.Write(p)
	}
	return f.WriteAt(p, off)
}

// reclaimSpace frees space for a write that found the disk full: cache
// entries from the cold end, else the upload idle the longest. It
// reports whether it freed anything; held says the caller holds the
// session store's lock.
func (s *Server) reclaimSpace(held bool) bool {
	// Entries that cannot be deleted now (open on Windows) go back to the
	// cold end; when nothing could be, the uploads are next.
	if n := s.evict(s.cache.coldest(reclaimCacheStep)); n > 0 {
		s.opts.Logger.Warn("disk full: dropped processing cache entries to make room", "entries", n)
		return true
	}
	id, idle, ok := s.sessions.expireOldestIdle(idleForReclaim, held)
	if ok {
		s.opts.Logger.Warn("disk full: expired an idle multipart upload to make room", "upload_id", id, "idle", idle.Round(time.Second))
	}
	return ok
}

// expireOldestIdle removes the multipart upload idle the longest (at
// least minIdle), with its parts, and returns its ID and idle time.
// Uploads with a part in flight, being completed or already completed
// (whose data is no longer here) are left alone. held says the caller
// holds ss.mu.
func (ss *sessionStore) expireOldestIdle(minIdle time.Duration, held bool) (string, time.Duration, bool) {
	if !held {
		ss.mu.Lock()
		defer ss.mu.Unlock()
	}
	root := filepath.Join(ss.ds.root, "sessions")
	ents, _ := os.ReadDir(root)
	oldest, oldestAt := "", time.Time{}
	for _, e := range ents {
		id := e.Name()
		if !e.IsDir() || !validUploadID(id) || ss.busy(id) || ss.running[id] != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, id, "result.json")); err == nil {
			continue
		}
		info, err := os.Stat(filepath.Join(root, id, "session.json"))
		if err != nil || ss.now().Sub(info.ModTime()) < minIdle {
			continue
		}
		if oldest == "" || info.ModTime().Before(oldestAt) {
			oldest, oldestAt = id, info.ModTime()
		}
	}
	if oldest == "" || os.RemoveAll(filepath.Join(root, oldest)) != nil {
		return "", 0, false
	}
	return oldest, ss.now().Sub(oldestAt), true
}
