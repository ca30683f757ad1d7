// Package transfers is the transfers panel: a view of the transfer
// engine (internal/transfer) and the way into it. It turns the requests
// the panes send (uikit.UploadRequestMsg, uikit.DownloadRequestMsg,
// uikit.LocalJobsMsg) into engine jobs, asking first where that is due
// (the target, a large upload, files already uploaded), and draws the
// engine's snapshots: a row per job, one per large group.
//
// It imports ui/uikit and service packages only; never ui or another
// component. The engine comes from outside (New); the panel never decides
// its concurrency, store options or ingestion.
package transfers

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
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

// chunkState is one cell of a transfer's chunk strip.
type chunkState uint8

const (
	chunkPending chunkState = iota
	chunkSending
	chunkRetried
	chunkDone
)

// liveSnap is a row's progress for one frame.
type liveSnap struct {
	// sent is bytes the server acknowledged; inFlight bytes sent and not
	// yet acknowledged (drawn lighter, never as done).
	sent, inFlight, total int64
	parts                 []chunkState
	attempt               int
	// attempts is the client's limit for the request retried (0: not
	// said), nextTry when it tries again (zero: not said).
	attempts  int
	nextTry   time.Time
	retries   int
	lastRetry string
	restarted string
	started   bool
	retrying  bool
	// pacedUntil: the service's pace holds the request until then.
	pacedUntil time.Time
}

// xferRow is one row as drawn: a job of the engine's snapshot.
type xferRow struct {
	id       transfer.JobID
	dir      direction
	name     string // unsanitised; sanitised when drawn
	target   string // registry name; "" for the root target
	handle   string
	url      string // a host upload's main URL
	savedAs  string
	dest     string // a download's wanted destination
	size     int64
	state    tstate
	err      string
	warnings []string
	snap     liveSnap
	rate     float64
	left     time.Duration
	// A group row stands for its jobs (groups.go); child is a
	// job shown under its expanded group.
	group             transfer.GroupID
	isGroup, expanded bool
	child             bool
	totals            transfer.Totals
}

// speed is bytes per second over the engine's window (0 when unknown).
func (t *xferRow) speed() float64 { return t.rate }

// eta is the time left at the current speed, -1 when unknown.
func (t *xferRow) eta() time.Duration { return t.left }

func (t *xferRow) total() int64 {
	if t.snap.total > 0 {
		return t.snap.total
	}
	return t.size
}

// rowOf turns an engine job into a row.
func rowOf(j transfer.JobSnapshot) *xferRow {
	parts := make([]chunkState, len(j.Parts))
	for i, p := range j.Parts {
		parts[i] = [...]chunkState{chunkPending, chunkSending, chunkRetried, chunkDone}[min(int(p), 3)]
	}
	d := dirOf(j.Dir)
	dest := ""
	if j.Dir == transfer.Download {
		dest = j.LocalPath
	}
	return &xferRow{id: j.ID, dir: d, name: j.Name, target: j.Target, handle: j.Handle, url: j.URL, savedAs: j.SavedAs, dest: dest, size: j.Size,
		state: tstate(j.State), err: j.Err, warnings: j.Warnings, rate: j.Speed, left: j.ETA,
		snap: liveSnap{sent: j.Acked, inFlight: j.InFlight, attempt: j.Attempt, total: j.Size, parts: parts, retries: j.Retries, lastRetry: j.LastRetry,
			restarted: j.Restarted, started: !j.Started.IsZero(), retrying: j.Retrying, pacedUntil: j.PacedUntil,
			attempts: j.Attempts, nextTry: j.NextTry}}
}

// seenJob is what the panel last knew of a job, to report what changed.
type seenJob struct {
	state    transfer.State
	warnings int
}

