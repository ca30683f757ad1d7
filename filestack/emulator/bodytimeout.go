package emulator

import (
	"errors"
	"io"
	"net"
	"net/http"
	"time"
)

// idleBody cuts a request body that stops delivering: before every read it
// moves the connection's read deadline to now+idle, so a client that sends
// nothing for idle is disconnected. A client that trickles a byte every
// few seconds would never trip that alone (slow-loris), so the deadline is
// also capped by a minimum average rate: after the first idle period every
// minRate bytes received buy one more second.
type idleBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	idle    time.Duration
	minRate int64
	start   time.Time // first read
	n       int64
}

func newIdleBody(w http.ResponseWriter, body io.ReadCloser, idle time.Duration, minRate int64) *idleBody {
	return &idleBody{ReadCloser: body, rc: http.NewResponseController(w), idle: idle, minRate: minRate}
}

func (b *idleBody) Read(p []byte) (int, error) {
	now := time.Now()
	if b.start.IsZero() {
		b.start = now // the clock starts when the handler first reads
	}
	deadline := now.Add(b.idle)
	if b.minRate > 0 {
		earned := time.Duration(float64(b.n) / float64(b.minRate) * float64(time.Second))
		deadline = minTime(deadline, b.start.Add(b.idle+earned))
	}
	if !deadline.After(now) {
		return 0, &bodyTimeoutError{}
	}
	// Wrappers that cannot set deadlines (httptest recorders) just read
	// without one; real connections always can.
	_ = b.rc.SetReadDeadline(deadline)
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	// At EOF net/http clears the deadline itself before it starts its
	// background read (which watches for the client going away). After a
	// timeout the expired deadline stays, so the server's own attempt to
	// drain the rest of the body fails at once and it hangs up.
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		err = &bodyTimeoutError{}
	}
	return n, err
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// bodyTimeoutError is a body cut for idling or trickling.
type bodyTimeoutError struct{}

func (*bodyTimeoutError) Error() string {
	return "the request body stalled: nothing (or too little) arrived within the body idle timeout"
}

// Timeout marks it as a timeout for callers that check net.Error.
func (*bodyTimeoutError) Timeout() bool { return true }

func isBodyTimeout(err error) bool {
	var bt *bodyTimeoutError
	return errors.As(err, &bt)
}
