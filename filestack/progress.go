package filestack

import (
	"context"
	"io"
	"sync"
	"time"
)

// EventKind says what an Event reports.
type EventKind int

// Progress event kinds.
const (
	// EventStarted: the upload began; Total, Parts and Size (part size) are set.
	EventStarted EventKind = iota
	// EventPartStarted: a part (or II chunk at Offset) started sending.
	EventPartStarted
	// EventProgress: bytes reached the connection; Sent is the new total.
	EventProgress
	// EventPartDone: a part is stored (regular) or committed (II).
	EventPartDone
	// EventRetry: a request failed and will be retried; Err says why.
	EventRetry
	// EventChunkSize: intelligent ingestion halved its chunk size to Size.
	EventChunkSize
	// EventRestarted: a resume could not continue; a fresh upload begins. Reason says why.
	EventRestarted
	// EventDone: the file is stored.
	EventDone
)

var eventNames = [...]string{"started", "part-started", "progress", "part-done", "retry", "chunk-size", "restarted", "done"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// Event is one progress report. Callbacks receive it from worker
// goroutines and must not block: copy what you need and return (a UI should
// try-send into a buffered channel and coalesce).
type Event struct {
	Kind    EventKind
	Part    int   // 1-based part number; 0 for file-level events
	Parts   int   // number of parts
	Offset  int64 // chunk offset within the part (intelligent ingestion)
	Size    int64 // part size, chunk size, or new chunk size
	Sent    int64 // bytes of the file written to connections so far, monotonic
	Total   int64 // file size
	Attempt int   // retry number for EventRetry: the attempt that failed
	// Attempts is the retry policy's limit of attempts for the request
	// (EventRetry; 0 when the retry is bounded otherwise), and Wait how
	// long the client waits before it tries again.
	Attempts int
	Wait     time.Duration
	Err      error // reason for EventRetry
	Reason   string
}

// tracker turns per-part write positions into a monotonic file total: each
// part counts its highest position reached in any attempt, so a retried
// part never makes the total run backwards, and the total ends exactly at
// the file size.
type tracker struct {
	ctx   context.Context
	emit  func(Event)
	mu    sync.Mutex
	total int64
	parts int
	sent  int64
	hw    map[int]int64
}

func newTracker(ctx context.Context, emit func(Event), total int64) *tracker {
	return &tracker{ctx: ctx, emit: emit, total: total, hw: map[int]int64{}}
}

// send delivers an event unless the upload was cancelled: after cancel no
// progress is reported.
func (t *tracker) send(e Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sendLocked(e)
}

// sendLocked emits with the lock held, so events leave in the order their
// totals were computed and Sent never runs backwards.
func (t *tracker) sendLocked(e Event) {
	if t.emit == nil || t.ctx.Err() != nil {
		return
	}
	e.Total, e.Parts, e.Sent = t.total, t.parts, t.sent
	t.emit(e)
}

// reach records that part has been written up to pos (bytes within the part).
func (t *tracker) reach(part int, pos int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	grow := pos - t.hw[part]
	if grow <= 0 {
		return
	}
	t.hw[part] = pos
	t.sent += grow
	t.sendLocked(Event{Kind: EventProgress, Part: part})
}

// preload counts parts already sent (resume) without emitting per-part events.
func (t *tracker) preload(part int, size int64) {
	t.mu.Lock()
	t.sent += size - t.hw[part]
	t.hw[part] = size
	t.mu.Unlock()
}

// countingReader reports bytes as written: a Read's bytes are credited when
// the transport comes back for more (it has written the previous buffer to
// the connection by then) or when the response arrives (flush).
type countingReader struct {
	r       io.Reader
	t       *tracker
	part    int
	base    int64 // position of this body within the part
	done    int64 // bytes credited
	pending int64 // bytes handed out but not yet credited
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.credit()
	n, err := c.r.Read(p)
	c.pending += int64(n)
	return n, err
}

func (c *countingReader) credit() {
	if c.pending > 0 {
		c.done += c.pending
		c.pending = 0
		c.t.reach(c.part, c.base+c.done)
	}
}

// flush credits the last buffer once the server has answered.
func (c *countingReader) flush() { c.credit() }
