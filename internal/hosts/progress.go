package hosts

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// ProgressReader wraps r so each Read reports the running total to fn.
func ProgressReader(r io.Reader, total int64, fn Progress) io.Reader {
	if fn == nil {
		return r
	}
	return &progressReader{r: r, total: total, fn: fn}
}

type progressReader struct {
	r     io.Reader
	sent  int64
	total int64
	fn    Progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.sent += int64(n)
		p.fn(p.sent, p.total)
	}
	return n, err
}

// Pacer spaces a client's requests so it never bursts past a service's
// rate limit. It is per client: one Target value, one pace.
//
// A request goes an interval after the one before it went and an interval
// after the last one finished. The second rule is what keeps a service's
// count honest: a request's arrival can lag its sending (the first one on
// a connection waits for the connection), so requests spaced only when
// sent can arrive closer than the interval; a request that waits for the
// previous reply arrives at least an interval after it.
type Pacer struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time // when the next request may go
	lastDone time.Time // when the last request finished
}

// NewPacer allows one request per interval (no burst beyond one).
func NewPacer(interval time.Duration) *Pacer {
	return &Pacer{interval: interval}
}

// Wait blocks until the next request may go, or ctx ends, and returns the
// function to call when the request has finished (its reply read). When
// it has to wait, it tells the notice WithPaceNotice put in ctx when the
// request will go, and the zero time once the wait is over.
func (p *Pacer) Wait(ctx context.Context) (done func(), err error) {
	if p.interval <= 0 {
		return func() {}, nil
	}
	p.mu.Lock()
	now := time.Now()
	at := now
	if p.next.After(at) {
		at = p.next
	}
	if after := p.lastDone.Add(p.interval); !p.lastDone.IsZero() && after.After(at) {
		at = after
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return p.finished, nil
	}
	if notice, ok := ctx.Value(paceNoticeKey{}).(func(time.Time)); ok {
		notice(at)
		defer notice(time.Time{})
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return p.finished, nil
	case <-ctx.Done():
		// Give the slot back to the next request, unless a later one
		// took the slot after it.
		p.mu.Lock()
		if p.next.Equal(at.Add(p.interval)) {
			p.next = at
		}
		p.mu.Unlock()
		return nil, ctx.Err()
	}
}

// finished records that a request has finished.
func (p *Pacer) finished() {
	p.mu.Lock()
	if now := time.Now(); now.After(p.lastDone) {
		p.lastDone = now
	}
	p.mu.Unlock()
}

type paceNoticeKey struct{}

// WithPaceNotice returns a context under which a Pacer that has to hold a
// request back calls notice with the time the request will go, then with
// the zero time when it goes: a front end can then say it is waiting for
// the service's pace rather than show a transfer that does not move.
func WithPaceNotice(ctx context.Context, notice func(until time.Time)) context.Context {
	return context.WithValue(ctx, paceNoticeKey{}, notice)
}

// RetryAfter parses a Retry-After header in seconds or HTTP-date form;
// it returns 0 when absent or unparsable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