// Panel is the transfers panel: a view of the transfer engine. Keys
// become engine calls; each frame draws the engine's latest snapshot.
type Panel struct {
	env     *uikit.Env
	keys    *uikit.KeyMap
	styles  *uikit.Styles
	targets uikit.Targets
	eng     Engine
	// steps counts the upload steps in flight (walking, hashing, queueing).
	steps uikit.Steps
	// uploadTo is the target last chosen with "upload to…".
	uploadTo string
	// dir is where stale partial downloads are looked for at start.
	dir  string
	rows []*xferRow
	// totals are the engine's over every job not cancelled: files and
	// bytes done, failed, speed and ETA for the header.
	totals transfer.Totals
	// activeBytes and activeFiles are the running and queued jobs'
	// acknowledged and total bytes, and files (none done yet), for the
	// title's percentage.
	activeBytes, activeFiles [2]int64
	// pending sorts the running and queued jobs by what quitting does
	// to them (quit.go).
	pending pendingWork
	seen    map[transfer.JobID]seenJob
	// expanded groups show their jobs under the group row.
	expanded map[transfer.GroupID]bool
	// groupsDone are grouped transfers whose end was reported.
	groupsDone map[transfer.GroupID]bool
	list       uikit.List
	// scrolled: the user moved the cursor off the last row, so the panel
	// stops following new and running rows until they go back to it.
	scrolled bool
	width    int
	height   int
	focused  bool
	// listen waits for the engine's wake channel (tests that run commands
	// one by one use a non-blocking one).
	listen func(<-chan struct{}) tea.Cmd
	// counting: a countdownMsg is on its way.
	counting   bool
	batchStart time.Time
}

// Options change how the panel behaves; zero fields take the defaults.
type Options struct {
	// Listen waits for the engine's wake channel (waitForProgress; tests
	// that run commands one by one use a non-blocking one).
	Listen func(<-chan struct{}) tea.Cmd
	// Dir is where stale partial downloads are looked for at start (the
	// start directory).
	Dir string
}

// New makes the panel over eng, which runs the transfers.
func New(env *uikit.Env, targets uikit.Targets, eng Engine, o Options) *Panel {
	if o.Listen == nil {
		o.Listen = waitForProgress
	}
	return &Panel{env: env, keys: &env.Scoped().Transfers, styles: env.Styles(), targets: targets, eng: eng,
		steps: uikit.NewSteps("transfers"), dir: o.Dir, seen: map[transfer.JobID]seenJob{},
		expanded: map[transfer.GroupID]bool{}, groupsDone: map[transfer.GroupID]bool{}, listen: o.Listen}
}

// Init looks for unfinished transfers, removes stale partial downloads
// and starts listening for progress.
func (t *Panel) Init() tea.Cmd {
	return tea.Batch(loadJobs(t.eng), cleanPartials(t.eng, t.dir), t.listen(t.eng.Wake()))
}

// SetSize sets the outer size.
func (t *Panel) SetSize(w, h int) {
	t.width, t.height = w, h
	_, shown, _ := t.rowsFit()
	t.list.SetHeight(shown)
	t.follow()
}

// rowsFit is how the rows fit the panel's height: two lines each (the
// part strip, what a running row is doing) while at least three rows (or
// all of them) fit so, else one line each (a small terminal: 80×24 with
// many transfers, 80×16); when not every row fits, the last line says
// how many more there are (moreLine), so a panel of one row never hides
// that others run. shown is how many rows the panel shows.
func (t *Panel) rowsFit() (lines, shown int, more bool) {
	area := max(1, t.height-3) // the border and the header take 3
	lines = 2
	if area/2 < min(3, len(t.rows)) {
		lines = 1
	}
	if len(t.rows)*lines > area && area > 1 {
		more, area = true, area-1
	}
	return lines, max(1, area/lines), more
}

// WantHeight is the height the panel would like for its rows.
func (t *Panel) WantHeight() int { return max(5, 2*len(t.rows)+3) }

// Focus gives keyboard focus, with the cursor on the running row.
func (t *Panel) Focus() {
	t.focused = true
	t.toActive()
}

// Blur removes focus.
func (t *Panel) Blur() { t.focused = false }

func (t *Panel) current() *xferRow {
	if len(t.rows) == 0 {
		return nil
	}
	return t.rows[t.list.Cursor()]
}

// Active is how many rows are running or queued.
func (t *Panel) Active() int {
	running, queued := t.counts()
	return running + queued
}

// counts returns running and queued rows.
func (t *Panel) counts() (running, queued int) {
	for _, r := range t.rows {
		switch {
		case r.isGroup:
			running, queued = running+r.totals.Running, queued+r.totals.Queued
		case r.child:
			// counted in its group's row
		case r.state == tRunning:
			running++
		case r.state == tQueued:
			queued++
		}
	}
	return
}

