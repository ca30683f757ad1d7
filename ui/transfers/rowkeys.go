package transfers

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// cancelAskAbove: cancelling a transfer that has more than this already
// sent (received, copied) asks first, since the bytes are then lost.
const cancelAskAbove = 64 << 20

// cancelRowMsg: cancelling a row with much already sent was confirmed.
type cancelRowMsg struct{ row *xferRow }

// onRowKey acts on one job's row and says on the status line what it did,
// or why nothing happened.
func (t *Panel) onRowKey(km tea.KeyMsg, cur *xferRow) tea.Cmd {
	k := t.keys
	name := text.Sanitize(cur.name)
	var err error
	var note string
	switch {
	case key.Matches(km, k.Cancel) && cur.state == tDone, key.Matches(km, k.Cancel) && cur.state == tCancelled:
		return uikit.Info(name + " " + finishedWord(cur.state) + ": nothing to cancel")
	case key.Matches(km, k.Cancel) && sentOf(cur) > cancelAskAbove && (cur.state == tRunning || cur.state == tPaused):
		return t.askCancel(cur)
	case key.Matches(km, k.Cancel):
		err, note = t.eng.Cancel(cur.id), "cancelled "+name
	case key.Matches(km, k.Pause) && cur.state == tPaused:
		err, note = t.eng.Resume(cur.id), "resumed "+name
	case key.Matches(km, k.Pause) && (cur.state == tRunning || cur.state == tQueued):
		err, note = t.eng.Pause(cur.id), "paused "+name
	case key.Matches(km, k.Pause):
		return uikit.Info(name + " " + finishedWord(cur.state) + ": nothing to pause" + retryHint(cur.state, k.Retry))
	case key.Matches(km, k.Retry):
		err, note = t.eng.Retry(cur.id), "retrying "+name
	default:
		return nil
	}
	cmd := t.refresh()
	if err != nil {
		return tea.Batch(cmd, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: err.Error()}))
	}
	return tea.Batch(cmd, uikit.Info(note))
}

// askCancel asks before cancelling a row that has much already sent.
func (t *Panel) askCancel(cur *xferRow) tea.Cmd {
	what := "transfer"
	if cur.isGroup {
		what = "group"
	}
	q := fmt.Sprintf("%s of %s is already %s; cancelling throws that away (pause keeps it). Cancel this %s?",
		uikit.FormatSize(sentOf(cur)), text.Sanitize(cur.name), sentWord(cur.dir), what)
	return uikit.Open(uikit.NewConfirm(t.env, "Cancel "+text.Sanitize(cur.name), q, uikit.Emit(cancelRowMsg{row: cur})))
}

// onCancelRow cancels a row after the question.
func (t *Panel) onCancelRow(r *xferRow) tea.Cmd {
	if r.isGroup {
		n := t.eng.CancelGroup(r.group)
		return tea.Batch(t.refresh(), uikit.Info("cancelled "+text.CountOf(n, "transfer")+" of "+text.Sanitize(r.name)))
	}
	if err := t.eng.Cancel(r.id); err != nil {
		return tea.Batch(t.refresh(), uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: err.Error()}))
	}
	return tea.Batch(t.refresh(), uikit.Info("cancelled "+text.Sanitize(r.name)))
}

// sentOf is what the server acknowledged of a row (a group's: all its jobs').
func sentOf(r *xferRow) int64 {
	if r.isGroup {
		return r.totals.Acked
	}
	return r.snap.sent
}

// sentWord is what already happened to a row's bytes.
func sentWord(d direction) string {
	return [...]string{"sent", "received", "copied", "moved"}[min(int(d), 3)]
}

// finishedWord says how a row that no key can pause ended.
func finishedWord(s tstate) string {
	switch s {
	case tFailed:
		return "failed"
	case tCancelled:
		return "was cancelled"
	}
	return "is finished"
}

// retryHint points to retry on a row it applies to.
func retryHint(s tstate, retry key.Binding) string {
	if s == tFailed || s == tCancelled {
		return " (" + retry.Help().Key + " retries it)"
	}
	return ""
}

// toActive puts the cursor on the first running row (else the first
// queued one) when it is on one that is not active: w is there to act
// on what runs, not on what finished.
func (t *Panel) toActive() {
	if cur := t.current(); cur == nil || cur.state == tRunning {
		return
	}
	for _, want := range []tstate{tRunning, tQueued} {
		for i, r := range t.rows {
			if r.state == want {
				t.list.Jump(i)
				t.scrolled = !t.list.AtEnd()
				return
			}
		}
	}
}
