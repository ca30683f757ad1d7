package ui

import (
	"sync"

	"github.com/fsdeck/fsdeck/filestack"
)

// chunkState is one cell of a transfer's chunk strip.
type chunkState uint8

const (
	chunkPending chunkState = iota
	chunkSending
	chunkRetried
	chunkDone
)

// live is a transfer's progress as the upload goroutines report it. The
// callback writes under the mutex (never blocking on the UI); the UI reads
// a snapshot on each redraw tick. This coalesces any event rate into the
// UI's frame rate.
type live struct {
	mu        sync.Mutex
	sent      int64
	total     int64
	parts     []chunkState
	retries   int
	lastRetry string
	chunk     int64
	restarted string
	session   *filestack.Session
	started   bool
	retrying  bool // a retry is pending: no byte has moved since it
}

// liveSnap is a copy of live for one frame.
type liveSnap struct {
	sent, total int64
	parts       []chunkState
	retries     int
	lastRetry   string
	chunk       int64
	restarted   string
	started     bool
	retrying    bool
}

func (l *live) apply(e filestack.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Total > 0 {
		l.total = e.Total
	}
	if e.Parts > 0 && len(l.parts) != e.Parts {
		l.parts = make([]chunkState, e.Parts)
	}
	part := func(s chunkState) {
		if i := e.Part - 1; i >= 0 && i < len(l.parts) && (l.parts[i] != chunkDone || s == chunkDone) {
			if !(l.parts[i] == chunkRetried && s == chunkSending) {
				l.parts[i] = s
			}
		}
	}
	switch e.Kind {
	case filestack.EventStarted:
		l.started = true
	case filestack.EventPartStarted:
		part(chunkSending)
	case filestack.EventProgress:
		if e.Sent > l.sent {
			l.sent = e.Sent
			l.retrying = false
		}
	case filestack.EventPartDone:
		part(chunkDone)
		l.retrying = false
	case filestack.EventRetry:
		l.retries++
		l.retrying = true
		if e.Err != nil {
			l.lastRetry = e.Err.Error()
		}
		part(chunkRetried)
	case filestack.EventChunkSize:
		l.chunk = e.Size
	case filestack.EventRestarted:
		l.restarted = e.Reason
		l.sent = 0
		l.parts = nil
	case filestack.EventDone:
		l.sent = l.total
	}
}

// setBytes records download progress (downloads have no parts).
func (l *live) setBytes(sent, total int64) {
	l.mu.Lock()
	if sent > l.sent {
		l.sent = sent
	}
	if total > 0 {
		l.total = total
	}
	l.started = true
	l.mu.Unlock()
}

// restartBytes starts a download's count again from zero, saying why.
func (l *live) restartBytes(reason string) {
	l.mu.Lock()
	l.sent, l.restarted = 0, reason
	l.mu.Unlock()
}

func (l *live) setSession(s filestack.Session) {
	l.mu.Lock()
	l.session = &s
	l.mu.Unlock()
}

// latestSession is what a resume continues from (nil before start answered).
func (l *live) latestSession() *filestack.Session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.session
}

func (l *live) snapshot(buf []chunkState) liveSnap {
	l.mu.Lock()
	defer l.mu.Unlock()
	return liveSnap{sent: l.sent, total: l.total, parts: append(buf[:0], l.parts...), retries: l.retries,
		lastRetry: l.lastRetry, chunk: l.chunk, restarted: l.restarted, started: l.started, retrying: l.retrying}
}

// poke wakes the UI's listener without ever blocking the caller.
func poke(ch chan<- struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