// overall is what the header's bar measures: acknowledged bytes, or
// finished files when every file is empty (20,000 empty files are not
// "0%" forever).
func (t *Panel) overall() (done, total int64) {
	if t.totals.Bytes == 0 {
		return int64(t.totals.Done), int64(t.totals.Files)
	}
	return t.totals.Acked, t.totals.Bytes
}

// Summary is the title bar's "⇅ n active · p%" ("" when idle); the
// percentage is of the running and queued transfers only, so what
// finished earlier in the session does not make it look nearly done.
func (t *Panel) Summary() string {
	n := t.Active()
	if n == 0 {
		return ""
	}
	done, total := t.activeBytes[0], t.activeBytes[1]
	if total == 0 { // empty files: count them
		done, total = t.activeFiles[0], t.activeFiles[1]
	}
	return fmt.Sprintf("⇅ %d active · %s ", n, pct(done, total))
}

// Keys is the panel's key map; a row key is off when it cannot apply to
// the row under the cursor (retry a running row, pause a finished one).
func (t *Panel) Keys() uikit.KeyHelp {
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
	rowKeys := []key.Binding{uikit.Enabled(k.Cancel, can(tQueued, tRunning, tPaused, tFailed)),
		uikit.Enabled(k.Pause, can(tQueued, tRunning, tPaused)), uikit.Enabled(k.Retry, can(tFailed, tCancelled))}
	all := []key.Binding{k.CancelAll, k.PauseAll, k.ClearDone}
	relabel := func(b key.Binding, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
	}
	leave := []key.Binding{relabel(k.SwitchPane, "back to the pane it was opened from"), relabel(k.Transfers, "hide the panel")}
	// The footer offers clearing once something finished: on a finished
	// row no row key applies, and the footer was empty.
	short := append(rowKeys[:len(rowKeys):len(rowKeys)], uikit.Enabled(k.ClearDone, t.totals.Done+t.totals.Cancelled > 0))
	return uikit.KeyHelp{Short: short, Full: [][]key.Binding{append(rowKeys, all...), leave, k.MovementKeys()}}
}

// Update handles requests, the engine's progress and its own commands'
// results always, keys and the mouse when focused.
func (t *Panel) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if t.focused {
			return t.onKey(msg)
		}
	case uikit.MouseMsg:
		t.onMouse(msg)
	case uikit.UploadRequestMsg:
		if cmd := t.refuseDamaged(); cmd != nil {
			return cmd
		}
		return t.routeUpload(msg)
	case uploadToMsg:
		return t.onUploadTo(msg)
	case uploadOptsMsg:
		return t.askUploadOpts(msg)
	case destinedMsg:
		if cmd := t.refuseDamaged(); cmd != nil {
			return cmd
		}
		return t.expandUploads(msg)
	case uikit.StepMsg:
		t.steps.End(msg)
	case uikit.TargetsMsg:
		t.targets = msg.Targets
	case expandedMsg:
		return t.onExpanded(msg)
	case uploadConfirmedMsg:
		return t.findDuplicates(msg.files, msg.dest)
	case duplicatesMsg:
		return t.onDuplicates(msg)
	case duplicateAnswerMsg:
		return t.askDuplicate(msg)
	case queueUploadMsg:
		return t.queueUpload(msg)
	case cancelRowMsg:
		return t.onCancelRow(msg.row)
	case cancelAllMsg:
		n := t.eng.CancelAll()
		cmd := t.refresh()
		return tea.Batch(cmd, uikit.Info("cancelled "+text.CountOf(n, "transfer")))
	case uikit.DownloadRequestMsg:
		return t.download(msg)
	case uikit.LocalJobsMsg:
		return t.queueLocal(msg)
	case TickMsg:
		cmd := t.refresh()
		return tea.Batch(cmd, t.listen(t.eng.Wake()), t.countdown())
	case countdownMsg:
		// A frame is drawn after this Update: the countdown moves on.
		t.counting = false
		return t.countdown()
	case jobsMsg:
		return t.onJobs(msg)
	case resumeJobsMsg:
		return t.resumeJobs(msg.jobs)
	case discardJobsMsg:
		return discardJobs(t.eng, msg.jobs)
	case uikit.ConnectedMsg:
		t.eng.SetTarget(EngineTarget(t.env.Ledger(), t.targets.Root()))
		return loadJobs(t.eng)
	}
	return nil
}

