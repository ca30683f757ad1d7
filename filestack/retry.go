package filestack

import (
	"context"
	"math/rand/v2"
	"strconv"
	"time"
)

// RetryPolicy bounds retries: exponential backoff with full jitter between
// Base and Max, at most Attempts tries and MaxElapsed in total per request.
// The defaults (8 attempts, 250 ms doubling to 15 s, 3 minutes) give up on
// a server that refuses connections after about 30 s and 8 attempts; the
// error then says so ("gave up after 8 attempts over 31s: …").
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
// over an exponentially growing window, or the server's reset time for 429;
// a full disk on the server (507) is waited on for the longest, Max.
func (p RetryPolicy) backoff(n int, err error, now time.Time) time.Duration {
	if e, ok := err.(*Error); ok && e.retryAfter > 0 {
		if d := time.Unix(e.retryAfter, 0).Sub(now); d > 0 {
			return min(d+100*time.Millisecond, p.Max)
		}
	}
	if IsInsufficientStorage(err) {
		return p.Max
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

// retryFunc reports each retry (the attempt that failed, the limit, the
// wait before the next and the error that caused it).
type retryFunc func(r Retry)

// Retry is one retry of a request, as WithRetryObserver reports it.
type Retry struct {
	// Op is the operation ("list", "send part 3"…).
	Op string
	// Attempt is the number of the attempt that failed (1 for the first);
	// the request is tried again after Wait.
	Attempt int
	// Attempts is the policy's limit of attempts for the request (0 when
	// the retry is bounded otherwise).
	Attempts int
	// Err is why the attempt failed; its text is safe to show.
	Err  error
	Wait time.Duration
}

// event is r as a progress event of part.
func (r Retry) event(part int) Event {
	return Event{Kind: EventRetry, Part: part, Attempt: r.Attempt, Attempts: r.Attempts, Wait: r.Wait, Err: r.Err}
}

type retryObserverKey struct{}

// WithRetryObserver returns a context under which every request of the
// client reports its retries to fn (from the request's goroutine; fn must
// not block). A front end uses it to show "attempt 3, last error: …" while
// a refresh or any other call keeps retrying.
func WithRetryObserver(ctx context.Context, fn func(Retry)) context.Context {
	return context.WithValue(ctx, retryObserverKey{}, fn)
}

// giveUp marks a temporary error the policy stopped retrying: its text
// then says how many attempts were made over how long.
func giveUp(err error, attempts int, elapsed time.Duration) error {
	e, ok := err.(*Error)
	if !ok || attempts < 2 {
		return err
	}
	c := *e
	c.Attempts, c.Elapsed = attempts, elapsed
	return &c
}

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
			return giveUp(err, attempt, time.Since(start))
		}
		wait := p.backoff(attempt, err, time.Now())
		if time.Since(start)+wait > p.MaxElapsed {
			return giveUp(err, attempt, time.Since(start))
		}
		r := Retry{Op: opOf(err), Attempt: attempt, Attempts: p.Attempts, Err: err, Wait: wait}
		if onRetry != nil {
			onRetry(r)
		}
		if observe, ok := ctx.Value(retryObserverKey{}).(func(Retry)); ok && observe != nil {
			observe(r)
		}
		if werr := c.sleep(ctx, opOf(err), wait); werr != nil {
			return werr
		}
	}
}

// sleep waits d between attempts, or less when ctx is done: then it is
// the network error for op, worded as every cancelled wait is.
func (c *Client) sleep(ctx context.Context, op string, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return c.netError(op, ctx.Err())
	case <-t.C:
		return nil
	}
}

func opOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Op
	}
	return "request"
}
