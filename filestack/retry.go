package filestack

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"
)

// RetryPolicy bounds retries: exponential backoff with full jitter between
// Base and Max, at most Attempts tries and MaxElapsed in total per request.
type RetryPolicy struct {
	Attempts   int
	Base, Max  time.Duration
	MaxElapsed time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 8
	}
	if p.Base <= 0 {
		p.Base = 250 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 15 * time.Second
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = 3 * time.Minute
	}
	return p
}

// backoff is the wait before attempt n (1-based retry count): full jitter
// over an exponentially growing window, or the server's reset time for 429.
func (p RetryPolicy) backoff(n int, err error, now time.Time) time.Duration {
	if e, ok := err.(*Error); ok && e.retryAfter > 0 {
		if d := time.Unix(e.retryAfter, 0).Sub(now); d > 0 {
			return min(d+100*time.Millisecond, p.Max)
		}
	}
	window := p.Base << min(n-1, 20)
	if window > p.Max || window <= 0 {
		window = p.Max
	}
	return window/2 + rand.N(window/2+1)
}

func parseReset(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// retryFunc reports each retry (attempt number, the error that caused it).
type retryFunc func(attempt int, err error)

// withRetry runs fn until it succeeds, fails permanently, the policy is
// exhausted or ctx ends. fn returns *Error values; IsTemporary decides.
func (c *Client) withRetry(ctx context.Context, onRetry retryFunc, fn func() error) error {
	p := c.cfg.Retry
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !IsTemporary(err) || ctx.Err() != nil {
			if ctx.Err() != nil && err != nil {
				return c.netError(opOf(err), ctx.Err())
			}
			return err
		}
		if attempt >= p.Attempts {
			return err
		}
		wait := p.backoff(attempt, err, time.Now())
		if time.Since(start)+wait > p.MaxElapsed {
			return err
		}
		if onRetry != nil {
			onRetry(attempt, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return c.netError(opOf(err), ctx.Err())
		case <-t.C:
		}
	}
}

func opOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Op
	}
	return "request"
}