func (t *Panel) onKey(km tea.KeyMsg) tea.Cmd {
	k := t.keys
	if t.list.Navigate(km, k) {
		t.scrolled = !t.list.AtEnd()
		return nil
	}
	cur := t.current()
	switch {
	case key.Matches(km, k.CancelAll):
		if n := t.Active() + t.stoppedRows(); n > 0 {
			return uikit.Open(uikit.NewConfirm(t.env, "Cancel all",
				fmt.Sprintf("Cancel %s (running, queued, paused or failed)?", text.CountOf(n, "transfer")), uikit.Emit(cancelAllMsg{})))
		}
		return uikit.Info("nothing to cancel")
	case key.Matches(km, k.PauseAll):
		t.eng.PauseAll()
	case key.Matches(km, k.ClearDone):
		n := t.eng.ClearFinished()
		cmd := t.refresh()
		return tea.Batch(cmd, uikit.Info(fmt.Sprintf("cleared %s", text.CountOf(n, "finished transfer"))))
	case cur == nil:
		return nil
	case cur.isGroup:
		return t.onGroupKey(km, cur)
	default:
		return t.onRowKey(km, cur)
	}
	return t.refresh()
}

// onMouse: the wheel moves a row a notch, a click selects the row under
// it (each row is two lines below the border and the overall line).
func (t *Panel) onMouse(msg uikit.MouseMsg) {
	if d := uikit.Wheel(msg.Button); d != 0 {
		t.list.Move(d / uikit.WheelStep)
		t.scrolled = !t.list.AtEnd()
		return
	}
	const first = 2
	if msg.Button != tea.MouseButtonLeft || msg.Y < first {
		return
	}
	if row := t.list.Offset() + (msg.Y-first)/2; row < len(t.rows) && (msg.Y-first)/2 < t.list.Height() {
		t.list.Jump(row)
		t.scrolled = !t.list.AtEnd()
	}
}

// follow keeps the rows that matter in view while the user has not
// scrolled: from the first running or queued row down as far as fits
// (the newest rows are last), or the last rows when none is active. The
// cursor stays where it is while still on screen.
func (t *Panel) follow() {
	if t.scrolled {
		return
	}
	focus := t.list.Len() - 1
	for i, r := range t.rows {
		if r.state == tRunning || r.state == tQueued {
			focus = i
			break
		}
	}
	t.list.Follow(focus)
}

// refuseDamaged refuses an upload while the ledger is damaged: it would
// reach the server and then fail to be recorded, a file on the server
// that no list shows.
func (t *Panel) refuseDamaged() tea.Cmd {
	if dr, ok := t.env.Ledger().(uikit.DamageReporter); ok && dr.Damaged() != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "not uploading: " + text.Sanitize(dr.Damaged().Error())})
	}
	return nil
}

// cancelAllMsg: cancelling everything was confirmed.
type cancelAllMsg struct{}

// stoppedRows counts failed and paused rows (cancel all cancels them too).
func (t *Panel) stoppedRows() int {
	n := 0
	for _, r := range t.rows {
		if r.state == tFailed || r.state == tPaused {
			n++
		}
	}
	return n
}

// TickMsg means the engine changed; the panel takes a snapshot.
type TickMsg struct{}

// countdownMsg redraws the panel while a row counts down to a retry,
// when nothing else changes for a second.
type countdownMsg struct{}

// countdown ticks once a second while a running row waits for a retry
// at a known time (one tick pending at most).
func (t *Panel) countdown() tea.Cmd {
	if t.counting {
		return nil
	}
	now := t.env.Now()
	for _, r := range t.rows {
		if r.state == tRunning && r.snap.retrying && r.snap.nextTry.After(now) {
			t.counting = true
			return tea.Tick(time.Second, func(time.Time) tea.Msg { return countdownMsg{} })
		}
	}
	return nil
}

// waitForProgress sleeps until the engine wakes it, then lets a frame's
// worth of progress accumulate, so redraws stay near 20 per second at most.
func waitForProgress(wake <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		<-wake
		time.Sleep(50 * time.Millisecond)
		return TickMsg{}
	}
}

var _ uikit.Focusable = (*Panel)(nil)
