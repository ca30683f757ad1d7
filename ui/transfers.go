package ui

import (
	"context"
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

// Transfers is the panel of transfer rows.
type Transfers struct {
	keys    *KeyMap
	styles  *Styles
	rows    []*transfer
	list    listState
	width   int
	height  int
	focused bool
}

// NewTransfers makes an empty panel.
func NewTransfers(keys *KeyMap, styles *Styles) Transfers {
	return Transfers{keys: keys, styles: styles}
}

// SetSize sets the outer size.
func (t *Transfers) SetSize(w, h int) {
	t.width, t.height = w, h
	t.list.setHeight(max(1, (h-3)/2))
}

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

// transferKeyMsg is a transfers-panel action for the root to carry out.
type transferKeyMsg struct {
	action string
	id     int
}

// Update handles keys when focused.
func (t Transfers) Update(msg tea.Msg) (Transfers, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || !t.focused {
		return t, nil
	}
	k := t.keys
	cur := t.current()
	act := func(a string) tea.Cmd {
		if cur == nil {
			return nil
		}
		return emit(transferKeyMsg{action: a, id: cur.id})
	}
	if t.list.navigate(km, k) {
		return t, nil
	}
	switch {
	case key.Matches(km, k.Cancel):
		return t, act("cancel")
	case key.Matches(km, k.Pause):
		return t, act("pause")
	case key.Matches(km, k.Retry):
		return t, act("retry")
	case key.Matches(km, k.CancelAll):
		return t, emit(transferKeyMsg{action: "cancel-all"})
	case key.Matches(km, k.PauseAll):
		return t, emit(transferKeyMsg{action: "pause-all"})
	case key.Matches(km, k.ClearDone):
		return t, emit(transferKeyMsg{action: "clear-done"})
	}
	return t, nil
}
