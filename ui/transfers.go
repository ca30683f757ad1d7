package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
)

// tstate is a transfer row's state.
type tstate int

const (
	tQueued tstate = iota
	tRunning
	tPaused
	tDone
	tFailed
	tCancelled
)

var tstateNames = [...]string{"queued", "sending", "paused", "done", "failed", "cancelled"}

type direction int

const (
	dirUp direction = iota
	dirDown
)

// transfer is one row: a file going up or down.
type transfer struct {
	id        int
	dir       direction
	path      string // local path (source or destination)
	name      string // display name (unsanitised; sanitised when drawn)
	storePath string // store path for uploads of directories
	handle    string // remote handle (downloads, finished uploads)
	size      int64
	state     tstate
	err       string
	jobID     int64
	resume    *filestack.Session
	part      downloadPart // a paused or failed download's partial file
	live      *live
	snap      liveSnap
	samples   []sample
	started   time.Time
	finished  time.Time
	cancel    context.CancelCauseFunc
}

type sample struct {
	at   time.Time
	sent int64
}

// speedWindow is the rolling window for speed and ETA.
const speedWindow = 5 * time.Second

// observe appends a sample and drops those older than the window.
func (t *transfer) observe(now time.Time) {
	t.samples = append(t.samples, sample{at: now, sent: t.snap.sent})
	cut := 0
	for cut < len(t.samples)-2 && now.Sub(t.samples[cut].at) > speedWindow {
		cut++
	}
	t.samples = t.samples[cut:]
}

// speed is bytes per second over the window (0 when unknown).
func (t *transfer) speed() float64 {
	if len(t.samples) < 2 {
		return 0
	}
	a, b := t.samples[0], t.samples[len(t.samples)-1]
	dt := b.at.Sub(a.at).Seconds()
	if dt < 0.2 {
		return 0
	}
	return float64(b.sent-a.sent) / dt
}

// eta is the time left at the current speed, -1 when unknown.
func (t *transfer) eta() time.Duration {
	s := t.speed()
	left := t.total() - t.snap.sent
	if s <= 0 || left < 0 {
		return -1
	}
	return time.Duration(float64(left) / s * float64(time.Second))
}

func (t *transfer) total() int64 {
	if t.snap.total > 0 {
		return t.snap.total
	}
	return t.size
}

// Transfers is the transfers panel: it owns the rows and runs them
// (queueing with file concurrency, the journal, pause/resume/cancel/retry,
// resuming journaled uploads at start, downloads with partial files). The
// root only shows it and hands it requests.
type Transfers struct {
	env     *env
	keys    *KeyMap
	styles  *Styles
	rows    []*transfer
	list    listState
	width   int
	height  int
	focused bool

	nextID int
	wake   chan struct{}
	// listen waits for transfer progress: waitForProgress, which blocks
	// until a transfer pokes wake (tests that run commands one by one use
	// a non-blocking one).
	listen func(<-chan struct{}) tea.Cmd
	// inflight counts transfer commands still running (for Shutdown).
	inflight   *sync.WaitGroup
	batchStart time.Time
}

// NewTransfers makes an empty panel.
func NewTransfers(e *env) Transfers {
	return Transfers{env: e, keys: &e.keys, styles: &e.styles, wake: make(chan struct{}, 1),
		listen: waitForProgress, inflight: &sync.WaitGroup{}}
}

// Init looks for unfinished uploads and starts listening for progress.
func (t *Transfers) Init() tea.Cmd {
	return tea.Batch(loadJobs(t.env.d.Ledger, t.env.d.Scope), t.listen(t.wake))
}

// SetSize sets the outer size.
func (t *Transfers) SetSize(w, h int) {
	t.width, t.height = w, h
	t.list.setHeight(max(1, (h-3)/2))
}

// WantHeight is the height the panel would like for its rows.
func (t *Transfers) WantHeight() int { return max(5, 2*len(t.rows)+3) }

// Focus gives keyboard focus.
func (t *Transfers) Focus() { t.focused = true }

// Blur removes focus.
func (t *Transfers) Blur() { t.focused = false }

func (t *Transfers) add(r *transfer) {
	t.rows = append(t.rows, r)
	t.list.setLen(len(t.rows))
}

