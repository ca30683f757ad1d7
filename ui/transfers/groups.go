package transfers

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// A group of more than flatGroupMax jobs (a directory upload, a
// multi-file download) is one row with its own totals; enter expands it
// into its jobs. A 20,000-file upload is then one row, not 20,000, while
// two marked files stay two rows.
const flatGroupMax = 3

// arrange orders the rows as drawn: each group of more than flatGroupMax
// jobs as a group row (followed by its jobs when expanded), the jobs of
// smaller groups as themselves.
func (t *Panel) arrange(snap transfer.Snapshot, jobs []*xferRow) []*xferRow {
	groups := make(map[transfer.GroupID]transfer.GroupSnapshot, len(snap.Groups))
	for _, g := range snap.Groups {
		groups[g.ID] = g
	}
	members := map[transfer.GroupID][]*xferRow{}
	var order []transfer.GroupID
	for i, r := range jobs {
		g := snap.Jobs[i].Group
		if _, seen := members[g]; !seen {
			order = append(order, g)
		}
		members[g] = append(members[g], r)
	}
	rows := make([]*xferRow, 0, len(jobs))
	for _, id := range order {
		ms := members[id]
		g, known := groups[id]
		if len(ms) <= flatGroupMax || !known {
			rows = append(rows, ms...)
			continue
		}
		gr := groupRow(g, t.expanded[id])
		gr.target = ms[0].target // a group goes to one target
		rows = append(rows, gr)
		if t.expanded[id] {
			for _, r := range ms {
				r.child = true
			}
			rows = append(rows, ms...)
		}
	}
	return rows
}

// groupsFinished says once when a grouped transfer ends (its jobs report
// nothing one by one: 20,000 messages would bury the status line); a
// retry that starts it again lets it report again.
func (t *Panel) groupsFinished(snap transfer.Snapshot, sizes map[transfer.GroupID]int) []tea.Cmd {
	var cmds []tea.Cmd
	for _, g := range snap.Groups {
		if sizes[g.ID] <= flatGroupMax {
			continue
		}
		tot := g.Totals
		if tot.Running+tot.Queued+tot.Paused > 0 {
			delete(t.groupsDone, g.ID)
			continue
		}
		if t.groupsDone[g.ID] || tot.Done+tot.Failed == 0 {
			continue
		}
		t.groupsDone[g.ID] = true
		verb := dirOf(g.Dir).done()
		st := uikit.StatusMsg{Kind: uikit.StatusOK, Text: fmt.Sprintf("%s %s: %s", verb, text.Sanitize(g.Name), text.CountOf(tot.Done, "file"))}
		if tot.Failed > 0 {
			st = uikit.StatusMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("%s %s: %d of %d files, %d failed", verb, text.Sanitize(g.Name),
				tot.Done, tot.Done+tot.Failed, tot.Failed)}
		}
		cmds = append(cmds, uikit.Emit(st))
	}
	return cmds
}

// groupRow is a group's row: its totals as a row's progress.
func groupRow(g transfer.GroupSnapshot, expanded bool) *xferRow {
	tot := g.Totals
	d := dirOf(g.Dir)
	return &xferRow{group: g.ID, isGroup: true, expanded: expanded, totals: tot, dir: d, name: g.Name, size: tot.Bytes,
		state: groupState(tot), rate: tot.Speed, left: tot.ETA,
		snap: liveSnap{sent: tot.Acked, inFlight: tot.InFlight, total: tot.Bytes, started: tot.Running > 0}}
}

// groupState is the most telling state of a group's jobs.
func groupState(tot transfer.Totals) tstate {
	switch {
	case tot.Running > 0:
		return tRunning
	case tot.Queued > 0:
		return tQueued
	case tot.Paused > 0:
		return tPaused
	case tot.Failed > 0:
		return tFailed
	case tot.Done > 0:
		return tDone
	}
	return tCancelled
}

// groupSummary is a group row's second line.
func groupSummary(tot transfer.Totals) string {
	s := fmt.Sprintf("%d/%d files done", tot.Done, tot.Files)
	for _, c := range []struct {
		n    int
		what string
	}{{tot.Running, "running"}, {tot.Queued, "queued"}, {tot.Paused, "paused"}, {tot.Failed, "failed"}, {tot.Cancelled, "cancelled"}} {
		if c.n > 0 {
			s += fmt.Sprintf(" · %d %s", c.n, c.what)
		}
	}
	return s
}

// onGroupKey acts on a whole group: enter expands or collapses it, and
// cancel, pause/resume and retry apply to each of its jobs.
func (t *Panel) onGroupKey(km tea.KeyMsg, cur *xferRow) tea.Cmd {
	k := t.keys
	var note string
	switch {
	case key.Matches(km, k.Open):
		// Opening a group is the user's choice of place: the panel must
		// not scroll its rows away to follow others.
		t.expanded[cur.group] = !t.expanded[cur.group]
		t.scrolled = true
		cmd := t.refresh()
		t.scrolled = !t.list.AtEnd()
		return cmd
	case key.Matches(km, k.Cancel) && sentOf(cur) > cancelAskAbove && (cur.state == tRunning || cur.state == tPaused):
		return t.askCancel(cur)
	case key.Matches(km, k.Cancel):
		note = "cancelled " + text.CountOf(t.eng.CancelGroup(cur.group), "transfer")
	case key.Matches(km, k.Pause) && cur.state == tPaused:
		note = "resumed " + text.CountOf(t.eng.ResumeGroup(cur.group), "transfer")
	case key.Matches(km, k.Pause):
		note = "paused " + text.CountOf(t.eng.PauseGroup(cur.group), "transfer")
	case key.Matches(km, k.Retry):
		note = "retrying " + text.CountOf(t.eng.RetryGroup(cur.group), "transfer")
	default:
		return nil
	}
	cmd := t.refresh()
	if note != "" {
		cmd = tea.Batch(cmd, uikit.Info(note))
	}
	return cmd
}
