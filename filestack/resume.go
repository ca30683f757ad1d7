package filestack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	if reason := m.checkResumable(ctx, sess, mod); reason != "" {
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
	f, err := m.transfer(ctx, done)
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
func (m *multipart) checkResumable(ctx context.Context, sess Session, mod time.Time) string {
	if sess.Endpoint != "" && sess.Endpoint != m.c.cfg.UploadBase {
		return "the upload session belongs to another server (" + hostOf(sess.Endpoint) + ", now " + hostOf(m.c.cfg.UploadBase) + ")"
	}
	if sess.Size != m.size || (!sess.ModTime.IsZero() && !mod.IsZero() && !sess.ModTime.Equal(mod)) {
		return "the file changed since the upload started (size or modification time differ)"
	}
	if sess.UploadID == "" || sess.PartSize <= 0 || sess.LocationURL == "" {
		return "the saved upload session is incomplete"
	}
	spans := make([]span, len(sess.Parts))
	for i, p := range sess.Parts {
		spans[i] = span{off: int64(p.Number-1) * sess.PartSize, n: p.Size}
		if p.Number < 1 || spans[i].off+p.Size > m.size {
			return "the saved upload session is inconsistent with the file"
		}
	}
	// The parts already sent are hashed again to prove the file still holds
	// what the server has; as when sending, a batch at a time so md5-simd's
	// lanes are used (a 1 GiB resume re-reads up to 1 GiB).
	h := newPartHasher(len(spans), m.c.cfg.PartConcurrency, sess.PartSize, m.c.describe)
	defer h.close()
	for start := 0; start < len(spans); start += h.batch {
		if ctx.Err() != nil {
			return "" // the caller's transfer reports the cancellation
		}
		end := min(start+h.batch, len(spans))
		sums, err := hashSpans(h, m.r, spans[start:end])
		for i, p := range sess.Parts[start:end] {
			if err != nil || sums[i] != p.MD5 {
				return fmt.Sprintf("part %d of the file changed since it was sent", p.Number)
			}
		}
	}
	return ""
}

func (m *multipart) restart(ctx context.Context, mod time.Time, reason string) (*File, error) {
	m.tr.send(Event{Kind: EventRestarted, Reason: reason})
	fresh := &multipart{c: m.c, r: m.r, size: m.size, opts: m.opts}
	return fresh.run(ctx, mod)
}
