package filestack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"syscall"
	"time"
)

// hostOf is a base URL's host, for messages ("" stays "unknown").
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return "unknown"
}

// resume continues a journaled session: it checks the file is unchanged,
// sends only the missing parts, and falls back to a fresh upload (saying
// why) when the file changed or the server no longer knows the session.
func (m *multipart) resume(ctx context.Context, sess Session, mod time.Time) (*File, error) {
	m.tr = newTracker(ctx, m.opts.Progress, m.size)
	// A restart keeps what the upload was asked to be: the same store
	// options and tags, whatever the caller's options are now.
	m.opts.Store, m.opts.UploadTags = sess.Store, sess.UploadTags
	reason, dig := m.checkResumable(ctx, sess, mod)
	if reason != "" {
		return m.restart(ctx, mod, reason)
	}
	m.sess = sess
	m.sess.Parts = append([]DonePart(nil), sess.Parts...)
	m.base = locationBase(sess.LocationURL)
	m.opts.Filename, m.opts.Mimetype = sess.Filename, sess.Mimetype
	done := map[int]bool{}
	for _, p := range sess.Parts {
		done[p.Number] = true
		m.tr.preload(p.Number, p.Size)
	}
	f, err := m.transfer(ctx, done, dig)
	if reason := sessionGone(err); reason != "" && ctx.Err() == nil {
		return m.restart(ctx, mod, reason)
	}
	return f, err
}

// sessionGone says why a failed resume should start over: the server does
// not know the session (it expired, or the server lost it), or the
// session's address refuses connections (a server that moved). "" when
// the failure is another one.
func sessionGone(err error) string {
	var e *Error
	switch {
	case err == nil || !errors.As(err, &e):
		return ""
	case e.Status == http.StatusBadRequest || e.Status == http.StatusNotFound || e.Code == "NoSuchUpload":
		return "the server no longer accepts the upload session (" + e.Message + ")"
	case e.Status == 0 && errors.Is(e.Err, syscall.ECONNREFUSED):
		return "the upload session's server refuses connections"
	}
	return ""
}

// checkResumable says why the journaled session cannot be resumed for the
// file as it is now ("" when it can): another server, a changed size or
// modification time, or a sent part whose bytes changed.
//
// The parts already sent are read again to prove the file still holds
// what the server has. The same reads start the file's SHA-256 (dig):
// the parts from the first on without a gap are hashed in order, and the
// transfer completes the digest from there as it reads the rest.
func (m *multipart) checkResumable(ctx context.Context, sess Session, mod time.Time) (string, *fileDigest) {
	dig := newFileDigest()
	if sess.Endpoint != "" && sess.Endpoint != m.c.cfg.UploadBase {
		return "the upload session belongs to another server (" + hostOf(sess.Endpoint) + ", now " + hostOf(m.c.cfg.UploadBase) + ")", dig
	}
	if sess.Size != m.size || (!sess.ModTime.IsZero() && !mod.IsZero() && !sess.ModTime.Equal(mod)) {
		return "the file changed since the upload started (size or modification time differ)", dig
	}
	if sess.UploadID == "" || sess.PartSize <= 0 || sess.LocationURL == "" {
		return "the saved upload session is incomplete", dig
	}
	parts := append([]DonePart(nil), sess.Parts...)
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
	for _, p := range parts {
		off := int64(p.Number-1) * sess.PartSize
		if p.Number < 1 || off+p.Size > m.size {
			return "the saved upload session is inconsistent with the file", dig
		}
	}
	// As when sending, a pool's worth of parts at a time, read and hashed
	// at once so md5-simd's lanes are used (a 1 GiB resume re-reads up to
	// 1 GiB).
	conc := max(1, m.c.cfg.PartConcurrency)
	pool := newBufPool(conc, &m.c.partBufs)
	h := newPartHasher(min(conc, len(parts)))
	defer h.close()
	rm := &multipart{c: m.c, r: m.r, size: m.size, sess: sess}
	for start := 0; start < len(parts); start += conc {
		batch := parts[start:min(start+conc, len(parts))]
		sums, err := rm.checkBatch(ctx, pool, h, batch, dig)
		if ctx.Err() != nil {
			return "", dig // the caller's transfer reports the cancellation
		}
		for i, p := range batch {
			if err != nil || sums[i] != p.MD5 {
				return fmt.Sprintf("part %d of the file changed since it was sent", p.Number), dig
			}
		}
	}
	return "", dig
}

// checkBatch reads the parts in parallel, each into a buffer of the pool,
// and returns their MD5s (each a lane of h); the parts that continue
// dig's digest are added to it. Its error is the first failed read.
func (m *multipart) checkBatch(ctx context.Context, pool *bufPool, h *partHasher, batch []DonePart, dig *fileDigest) ([]string, error) {
	bufs := make([]*partBuf, len(batch))
	sums := make([]string, len(batch))
	errs := make([]error, len(batch))
	var wg sync.WaitGroup
	for i, p := range batch {
		_, n := m.partRange(p.Number)
		b := pool.get(ctx, n)
		if b == nil {
			break
		}
		bufs[i] = &partBuf{part: p.Number, b: b, pool: pool}
		bufs[i].refs.Store(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[i] = m.readPart(p.Number, b); errs[i] == nil {
				sums[i] = h.sumBytes(b)
			}
		}()
	}
	wg.Wait()
	var first error
	for i, pb := range bufs {
		if pb == nil {
			continue
		}
		if errs[i] == nil && pb.part == dig.next {
			dig.add(pb.part, pb.b)
		}
		if first == nil {
			first = errs[i]
		}
		pb.release()
	}
	return sums, first
}

func (m *multipart) restart(ctx context.Context, mod time.Time, reason string) (*File, error) {
	m.tr.send(Event{Kind: EventRestarted, Reason: reason})
	fresh := &multipart{c: m.c, r: m.r, size: m.size, opts: m.opts}
	return fresh.run(ctx, mod)
}
