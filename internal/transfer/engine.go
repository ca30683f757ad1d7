package transfer

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Engine runs transfers. Its methods are safe for concurrent use and never
// block on the network: transfers run in goroutines of their own.
type Engine struct {
	parent context.Context
	opts   Options
	wake   chan struct{}
	wg     sync.WaitGroup // running transfers
	seq    atomic.Uint64  // grows with every change, progress included

	// meter counts bytes moved by all jobs in this run. It has its own
	// lock so progress callbacks never wait for a Snapshot.
	meterMu sync.Mutex
	meter   meter

	mu        sync.Mutex
	target    Target
	jobs      []*job
	groups    []*group
	nextJob   JobID
	nextGroup GroupID
	closed    bool
	// queue holds jobs in the order they were queued; an entry whose job
	// is no longer Queued when its turn comes is skipped, so pausing or
	// cancelling never searches it. running counts Running jobs.
	queue   []*job
	running int
	// Local copies and moves have a lane of their own (local.go).
	localQueue   []*job
	localRunning int
	localWorker  localWorker
	// retired counts, per group, the jobs TakeFinished removed.
	retired map[GroupID]*Totals
}

// job is one transfer. Fields are guarded by the engine's mutex, except
// live, which has its own.
type job struct {
	id        JobID
	group     GroupID
	dir       Direction
	name      string
	path      string
	storePath string
	handle    string
	size      int64
	target    Target
	// url is a finished host upload's main URL.
	url string

	state    State
	err      string
	cause    error // the error err words, for errors.Is/As in front ends
	warnings []string
	started  time.Time
	finished time.Time
	cancel   context.CancelCauseFunc
	stopping error // why the running job was asked to stop
	live     *live

	// Uploads: the journal's id (0: not journaled yet) and the session a
	// resume continues.
	journalID int64
	resume    *hosts.Session
	// resumable is set for an upload whose target uploads in parts, of a
	// file larger than resumeAbove (its Capabilities.ResumeAbove), and
	// for a download by id into a journaled partial file.
	resumable   bool
	resumeAbove int64
	// Downloads: the partial file a resume continues, and the final path.
	part    partial
	savedAs string
	// Local copies and moves: what to make where (nil for transfers).
	local *LocalItem
	// fetch brings the bytes instead of Target.Remote (hosting services).
	fetch Fetcher
}

type group struct {
	id   GroupID
	name string
	dir  Direction
}

// New makes an engine. Every transfer's context derives from ctx: when it
// ends, transfers stop as they do at Shutdown.
func New(ctx context.Context, opts Options) *Engine {
	if opts.FileConcurrency <= 0 {
		opts.FileConcurrency = 4
	}
	if opts.PartConcurrency <= 0 {
		opts.PartConcurrency = 8
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SpeedWindow <= 0 {
		opts.SpeedWindow = 5 * time.Second
	}
	if opts.BookkeepingTimeout <= 0 {
		opts.BookkeepingTimeout = 30 * time.Second
	}
	return &Engine{parent: ctx, opts: opts, target: opts.Target, wake: make(chan struct{}, 1),
		meter: meter{window: opts.SpeedWindow}}
}

// Wake receives after changes (coalesced: one receive may stand for many
// changes). Take a Snapshot after each receive. The channel is never closed.
func (e *Engine) Wake() <-chan struct{} { return e.wake }

// poke records a change and signals Wake without ever blocking.
func (e *Engine) poke() {
	e.seq.Add(1)
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// changed records a state change; the caller holds e.mu (so the change
// is visible to the Snapshot the wake leads to).
func (e *Engine) changed() { e.poke() }

// SetTarget sets where jobs added from now on go (after switching from the
// local server to Filestack, for example). Jobs already added keep theirs.
func (e *Engine) SetTarget(t Target) {
	e.mu.Lock()
	e.target = t
	e.mu.Unlock()
}

// now reads the injected clock.
func (e *Engine) now() time.Time { return e.opts.Now() }

// bookkeeping is the context of a journal or ledger call: it keeps the
// parent's values but not its cancellation, so a stopping transfer is
// still recorded, and it is bounded.
func (e *Engine) bookkeeping() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(e.parent), e.opts.BookkeepingTimeout)
}

// addGroup registers a group and its jobs (each job has its direction
// already), all going to t; the caller holds e.mu.
func (e *Engine) addGroup(name string, dir Direction, t Target, jobs []*job) GroupID {
	e.nextGroup++
	g := &group{id: e.nextGroup, name: name, dir: dir}
	e.groups = append(e.groups, g)
	e.addJobs(g, t, jobs)
	return g.id
}

// addJobs adds jobs to group g, all going to t, and starts what may
// start; the caller holds e.mu.
func (e *Engine) addJobs(g *group, t Target, jobs []*job) {
	dir := g.dir
	resumable, above := t.resumes(dir)
	for _, j := range jobs {
		e.nextJob++
		j.id, j.group, j.target = e.nextJob, g.id, t
		j.resumable, j.resumeAbove = resumable && (dir == Upload || j.fetch == nil), above
		if j.live == nil {
			j.live = newLive(j.size, j.resume, e.opts.SpeedWindow, time.Time{})
		}
		e.jobs = append(e.jobs, j)
		if j.state == Queued {
			e.push(j)
		}
	}
	e.schedule()
	e.changed()
}

