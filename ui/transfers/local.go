package transfers

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Local copies and moves are rows of the transfers panel too.
const (
	dirCopy direction = dirDown + 1 + iota
	dirMove
)

// dirOf is how a row shows the engine's direction.
func dirOf(d transfer.Direction) direction {
	switch d {
	case transfer.Download:
		return dirDown
	case transfer.Copy:
		return dirCopy
	case transfer.Move:
		return dirMove
	}
	return dirUp
}

// arrow marks a row's kind.
func (d direction) arrow() string {
	return [...]string{"⇡", "⇣", "⧉", "➔"}[min(int(d), 3)]
}

// doing is what a running row of this kind is doing.
func (d direction) doing() string {
	return [...]string{"uploading", "downloading", "copying", "moving"}[min(int(d), 3)]
}

// done is the verb of a finished row or group.
func (d direction) done() string {
	return [...]string{"uploaded", "downloaded", "copied", "moved"}[min(int(d), 3)]
}

// queueLocal hands a paste's copies or moves to the engine; they run in
// the background like transfers.
func (t *Panel) queueLocal(msg uikit.LocalJobsMsg) tea.Cmd {
	if _, err := t.eng.AddLocal(msg.Name, msg.Move, msg.Jobs); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot queue the " + msg.Name + ": " + err.Error()})
	}
	return tea.Batch(uikit.Emit(uikit.ShowTransfersMsg{}), t.refresh())
}

// localActive counts copies and moves running or queued.
func (t *Panel) localActive() int {
	n := 0
	for _, r := range t.rows {
		switch {
		case r.dir != dirCopy && r.dir != dirMove, r.child:
		case r.isGroup:
			n += r.totals.Running + r.totals.Queued
		case r.state == tRunning || r.state == tQueued:
			n++
		}
	}
	return n
}

// quitNote tells what quitting does to copies and moves in progress.
func (t *Panel) quitNote() string {
	if t.localActive() == 0 {
		return ""
	}
	return " Copies and moves stop: what is copied stays, the file being copied is removed, and a move keeps its source until the copy is verified."
}