func (t *Transfers) byID(id int) *transfer {
	for _, r := range t.rows {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (t *Transfers) current() *transfer {
	if len(t.rows) == 0 {
		return nil
	}
	return t.rows[t.list.cursor]
}

// Active is how many rows are running or queued.
func (t *Transfers) Active() int {
	running, queued := t.counts()
	return running + queued
}

// counts returns running and queued rows.
func (t *Transfers) counts() (running, queued int) {
	for _, r := range t.rows {
		switch r.state {
		case tRunning:
			running++
		case tQueued:
			queued++
		}
	}
	return
}

// refresh snapshots every running row's live state (once per frame).
func (t *Transfers) refresh(now time.Time) {
	for _, r := range t.rows {
		if r.state != tRunning || r.live == nil {
			continue
		}
		r.snap = r.live.snapshot(r.snap.parts)
		r.observe(now)
	}
}

// overall is bytes done and total over the rows of the latest batches
// still on screen (cancelled rows excluded).
func (t *Transfers) overall() (done, total int64) {
	for _, r := range t.rows {
		if r.state == tCancelled {
			continue
		}
		total += r.total()
		if r.state == tDone {
			done += r.total()
		} else {
			done += r.snap.sent
		}
	}
	return
}

// Summary is the title bar's "⇅ n active · p%" ("" when idle).
func (t *Transfers) Summary() string {
	n := t.Active()
	if n == 0 {
		return ""
	}
	done, total := t.overall()
	return fmt.Sprintf("⇅ %d active · %s ", n, pct(done, total))
}

// Keys is the panel's key map; a row key is off when it cannot apply to
// the row under the cursor (retry a running row, pause a finished one).
func (t *Transfers) Keys() keyHelp {
	k := t.keys
	cur := t.current()
	can := func(states ...tstate) bool {
		if cur == nil {
			return true
		}
		for _, s := range states {
			if cur.state == s {
				return true
			}
		}
		return false
	}
	rowKeys := []key.Binding{enabled(k.Cancel, can(tQueued, tRunning, tPaused, tFailed)),
		enabled(k.Pause, can(tQueued, tRunning, tPaused)), enabled(k.Retry, can(tFailed, tCancelled))}
	all := []key.Binding{k.CancelAll, k.PauseAll, k.ClearDone}
	return keyHelp{short: rowKeys, full: [][]key.Binding{append(rowKeys, all...), k.movementKeys()}}
}

// Update handles requests and results of its commands always, keys when
// focused.
func (t Transfers) Update(msg tea.Msg) (Transfers, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if t.focused {
			return t.onKey(msg)
		}
	case uploadRequestMsg:
		return t, expandUploads(msg.paths, msg.base, t.env.d.Settings.Store.Path)
	case expandedMsg:
		return t.onExpanded(msg)
	case downloadRequestMsg:
		return t.download(msg)
	case uploadDoneMsg:
		return t.onUploadDone(msg)
	case downloadDoneMsg:
		return t.onDownloadDone(msg)
	case transferTickMsg:
		t.refresh(t.env.d.Now())
		return t, t.listen(t.wake)
	case jobsMsg:
		return t.onJobs(msg)
	case resumeJobsMsg:
		return t.resumeJobs(msg.jobs)
	case discardJobsMsg:
		return t, discardJobs(t.env.d.Ledger, msg.jobs)
	case connectedMsg:
		return t, loadJobs(t.env.d.Ledger, t.env.d.Scope)
	case mouseMsg:
		t.onMouse(msg)
	}
	return t, nil
}

// onMouse: the wheel moves a row a notch, a click selects the row under
// it (each row is two lines below the border and the overall line).
func (t *Transfers) onMouse(msg mouseMsg) {
	if d := wheel(msg.button); d != 0 {
		t.list.move(d / wheelStep)
		return
	}
	const first = 2
	if msg.button != tea.MouseButtonLeft || msg.y < first {
		return
	}
	if row := t.list.offset + (msg.y-first)/2; row < len(t.rows) && (msg.y-first)/2 < t.list.height {
		t.list.jump(row)
	}
}

func (t Transfers) onKey(km tea.KeyMsg) (Transfers, tea.Cmd) {
	k := t.keys
	if t.list.navigate(km, k) {
		return t, nil
	}
	cur := t.current()
	switch {
	case key.Matches(km, k.CancelAll):
		return t, t.stopAll(errCancelled)
	case key.Matches(km, k.PauseAll):
		return t, t.stopAll(errPaused)
	case key.Matches(km, k.ClearDone):
		n := t.clearFinished()
		return t, info(fmt.Sprintf("cleared %s", countOf(n, "finished transfer")))
	case cur == nil:
	case key.Matches(km, k.Cancel):
		return t, t.stopRow(cur, errCancelled)
	case key.Matches(km, k.Pause):
		if cur.state == tPaused {
			cur.state = tQueued
			return t, t.schedule()
		}
		return t, t.stopRow(cur, errPaused)
	case key.Matches(km, k.Retry):
		if cur.state == tFailed || cur.state == tCancelled {
			if cur.state == tCancelled {
				cur.resume, cur.jobID = nil, 0
			}
			cur.state, cur.err = tQueued, ""
			return t, t.schedule()
		}
	}
	return t, nil
}