func (e *Engine) byID(id JobID) *job {
	for _, j := range e.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

// schedule starts queued jobs, oldest first, while fewer than
// FileConcurrency run; the caller holds e.mu.
func (e *Engine) schedule() {
	if e.closed || e.parent.Err() != nil {
		return
	}
	for e.running < e.opts.FileConcurrency && len(e.queue) > 0 {
		j := e.queue[0]
		e.queue[0] = nil
		e.queue = e.queue[1:]
		if j.state != Queued {
			continue
		}
		e.start(j)
	}
	e.scheduleLocal()
}

// enqueue makes a job Queued again (Resume, Retry); the caller holds e.mu.
func (e *Engine) enqueue(j *job) {
	j.state, j.err, j.cause = Queued, "", nil
	e.push(j)
}

// ended settles a run: the job is no longer Running and the next may
// start. The caller holds e.mu.
func (e *Engine) ended(j *job) {
	e.count(j, -1)
	j.finished, j.cancel = e.now(), nil
}

// start runs a job in a goroutine; the caller holds e.mu.
func (e *Engine) start(j *job) {
	ctx, cancel := context.WithCancelCause(e.parent)
	now := e.now()
	j.state, j.err, j.cause, j.cancel, j.started, j.finished = Running, "", nil, cancel, now, time.Time{}
	j.stopping = nil
	prev := j.live
	j.live = newLive(j.size, j.resume, e.opts.SpeedWindow, now)
	if j.dir == Download && j.part.path != "" && prev != nil {
		// What the partial file holds shows as received from the start
		// (the download sets the exact offset once it opens the file).
		prev.mu.Lock()
		j.live.acked, j.live.resumed = prev.acked, prev.acked
		prev.mu.Unlock()
	}
	if e.running+e.localRunning == 0 {
		e.meterMu.Lock()
		e.meter.start(now)
		e.meterMu.Unlock()
	}
	e.count(j, 1)
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		defer cancel(nil)
		pu, parts := j.target.Service.(hosts.PartUploader)
		switch {
		case j.dir == Download:
			e.runDownload(ctx, j)
		case j.dir == Copy || j.dir == Move:
			e.runLocal(ctx, j)
		case parts:
			e.runUpload(ctx, j, pu)
		default:
			e.runHostUpload(ctx, j)
		}
	}()
}

// stopWith cancels the running job. A cancel outranks an earlier pause or
// shutdown request (the person asked for it last and it must drop the
// journal entry); the caller holds e.mu.
func (j *job) stopWith(cause error) {
	if j.stopping != errCancelled {
		j.stopping = cause
	}
	j.cancel(cause)
}

// stopCause is why a job's run ended early: what it was asked, else its
// context's cause (the parent's, when that ended).
func (e *Engine) stopCause(ctx context.Context, j *job) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if j.stopping != nil {
		return j.stopping
	}
	return context.Cause(ctx)
}

// moved counts bytes sent in this run for the overall speed.
func (e *Engine) moved(n int64) {
	if n == 0 {
		return
	}
	e.meterMu.Lock()
	e.meter.add(e.now(), n)
	e.meterMu.Unlock()
}

// warn keeps a problem on the job that did not stop it.
// The same problem is kept once, however often it recurs.
func (e *Engine) warn(j *job, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if slices.Contains(j.warnings, text) {
		return
	}
	j.warnings = append(j.warnings, text)
	e.changed()
}

// Snapshot copies the state of every job, group and the whole. With many
// jobs, Summary and GroupJobs copy less.
func (e *Engine) Snapshot() Snapshot {
	return e.snapshot(func(*job) bool { return true }, true)
}

func (j *job) snapshot(now time.Time) JobSnapshot {
	s := JobSnapshot{ID: j.id, Group: j.group, Dir: j.dir, State: j.state, Name: j.name, LocalPath: j.path,
		StorePath: j.storePath, Handle: j.handle, SavedAs: j.savedAs, Size: j.size, Err: j.err, Cause: j.cause,
		Warnings: append([]string(nil), j.warnings...), Started: j.started, Finished: j.finished,
		Target: j.target.name(), URL: j.url}
	j.live.fill(&s, now)
	s.Resumable = j.resumable && (j.dir != Upload || j.resumesParts(s.Parts))
	if j.state != Running {
		s.Speed, s.InFlight, s.Retrying, s.Attempt, s.Attempts, s.NextTry = 0, 0, false, 0, 0, time.Time{}
	}
	s.ETA = -1
	if j.state == Running {
		s.ETA = eta(s.Size-s.Acked, s.Speed)
	}
	return s
}

// resumes says whether jobs of dir against t continue where they stopped
// (see JobSnapshot.Resumable), and above what size an upload does.
func (t Target) resumes(dir Direction) (bool, int64) {
	switch dir {
	case Upload:
		if _, ok := t.Service.(hosts.PartUploader); ok {
			return true, t.Service.Capabilities().ResumeAbove
		}
	case Download:
		_, journaled := t.Journal.(DownloadJournal)
		return journaled && t.ranged(), 0
	}
	return false, 0
}

// resumesParts tells an upload that has (or will have) a session of more
// than one part, which a resume continues, from one sent in one request
// or one part, which starts again.
func (j *job) resumesParts(parts []PartState) bool {
	if len(parts) > 0 {
		return len(parts) > 1
	}
	return j.size > j.resumeAbove
}
