package transfer

import (
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// live is one run of a job as the client's goroutines report it. Callbacks
// write under its own mutex (never the engine's, so a busy upload does not
// hold up the others or a snapshot for long).
type live struct {
	mu       sync.Mutex
	total    int64
	acked    int64
	parts    []PartState
	partSize int64
	flying   map[int]int64 // bytes written per part since its last ack or retry
	lastSent int64         // the client's Sent at the last event
	resumed  int64         // acked before this run sent anything

	retries   int
	attempt   int
	attempts  int       // the client's limit for the request retried (0: not said)
	nextTry   time.Time // when the client tries again (zero: not said)
	lastRetry string
	retrying  bool
	chunk     int64
	restarted string
	paceUntil time.Time // a hosting service's pace holds the request until then
	meter     meter
}

func newLive(total int64, sess *hosts.Session, window time.Duration, now time.Time) *live {
	l := &live{total: total, flying: map[int]int64{}, meter: meter{window: window}}
	l.meter.start(now)
	if sess != nil && sess.Parts > 0 {
		// Parts the session holds show as done before the job even starts.
		l.parts, l.partSize = make([]PartState, sess.Parts), sess.PartSize
		for _, p := range sess.Done {
			if i := p.Number - 1; i >= 0 && i < len(l.parts) && l.parts[i] != PartDone {
				l.parts[i] = PartDone
				l.acked += p.Size
			}
		}
		l.resumed = l.acked
	}
	return l
}

// apply records one event of the target; moved reports bytes newly
// acknowledged in this run, for the engine's overall speed. Speed and ETA
// count acknowledged bytes only (a part when its PUT answered): bytes
// handed to the network may still be thrown away, so a server that
// refuses everything shows no speed and no ETA, and a transfer nothing of
// which is acknowledged yet has none either.
func (l *live) apply(e hosts.PartEvent, now time.Time) (moved int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Total > 0 {
		l.total = e.Total
	}
	switch e.Kind {
	case hosts.UploadStarted:
		l.started(e)
	case hosts.PartStarted:
		l.setPart(e.Part, PartSending)
	case hosts.PartProgress:
		if sent := max(0, e.Sent-l.lastSent); sent > 0 {
			l.flying[e.Part] += sent
			l.retrying = false
		}
		l.lastSent = max(l.lastSent, e.Sent)
	case hosts.PartDone:
		moved = l.partDone(e.Part, e.Size, now)
	case hosts.PartRetry:
		l.retried(e.Attempt, e.Err)
		l.attempts, l.nextTry = e.Attempts, time.Time{}
		if e.Wait > 0 {
			l.nextTry = now.Add(e.Wait)
		}
		delete(l.flying, e.Part)
		l.setPart(e.Part, PartRetrying)
	case hosts.ChunkSize:
		l.chunk = e.Size
	case hosts.UploadRestarted:
		l.restarted = e.Reason
		l.acked, l.resumed, l.lastSent = 0, 0, 0
		l.parts = nil
		clear(l.flying)
	}
	return moved
}

// retried records a failed attempt that will be tried again; the caller
// holds l.mu.
func (l *live) retried(attempt int, err error) {
	l.retries++
	l.retrying = true
	l.attempt, l.attempts, l.nextTry = attempt, 0, time.Time{}
	if err != nil {
		l.lastRetry = err.Error()
	}
}

// downloadRetry records a failed download attempt.
func (l *live) downloadRetry(attempt int, err error) {
	l.mu.Lock()
	l.retried(attempt, err)
	l.mu.Unlock()
}

// started sizes the part strip; a resumed session's parts stay done.
func (l *live) started(e hosts.PartEvent) {
	l.lastSent = e.Sent
	if e.Parts > 0 && (len(l.parts) != e.Parts || l.partSize != e.Size) {
		l.parts, l.partSize = make([]PartState, e.Parts), e.Size
		l.acked, l.resumed = 0, 0
	}
}

func (l *live) setPart(n int, s PartState) {
	if i := n - 1; i >= 0 && i < len(l.parts) && l.parts[i] != PartDone {
		l.parts[i] = s
	}
}

// partDone counts a part as acknowledged once, however often it is
// reported; moved is what it adds (0 when it was counted already).
func (l *live) partDone(n int, size int64, now time.Time) (moved int64) {
	i := n - 1
	if i < 0 || i >= len(l.parts) || l.parts[i] == PartDone {
		return 0
	}
	l.parts[i] = PartDone
	l.acked += size
	delete(l.flying, n)
	l.retrying = false
	l.meter.add(now, size)
	return size
}

// written records a download's progress: what is in the file counts as
// acknowledged. moved is bytes new to this run.
func (l *live) written(n, total int64, now time.Time) (moved int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if total > 0 {
		l.total = total
	}
	if n > l.acked {
		moved = n - l.acked
		l.acked = n
		l.retrying = false
		l.meter.add(now, moved)
	}
	return moved
}

// restartDownload starts a download's count from zero, saying why.
func (l *live) restartDownload(reason string) {
	l.mu.Lock()
	l.acked, l.resumed, l.restarted = 0, 0, reason
	l.mu.Unlock()
}

// fill copies the progress into a job snapshot; speed only for a running
// job (the others have none).
func (l *live) fill(j *JobSnapshot, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.total > 0 || j.Size <= 0 {
		j.Size = l.total
	}
	j.Acked = l.acked
	for _, n := range l.flying {
		j.InFlight += n
	}
	j.InFlight = min(j.InFlight, max(0, j.Size-j.Acked))
	j.Parts = append([]PartState(nil), l.parts...)
	j.PartSize, j.Resumed = l.partSize, l.resumed
	j.Retries, j.LastRetry, j.Retrying = l.retries, l.lastRetry, l.retrying
	if l.retrying {
		j.Attempt, j.Attempts, j.NextTry = l.attempt, l.attempts, l.nextTry
	}
	j.ChunkSize, j.Restarted = l.chunk, l.restarted
	if j.State == Running {
		j.PacedUntil = l.paceUntil
		j.Speed = l.meter.rate(now)
	}
}

// meter is a rolling-window rate: bytes moved in buckets of meterStep, so
// any event rate costs a bounded amount of memory. The rate is over the
// window, or over the time since start when that is shorter, so neither a
// fresh run nor one after an idle spell reads too low.
type meter struct {
	window  time.Duration
	since   time.Time
	buckets []bucket
}

type bucket struct {
	at time.Time
	n  int64
}

const meterStep = 100 * time.Millisecond

// start begins a run: earlier bytes no longer count.
func (m *meter) start(now time.Time) {
	m.since = now
	m.buckets = m.buckets[:0]
}

func (m *meter) add(now time.Time, n int64) {
	if m.since.IsZero() {
		m.since = now
	}
	if k := len(m.buckets); k > 0 && now.Sub(m.buckets[k-1].at) < meterStep {
		m.buckets[k-1].n += n
	} else {
		m.buckets = append(m.buckets, bucket{at: now, n: n})
	}
	cut := 0
	for cut < len(m.buckets) && now.Sub(m.buckets[cut].at) > m.window {
		cut++
	}
	m.buckets = append(m.buckets[:0], m.buckets[cut:]...)
}

// rate is bytes per second over the window; 0 while too little time passed
// to tell. A stall shows as a falling rate.
func (m *meter) rate(now time.Time) float64 {
	if m.since.IsZero() {
		return 0
	}
	from := now.Add(-m.window)
	if m.since.After(from) {
		from = m.since
	}
	dt := now.Sub(from)
	if dt < 200*time.Millisecond {
		return 0
	}
	var sum int64
	for _, b := range m.buckets {
		// A bucket holds bytes moved up to its time: one at the window's
		// edge is outside it, unless the edge is the run's start.
		if b.at.After(from) || (from.Equal(m.since) && !b.at.Before(from)) {
			sum += b.n
		}
	}
	// Bytes taken back by a refusal can outweigh the window's new ones.
	return float64(max(sum, 0)) / dt.Seconds()
}

// hostStart begins one attempt of a host upload: a single part, sending,
// nothing acknowledged (a host answers only once the whole file is in).
func (l *live) hostStart(size int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if size > 0 {
		l.total = size
	}
	l.parts, l.partSize = []PartState{PartSending}, max(size, 0)
	l.acked, l.lastSent = 0, 0
	clear(l.flying)
}

// hostSent records the body bytes handed to the network so far; they are
// in flight until the service answers, and move nothing (moved is 0).
func (l *live) hostSent(sent int64, now time.Time) (moved int64) {
	return l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: sent}, now)
}

// hostRetry records an attempt refused for a rate limit (its bytes were
// never counted as moved), tried again after wait, at most hostAttempts
// in all.
func (l *live) hostRetry(attempt int, wait time.Duration, err error, now time.Time) (moved int64) {
	return l.apply(hosts.PartEvent{Kind: hosts.PartRetry, Part: 1, Attempt: attempt, Attempts: hostAttempts, Wait: wait, Err: err}, now)
}

// hostPaced records that the service's pace holds the request back until
// until (zero: no longer).
func (l *live) hostPaced(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paceUntil = until
}

// hostDone counts the whole file as acknowledged: the service answered.
// moved is what that adds.
func (l *live) hostDone(now time.Time) (moved int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.partDone(1, l.total, now)
}
