package transfers

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// View draws the overall bar and two lines per visible row.
func (t *Panel) View() string {
	st := t.styles
	inner := max(10, t.width-2)
	lines := []string{uikit.Fit(t.header(inner), inner)}
	from, to := t.list.Visible()
	perRow, _, more := t.rowsFit()
	for i := from; i < to && i < len(t.rows); i++ {
		lines = append(lines, t.rowLines(t.rows[i], i == t.list.Cursor(), inner)[:perRow]...)
	}
	if len(t.rows) == 0 {
		lines = append(lines, st.Muted.Render("no transfers: mark files and press u"))
	}
	if more {
		lines = append(lines, st.Muted.Render(uikit.Fit(t.moreLine(from, min(to, len(t.rows))), inner)))
	}
	box := st.PaneBlurred
	if t.focused {
		box = st.PaneFocused
	}
	return uikit.Boxed(box, lines, inner, t.height-2)
}

// header is the panel's title with the engine's totals: files and bytes
// acknowledged of all, failed files, speed and ETA, and a bar of the bytes
// (of the files when all are empty).
func (t *Panel) header(inner int) string {
	st, tot := t.styles, t.totals
	running, queued := t.counts()
	head := st.PaneHeading("Transfers", t.focused) + fmt.Sprintf(" %d running · %d queued  ", running, queued)
	done, total := t.overall()
	stats := fmt.Sprintf(" %s %d/%d files · %s/%s", pct(done, total), tot.Done, tot.Files, uikit.FormatSize(tot.Acked), uikit.FormatSize(tot.Bytes))
	failed := ""
	if tot.Failed > 0 {
		failed = fmt.Sprintf(" · %d failed", tot.Failed)
	}
	if tot.Cancelled > 0 {
		// Cancelled files leave the bytes to send, so without this a
		// 100% beside "1/2 files" would not say where the other went.
		stats += fmt.Sprintf(" · %d cancelled", tot.Cancelled)
	}
	speed := ""
	if running > 0 {
		speed = " · " + uikit.FormatRate(tot.Speed) + " ETA " + uikit.FormatDuration(tot.ETA)
	}
	// The numbers matter more than the bar: it gives way when narrow.
	bar := ""
	if barW := inner - lipgloss.Width(head) - lipgloss.Width(stats+failed+speed); barW >= 8 {
		bar = t.bar(done, tot.InFlight, total, barW, st.BarFull)
	}
	return head + bar + stats + st.Error.Render(failed) + speed
}

