package filestack

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"time"
)

// sendIIPart sends a part as chunks: a failed chunk halves the file's chunk
// size and is re-sent from the last good offset, down to 32 KiB; then the
// part is committed with the total file size.
//
// partSum is the part's MD5, hashed ahead with the other parts by the
// same hasher as regular parts (md5-simd's lanes). A chunk that is the
// whole part (the usual case: the chunk size starts at the part size)
// sends that digest, so each byte is read once to hash and once to send,
// as in a regular upload; only the smaller chunks after a halving are
// hashed on their own.
func (m *multipart) sendIIPart(ctx context.Context, part int, partSum string) error {
	off, plen := m.partRange(part)
	var pos int64
	failures, full := 0, 0
	start := time.Now()
	for pos < plen {
		chunk := m.chunk.Load()
		n := min(chunk, plen-pos)
		sum := partSum
		if n != plen {
			var err error
			if sum, err = chunkSum(m.r, off+pos, n, m.c.describe); err != nil {
				return err
			}
		}
		if err := m.sendChunk(ctx, part, pos, off+pos, n, sum); err != nil {
			if ctx.Err() != nil || !isPutFailure(err) {
				return err
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
	}
	return m.commitIIPart(ctx, part, plen, partSum)
}

// chunkSum reads a chunk and returns its MD5.
func chunkSum(r io.ReaderAt, off, n int64, describe func(error) string) (string, error) {
	h := md5.New()
	if err := hashRange(h, r, off, n, nil, describe); err != nil {
		return "", err
	}
	return sumB64(h), nil
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

// commitIIPart commits a sent part, whose MD5 is partSum.
func (m *multipart) commitIIPart(ctx context.Context, part int, plen int64, partSum string) error {
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
	r := Retry{Op: e.Op, Attempt: attempt, Attempts: p.Attempts, Err: e, Wait: wait}
	m.tr.send(r.event(part))
	if observe, ok := ctx.Value(retryObserverKey{}).(func(Retry)); ok && observe != nil {
		observe(r)
	}
	return m.c.sleep(ctx, "upload", wait)
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
	// Bounded by the chunk size, not by a number of attempts.
	wait := min(m.c.cfg.Retry.backoff(failures, cause, time.Now()), time.Second)
	m.tr.send(Event{Kind: EventRetry, Part: part, Attempt: failures, Wait: wait, Err: cause})
	return m.c.sleep(ctx, "upload", wait)
}
