package hosts

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
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
type Pacer struct {
	lim *rate.Limiter
}

// NewPacer allows one request per interval (no burst beyond one).
func NewPacer(interval time.Duration) *Pacer {
	if interval <= 0 {
		return &Pacer{lim: rate.NewLimiter(rate.Inf, 1)}
	}
	return &Pacer{lim: rate.NewLimiter(rate.Every(interval), 1)}
}

// Wait blocks until the next request may go, or ctx ends. When it has to
// wait, it tells the notice WithPaceNotice put in ctx when the request
// will go, and the zero time once the wait is over.
func (p *Pacer) Wait(ctx context.Context) error {
	r := p.lim.Reserve()
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	if notice, ok := ctx.Value(paceNoticeKey{}).(func(time.Time)); ok {
		notice(time.Now().Add(d))
		defer notice(time.Time{})
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel() // give the slot back to the next request
		return ctx.Err()
	}
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
