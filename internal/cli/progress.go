package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dustin/go-humanize"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// progressBlock draws transfer progress on a terminal's stderr as one
// block redrawn in place (like rclone's -P): a line per running file and
// a total line. It is only used when stderr is a terminal.
type progressBlock struct {
	w     io.Writer
	lines int // lines drawn last time, to move back over
	width int
	// counting, when set, says whether the command is still walking its
	// files: the total is not known yet ("files 1,234/… done").
	counting func() bool
}

// maxRunningLines bounds the per-file lines so the block stays small.
const maxRunningLines = 6

// clear erases the block so other output can be written.
func (p *progressBlock) clear() {
	if p.lines == 0 {
		return
	}
	fmt.Fprintf(p.w, "\x1b[%dF\x1b[J", p.lines)
	p.lines = 0
}

// draw replaces the block with the state of jobs in groups.
func (p *progressBlock) draw(snap transfer.Snapshot, groups map[transfer.GroupID]bool) {
	lines := progressLines(snap, groups, p.width)
	if p.counting != nil && p.counting() {
		lines = progressLinesCounting(snap, groups, p.width)
	}
	var b strings.Builder
	if p.lines > 0 {
		fmt.Fprintf(&b, "\x1b[%dF", p.lines)
	}
	for _, l := range lines {
		b.WriteString("\x1b[2K")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString("\x1b[J")
	io.WriteString(p.w, b.String())
	p.lines = len(lines)
}

// progressLines renders the block's lines: running files first, then the
// total over the command's groups (from the groups' totals: the snapshot
// lists only the running jobs, see transfer.Engine.Running).
func progressLines(snap transfer.Snapshot, groups map[transfer.GroupID]bool, width int) []string {
	return progressLinesOf(snap, groups, width, false)
}

// progressLinesCounting are progressLines while the files are still
// being walked: the total of files is not known yet.
func progressLinesCounting(snap transfer.Snapshot, groups map[transfer.GroupID]bool, width int) []string {
	return progressLinesOf(snap, groups, width, true)
}

func progressLinesOf(snap transfer.Snapshot, groups map[transfer.GroupID]bool, width int, counting bool) []string {
	var out []string
	var t transfer.Totals
	for _, g := range snap.Groups {
		if groups[g.ID] {
			t.Files, t.Done, t.Failed = t.Files+g.Totals.Files, t.Done+g.Totals.Done, t.Failed+g.Totals.Failed
			t.Bytes, t.Acked = t.Bytes+g.Totals.Bytes, t.Acked+g.Totals.Acked
		}
	}
	var speed float64
	shown := 0
	for _, j := range snap.Jobs {
		if !groups[j.Group] {
			continue
		}
		if j.State != transfer.Running {
			continue
		}
		speed += j.Speed
		if shown < maxRunningLines {
			shown++
			out = append(out, fit(fmt.Sprintf("  %s  %s / %s  %s  %s/s", text.Sanitize(j.Name),
				humanize.IBytes(uint64(j.Acked)), humanize.IBytes(uint64(max(j.Size, 0))), percent(j.Acked, j.Size),
				humanize.IBytes(uint64(j.Speed))), width))
		}
	}
	eta := "-"
	if speed > 0 {
		left := t.Bytes - t.Acked
		eta = time.Duration(float64(left) / speed * float64(time.Second)).Round(time.Second).String()
	}
	total := fmt.Sprintf("Transferred %s / %s  %s  %s/s  ETA %s  files %d/%d done",
		humanize.IBytes(uint64(t.Acked)), humanize.IBytes(uint64(t.Bytes)), percent(t.Acked, t.Bytes),
		humanize.IBytes(uint64(speed)), eta, t.Done, t.Files)
	if counting {
		// The walk goes on: the bytes and files known so far, the total
		// still to come (the walk is not run twice to count first).
		total = fmt.Sprintf("Transferred %s  %s/s  files %s/… done (counting)",
			humanize.IBytes(uint64(t.Acked)), humanize.IBytes(uint64(speed)), humanize.Comma(int64(t.Done)))
	}
	if t.Failed > 0 {
		total += fmt.Sprintf(", %d failed", t.Failed)
	}
	return append(out, fit(total, width))
}

func percent(n, of int64) string {
	if of <= 0 {
		return "  -%"
	}
	return fmt.Sprintf("%3d%%", n*100/of)
}

// fit cuts a line to the terminal's width so it never wraps (a wrapped
// line would break the redraw).
func fit(s string, width int) string {
	if width <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) >= width {
		return string(r[:width-1])
	}
	return s
}