// moreLine counts the rows outside from…to, the ones shown, by state:
// "+5 more: 1 running, 4 queued (w, then j/k)".
func (t *Panel) moreLine(from, to int) string {
	var n, running, queued, paused, ended int
	for i, r := range t.rows {
		if i >= from && i < to {
			continue
		}
		n++
		switch r.state {
		case tRunning:
			running++
		case tQueued:
			queued++
		case tPaused:
			paused++
		default:
			ended++
		}
	}
	var parts []string
	for _, c := range []struct {
		n    int
		word string
	}{{running, "running"}, {queued, "queued"}, {paused, "paused"}, {ended, "ended"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	out := fmt.Sprintf("+%d more: %s", n, strings.Join(parts, ", "))
	if !t.focused {
		out += " (" + t.env.Keys().Transfers.Help().Key + " to go through them)"
	}
	return out
}

func pct(done, total int64) string {
	if total <= 0 {
		return "0%"
	}
	return fmt.Sprintf("%d%%", done*100/total)
}

func (t *Panel) rowLines(r *xferRow, cursor bool, inner int) []string {
	st := t.styles
	arrow := r.dir.arrow()
	name := text.Sanitize(r.name)
	if !t.targets.IsRoot(r.target) {
		name = text.Sanitize(t.targets.Title(r.target)) + ": " + name
	}
	switch {
	case r.isGroup && r.expanded:
		arrow = "▾" + arrow
	case r.isGroup:
		arrow = "▸" + arrow
	case r.child:
		arrow = "  " + arrow
	}
	// Only acknowledged bytes are done: a failed row keeps what the
	// server accepted, never a full bar.
	sent, total := r.snap.sent, r.total()
	barDone, barTotal := sent, total
	if r.state == tDone && total <= 0 { // a finished empty file is complete, not 0%
		barDone, barTotal = 1, 1
	}
	inFlight, barStyle := r.snap.inFlight, st.BarFull
	if r.state != tRunning {
		inFlight = 0
	}
	if r.state == tFailed {
		barStyle = st.Error
	}
	stats := uikit.AlignRight(pct(barDone, barTotal), 4) + " " + uikit.AlignRight(uikit.FormatSize(sent)+"/"+uikit.FormatSize(total), 17)
	extra := ""
	switch {
	case r.state == tRunning && sent == 0 && !r.snap.retrying && !r.isGroup:
		// Nothing acknowledged yet: no count, speed or ETA to give.
		stats = uikit.AlignRight(sendingWord(r.dir)+" "+uikit.FormatSize(total), 22)
		extra = " " + strings.Repeat(" ", 22)
	case r.state == tRunning && r.snap.retrying:
		// Bytes the server refused still count as sent: a speed and an
		// ETA from them would promise what is not happening.
		extra = " " + uikit.AlignRight(uikit.FormatRate(0), 11) + " ETA " + uikit.Fit(uikit.FormatDuration(-1), 6)
	case r.state == tRunning:
		extra = " " + uikit.AlignRight(uikit.FormatRate(r.speed()), 11) + " ETA " + uikit.Fit(uikit.FormatDuration(r.eta()), 6)
	default:
		extra = " " + uikit.Fit(tstateNames[r.state], 22)
	}
	fixed := 2 + 1 + len([]rune(stats)) + len([]rune(extra)) + 1
	nameW := min(max(12, inner/3), 40, max(8, inner-fixed-8))
	barW := max(4, inner-fixed-nameW)
	cur := " "
	if cursor && t.focused {
		cur = "›"
	}
	// Only the name is reversed under the cursor: reversing the bar would
	// turn its full blocks into the background colour.
	head := cur + arrow + " " + uikit.Fit(name, nameW-1-(len([]rune(arrow))-1))
	if cursor && t.focused {
		head = st.Cursor.Render(head)
	}
	line := uikit.Fit(head+" "+t.bar(barDone, inFlight, barTotal, barW, barStyle)+" "+stats+extra, inner)
	second := "  " + t.strip(r, inner-2)
	if r.isGroup {
		second = "  " + st.Muted.Render(groupSummary(r.totals))
		if r.totals.Failed > 0 {
			second = "  " + groupSummary(r.totals)
		}
	} else if r.state == tRunning {
		second = "  " + t.activity(r) + " " + t.strip(r, inner-3-len(t.activityText(r)))
	}
	return []string{line, uikit.Fit(second, inner)}
}

// activityText says what a running row is doing right now.
func (t *Panel) activityText(r *xferRow) string {
	switch {
	case r.snap.retrying && r.snap.attempt > 0:
		return t.retryText(r.snap)
	case r.snap.retrying:
		return "retrying"
	case !r.snap.started:
		return "starting"
	case !r.snap.pacedUntil.IsZero():
		// Not sending: fsdeck spaces requests to stay under the service's
		// rate limit (Pastebin's pace is one request per few seconds).
		left := max(time.Second, r.snap.pacedUntil.Sub(t.env.Now()).Round(time.Second))
		return fmt.Sprintf("waiting %s for %s's rate limit", uikit.FormatDuration(left), text.Sanitize(t.targets.Title(r.target)))
	case r.dir == dirDown && r.dest != "":
		return "downloading to " + text.Sanitize(r.dest)
	}
	return r.dir.doing()
}

// retryText says which attempt failed, of how many the client makes, and
// when it tries again, counting down: "retrying, attempt 6 of 8, next in
// 20s". What the client did not say is left out; once the wait is over
// the row says the try is under way.
func (t *Panel) retryText(s liveSnap) string {
	out := fmt.Sprintf("retrying, attempt %d", s.attempt)
	if s.attempts > 0 {
		out += fmt.Sprintf(" of %d", s.attempts)
	}
	if s.nextTry.IsZero() {
		return out
	}
	if left := s.nextTry.Sub(t.env.Now()); left > 0 {
		return out + ", next in " + uikit.FormatDuration((left + time.Second - 1).Truncate(time.Second))
	}
	return out + ", trying again"
}

func (t *Panel) activity(r *xferRow) string {
	if r.snap.retrying {
		return t.styles.Warning.Render(t.activityText(r))
	}
	return t.styles.Muted.Render(t.activityText(r))
}

// strip is the chunk strip (one cell per part, buckets when parts outnumber
// the cells) followed by the state detail: retries, reason, error.
func (t *Panel) strip(r *xferRow, w int) string {
	st := t.styles
	var b strings.Builder
	n := len(r.snap.parts)
	cells := min(n, max(0, w/2))
	if !partsShown(r) {
		cells = 0
	}
	// Runs of equal cells are styled once: a frame of 50 rows stays cheap.
	run, runState := 0, chunkState(255)
	flush := func() {
		if run == 0 {
			return
		}
		glyph, style := chunkGlyph(runState, st)
		b.WriteString(style.Render(strings.Repeat(glyph, run)))
		run = 0
	}
	for c := 0; c < cells; c++ {
		s := bucketState(r.snap.parts[c*n/cells : (c+1)*n/cells])
		if s == chunkSending && r.state != tRunning {
			s = chunkPending // a paused or stopped row sends nothing
		}
		if s != runState {
			flush()
			runState = s
		}
		run++
	}
	flush()
	detail := ""
	switch {
	case r.state == tFailed:
		detail = st.Error.Render(fmt.Sprintf("failed, %s of %s %s: %s", uikit.FormatSize(r.snap.sent), uikit.FormatSize(r.total()), ackedWord(r.dir), text.Sanitize(t.targets.TitledError(r.target, r.err))))
	case r.snap.restarted != "" && (r.state == tRunning || r.state == tDone):
		detail = st.Warning.Render("restarted: " + text.Sanitize(r.snap.restarted))
	case r.snap.retries > 0 && r.state == tRunning:
		detail = st.Warning.Render(fmt.Sprintf("%d %s, last: %s", r.snap.retries, text.Plural(r.snap.retries, "retry", "retries"), text.Sanitize(r.snap.lastRetry)))
	case r.state == tPaused:
		detail = st.Muted.Render("paused: p resumes")
	case r.state == tDone:
		detail = st.Muted.Render(t.doneText(r))
	}
	if cells > 0 && detail != "" {
		b.WriteString(" ")
	}
	used := cells + 1
	b.WriteString(uikit.Fit(detail, max(0, w-used)))
	return b.String()
}

// partsShown: the part strip is drawn while a transfer runs, and after
// it stopped only when it has several parts (which of them the server
// holds is then worth seeing); a finished or cancelled row says what
// happened instead of showing a row of done cells.
func partsShown(r *xferRow) bool {
	switch r.state {
	case tRunning, tQueued:
		return true
	case tFailed, tPaused:
		return len(r.snap.parts) > 1
	}
	return false
}

// doneText says where a finished transfer went.
func (t *Panel) doneText(r *xferRow) string {
	switch {
	case r.dir == dirDown && r.savedAs != "":
		return "saved as " + text.Sanitize(r.savedAs)
	case r.dir != dirUp:
		return ""
	case r.url != "":
		return "at " + text.Sanitize(r.url)
	case r.handle != "":
		return "stored as " + text.Sanitize(r.handle)
	}
	return ""
}

func chunkGlyph(s chunkState, st *uikit.Styles) (string, lipgloss.Style) {
	switch s {
	case chunkDone:
		return "■", st.ChunkDone
	case chunkSending:
		return "▶", st.ChunkSending
	case chunkRetried:
		return "!", st.ChunkRetried
	}
	return "·", st.ChunkPending
}

// bucketState summarises several parts: done only if all are, else the
// most notable of retried, sending, pending.
func bucketState(ps []chunkState) chunkState {
	if len(ps) == 0 {
		return chunkPending
	}
	all := true
	var sending, retried bool
	for _, s := range ps {
		switch s {
		case chunkSending:
			sending = true
			all = false
		case chunkRetried:
			retried = true
			all = false
		case chunkPending:
			all = false
		}
	}
	switch {
	case all:
		return chunkDone
	case retried:
		return chunkRetried
	case sending:
		return chunkSending
	}
	return chunkPending
}

// bar draws a progress bar of w cells: done (acknowledged) bytes in
// full blocks with eighth-block precision, in-flight bytes after them in
// a lighter shade (▒), never as done; the rest empty (░).
func (t *Panel) bar(done, inFlight, total int64, w int, full lipgloss.Style) string {
	if w <= 0 {
		return ""
	}
	eighths, flying := int64(0), 0
	if total > 0 {
		done = min(max(done, 0), total)
		eighths = done * int64(w) * 8 / total
		flying = int(min(max(inFlight, 0), total-done) * int64(w) / total)
	}
	cells := int(eighths / 8)
	partial := int(eighths % 8)
	var b strings.Builder
	b.WriteString(strings.Repeat("█", cells))
	if cells < w && partial > 0 {
		b.WriteRune([]rune(" ▏▎▍▌▋▊▉")[partial])
		cells++
	}
	flying = min(flying, w-cells)
	return full.Render(b.String()) + t.styles.BarEmpty.Render(strings.Repeat("▒", flying)+strings.Repeat("░", w-cells-flying))
}

// sendingWord is what a running row does before anything is acknowledged.
func sendingWord(d direction) string {
	return [...]string{"sending", "receiving", "copying", "moving"}[min(int(d), 3)]
}

// ackedWord is how a row's done bytes came to be: accepted by the server,
// received from it, written by a copy.
func ackedWord(d direction) string {
	return [...]string{"accepted", "received", "copied", "moved"}[min(int(d), 3)]
}
