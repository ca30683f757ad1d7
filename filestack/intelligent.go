package filestack

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"
)

// sendIIPart sends a part as chunks: a failed chunk halves the file's chunk
// size and is re-sent from the last good offset, down to 32 KiB; then the
// part is committed with the total file size.
//
// Each byte is read once. A chunk that is the whole part (the usual case:
// the chunk size starts at the part size) gives the part's MD5 as well;
// smaller chunks feed their bytes to the part's hasher in the same pass.
func (m *multipart) sendIIPart(ctx context.Context, part int) error {
	off, plen := m.partRange(part)
	ph := md5.New() // the part's bytes sent so far; nil once it ran ahead
	partSum := ""
	var pos int64
	failures, full := 0, 0
	start := time.Now()
	for pos < plen {
		chunk := m.chunk.Load()
		n := min(chunk, plen-pos)
		feed := ph
		if n == plen {
			feed = nil // this chunk's digest is the part's
		}
		sum, err := chunkSum(m.r, off+pos, n, feed, m.c.describe)
		if err != nil {
			return err
		}
		if err := m.sendChunk(ctx, part, pos, off+pos, n, sum); err != nil {
			if ctx.Err() != nil || !isPutFailure(err) {
				return err
			}
			if feed != nil {
				ph = nil // it holds bytes the server did not take
			}
			if IsInsufficientStorage(err) {
				// The server's disk is full: a smaller chunk would not
				// fit better, and resending at once would not help.
				full++
				if err := m.waitForRoom(ctx, part, full, start, err); err != nil {
					return err
				}
				continue
			}
			failures++
			if err := m.shrink(ctx, part, chunk, failures, err); err != nil {
				return err
			}
			continue
		}
		pos += n
		if n == plen {
			partSum = sum
		}
	}
	return m.commitIIPart(ctx, part, off, plen, partSum, ph)
}

// chunkSum reads a chunk once and returns its MD5, feeding the same bytes
// to part when it is not nil.
func chunkSum(r io.ReaderAt, off, n int64, part hash.Hash, describe func(error) string) (string, error) {
	ch := md5.New()
	var w io.Writer = ch
	if part != nil {
		w = io.MultiWriter(ch, part)
	}
	if err := hashRange(w, r, off, n, nil, describe); err != nil {
		return "", err
	}
	return sumB64(ch), nil
}

// putFailure marks a chunk PUT that failed, which halves the chunk size
// rather than ending the part.
type putFailure struct{ error }

func (p putFailure) Unwrap() error { return p.error }

func isPutFailure(err error) bool {
	var p putFailure
	return errors.As(err, &p)
}

// sendChunk asks where to send a chunk (with retries) and PUTs it once.
func (m *multipart) sendChunk(ctx context.Context, part int, pos, at, n int64, sum string) error {
	m.tr.send(Event{Kind: EventPartStarted, Part: part, Offset: pos, Size: n})
	var target partTarget
	err := m.c.withRetry(ctx, m.retryReporter(part), func() error {
		var err error
		target, err = m.uploadCall(ctx, part, pos, n, sum, true)
		return err
	})
	if err != nil {
		return err
	}
	if _, err := m.put(ctx, target, part, pos, at, n); err != nil {
		if ctx.Err() != nil {
			return m.c.netError("upload", ctx.Err())
		}
		return putFailure{err}
	}
	return nil
}

// commitIIPart commits a sent part. Its MD5 is partSum when one chunk
// carried it all, else the part hasher's; only when a failed chunk left
// that hasher ahead of the bytes sent is the part read again.
func (m *multipart) commitIIPart(ctx context.Context, part int, off, plen int64, partSum string, ph hash.Hash) error {
	switch {
	case partSum != "":
	case ph != nil:
		partSum = sumB64(ph)
	default:
		var err error
		if partSum, err = partMD5(m.r, off, plen, m.c.describe); err != nil {
			return err
		}
	}
	err := m.c.withRetry(ctx, m.retryReporter(part), func() error {
		_, err := m.call(ctx, fmt.Sprintf("commit part %d", part), "/multipart/commit",
			m.uploadBody(map[string]any{"part": part, "size": m.size}), nil, false)
		return err
	})
	if err != nil {
		return err
	}
	m.partDone(DonePart{Number: part, Size: plen, MD5: partSum})
	return nil
}

// waitForRoom waits before resending a chunk the server had no disk space
// for, as long as the retry policy allows (the longest backoff each
// time), then gives up with the server's message.
func (m *multipart) waitForRoom(ctx context.Context, part, attempt int, start time.Time, cause error) error {
	p := m.c.cfg.Retry
	var e *Error
	if !errors.As(cause, &e) {
		return cause
	}
	wait := p.backoff(attempt, e, time.Now())
	if attempt >= p.Attempts || time.Since(start)+wait > p.MaxElapsed {
		return giveUp(e, attempt, time.Since(start))
	}
	m.tr.send(Event{Kind: EventRetry, Part: part, Attempt: attempt, Err: e})
	if observe, ok := ctx.Value(retryObserverKey{}).(func(Retry)); ok && observe != nil {
		observe(Retry{Op: e.Op, Attempt: attempt, Err: e, Wait: wait})
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return m.c.netError("upload", ctx.Err())
	case <-t.C:
		return nil
	}
}

// shrink halves the shared chunk size after a failed chunk, or gives up
// when it would drop below 32 KiB. It waits a little before the resend.
func (m *multipart) shrink(ctx context.Context, part int, chunk int64, failures int, cause error) error {
	next := chunk / 2
	if next < iiMinChunk {
		return fmt.Errorf("%w (gave up after halving the chunk size down to 32 KiB)", cause)
	}
	for {
		cur := m.chunk.Load()
		n := min(cur, next)
		if m.chunk.CompareAndSwap(cur, n) {
			if n != cur {
				m.tr.send(Event{Kind: EventChunkSize, Part: part, Size: n, Err: cause})
			}
			break
		}
	}
	m.tr.send(Event{Kind: EventRetry, Part: part, Attempt: failures, Err: cause})
	wait := min(m.c.cfg.Retry.backoff(failures, cause, time.Now()), time.Second)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return m.c.netError("upload", ctx.Err())
	case <-t.C:
		return nil
	}
}
