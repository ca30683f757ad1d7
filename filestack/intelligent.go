package filestack

import (
	"context"
	"fmt"
	"time"
)

// sendIIPart sends a part as chunks: a failed chunk halves the file's chunk
// size and is re-sent from the last good offset, down to 32 KiB; then the
// part is committed with the total file size.
func (m *multipart) sendIIPart(ctx context.Context, part int) error {
	off, plen := m.partRange(part)
	var pos int64
	failures := 0
	for pos < plen {
		chunk := m.chunk.Load()
		n := min(chunk, plen-pos)
		sum, err := partMD5(m.r, off+pos, n)
		if err != nil {
			return err
		}
		m.tr.send(Event{Kind: EventPartStarted, Part: part, Offset: pos, Size: n})
		var target partTarget
		err = m.c.withRetry(ctx, m.retryReporter(part), func() error {
			var err error
			target, err = m.uploadCall(ctx, part, pos, n, sum, true)
			return err
		})
		if err != nil {
			return err
		}
		if _, err = m.put(ctx, target, part, pos, off+pos, n); err != nil {
			if ctx.Err() != nil {
				return m.c.netError("upload", ctx.Err())
			}
			failures++
			if err := m.shrink(ctx, part, chunk, failures, err); err != nil {
				return err
			}
			continue
		}
		pos += n
	}
	sum, err := partMD5(m.r, off, plen)
	if err != nil {
		return err
	}
	err = m.c.withRetry(ctx, m.retryReporter(part), func() error {
		_, err := m.call(ctx, fmt.Sprintf("commit part %d", part), "/multipart/commit",
			m.uploadBody(map[string]any{"part": part, "size": m.size}), nil, false)
		return err
	})
	if err != nil {
		return err
	}
	m.partDone(DonePart{Number: part, Size: plen, MD5: sum})
	return nil
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
