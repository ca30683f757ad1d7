package emulator

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// sendGuard bounds how long a response may wait on a client that does not
// read it, as idleBody does for request bodies: before every chunk it
// moves the connection's write deadline to now+idle, so a client that
// takes nothing of a chunk for idle is cut; and, after the first idle
// period, every minRate bytes taken buy one more second, so a client
// trickling a byte now and then cannot hold the connection either.
//
// The chunk is what "nothing" is measured in: a write blocks once the
// socket buffers are full, and only its end is seen. sendChunk is small
// enough for a client at a few KiB/s to take one within the idle time,
// and large enough that a fast download costs a few deadline updates a
// megabyte (sendfile keeps working chunk by chunk).
type sendGuard struct {
	http.ResponseWriter
	rc      *http.ResponseController
	idle    time.Duration
	minRate int64
	start   time.Time // first write
	n       int64
}

// sendChunk is the most written under one deadline.
const sendChunk = 128 << 10

func newSendGuard(w http.ResponseWriter, idle time.Duration, minRate int64) *sendGuard {
	return &sendGuard{ResponseWriter: w, rc: http.NewResponseController(w), idle: idle, minRate: minRate}
}

// GuardSenders applies the server's response deadlines (WriteIdleTimeout,
// WriteMinRate) to every response of h, for handlers mounted beside the
// Server (the hosting emulators under fsdeck serve and local mode). The
// Server's own responses under it are not guarded twice.
func (s *Server) GuardSenders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := newSendGuard(w, s.opts.WriteIdleTimeout, s.opts.WriteMinRate)
		defer g.finish()
		h.ServeHTTP(g, r)
	})
}

// isGuarded reports whether w already sends through a sendGuard.
func isGuarded(w http.ResponseWriter) bool {
	for {
		switch v := w.(type) {
		case *sendGuard:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return false
		}
	}
}

// arm sets the deadline for the next chunk, or refuses when the client
// has already fallen below the minimum rate.
func (g *sendGuard) arm() error {
	now := time.Now()
	if g.start.IsZero() {
		g.start = now
	}
	deadline := now.Add(g.idle)
	if g.minRate > 0 {
		earned := time.Duration(float64(g.n) / float64(g.minRate) * float64(time.Second))
		deadline = minTime(deadline, g.start.Add(g.idle+earned))
	}
	if !deadline.After(now) {
		return errSlowReader
	}
	// Wrappers that cannot set deadlines (httptest recorders) just write
	// without one; real connections always can.
	_ = g.rc.SetWriteDeadline(deadline)
	return nil
}

// errSlowReader ends a response whose client takes it too slowly.
var errSlowReader = errors.New("the client took the response too slowly: nothing (or too little) was read within the write idle timeout")

// WriteHeader sends the header under a deadline of its own: a response
// without a body must not be held either.
func (g *sendGuard) WriteHeader(code int) {
	if g.arm() == nil {
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *sendGuard) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if err := g.arm(); err != nil {
			return n, err
		}
		c := min(len(p), sendChunk)
		m, err := g.ResponseWriter.Write(p[:c])
		n += m
		g.n += int64(m)
		if err != nil {
			return n, err
		}
		p = p[c:]
	}
	return n, nil
}

// ReadFrom sends a file chunk by chunk, each under its deadline, keeping
// sendfile: a chunk of an *os.File (or of an io.LimitedReader of one, as
// http.ServeContent passes) is handed on in the form sendfile takes.
func (g *sendGuard) ReadFrom(src io.Reader) (int64, error) {
	var total int64
	lr, limited := src.(*io.LimitedReader)
	inner := src
	if limited {
		inner = lr.R
	}
	for {
		if limited && lr.N <= 0 {
			return total, nil
		}
		if err := g.arm(); err != nil {
			return total, err
		}
		size := int64(sendChunk)
		if limited {
			size = min(size, lr.N)
		}
		var m int64
		var err error
		if _, isFile := inner.(*os.File); isFile {
			m, err = io.Copy(g.ResponseWriter, &io.LimitedReader{R: inner, N: size})
		} else {
			m, err = io.CopyN(g.ResponseWriter, inner, size)
			if err == io.EOF {
				err = nil
			}
		}
		total += m
		g.n += m
		if limited {
			lr.N -= m
		}
		if err != nil || m < size {
			return total, err
		}
	}
}

// finish gives whatever the handler left buffered (written when it
// returns) a full idle period of its own.
func (g *sendGuard) finish() {
	_ = g.rc.SetWriteDeadline(time.Now().Add(g.idle))
}

// Unwrap lets http.ResponseController and noteCause reach the writer.
func (g *sendGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// Flush flushes under a fresh deadline.
func (g *sendGuard) Flush() {
	if g.arm() == nil {
		_ = g.rc.Flush()
	}
}
