package remotepane

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The remote pane's marks stay while a filter hides their rows; what acts
// on them says so (and download, which asks nothing otherwise, asks
// first), so a hidden mark is never acted on instead of the row under the
// cursor without a word.

// whereFiles names where the target keeps its files, as a question about
// deleting them says it: "Filestack", "the local server" (the root
// target in local mode is the server itself), "Gyazo"; full adds "(the
// local server's stand-in)" to another target's offline stand-in.
func whereFiles(tc uikit.TargetConn, full bool) string {
	title := text.Sanitize(tc.Title)
	switch {
	case tc.Local && tc.Root:
		return "the local server"
	case tc.Local && full:
		return title + " (the local server's stand-in)"
	}
	return title
}

// entryNames lists the first five entries by name as their rows show it
// (with the store path or handle where names collide; sanitised) and how
// many more.
func (p *Pane) entryNames(es []store.Entry) string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = text.Sanitize(p.rowName(e))
	}
	return uikit.ListSome(names, 5)
}

// hiddenNote is what a question adds when the selection has marks the
// filter hides: which, and, when none is shown, that the row under the
// cursor is not what is meant.
func (p *Pane) hiddenNote(sel []store.Entry) string {
	hidden := p.hiddenMarked()
	if len(hidden) == 0 {
		return ""
	}
	var s string
	switch {
	case len(sel) == 1:
		s = " It is hidden by the filter."
	case len(hidden) == len(sel):
		s = " The filter hides all of them."
	default:
		s = fmt.Sprintf(" %d of them %s hidden by the filter: %s.", len(hidden), text.Plural(len(hidden), "is", "are"), p.entryNames(hidden))
	}
	if p.shownMarks == 0 {
		s += " These are marks, not the row under the cursor (" + p.keys.Close.Help().Key + " clears the filter, then the marks)."
	}
	return s
}

// filesNamed is "a.jpg" or "3 files (a.jpg, b.jpg, c.jpg)".
func (p *Pane) filesNamed(es []store.Entry) string {
	if len(es) == 1 {
		return text.Sanitize(p.rowName(es[0]))
	}
	return text.CountOf(len(es), "file") + " (" + p.entryNames(es) + ")"
}

// deleteQuestion asks before deleting es where tc keeps them, naming
// each (the first five) and the marks the filter hides.
func (p *Pane) deleteQuestion(es []store.Entry, tc uikit.TargetConn, onYes tea.Cmd) tea.Cmd {
	return uikit.Open(uikit.NewConfirm(p.env, "Delete "+namesOf(es)+" from "+whereFiles(tc, false)+"?",
		"Delete "+p.filesNamed(es)+" from "+whereFiles(tc, true)+" for good?"+p.hiddenNote(es)+" "+
			text.Plural(len(es), "Its URL stops", "Their URLs stop")+" working. This cannot be undone.", onYes))
}

// forgetQuestion asks before dropping es from the list (they stay where
// they are); after is the rest of the question.
func (p *Pane) forgetQuestion(es []store.Entry, tc uikit.TargetConn, after string, onYes tea.Cmd) tea.Cmd {
	return uikit.Open(uikit.NewConfirm(p.env, "Forget "+namesOf(es)+"?",
		"Remove "+p.filesNamed(es)+" from fsdeck's list?"+p.hiddenNote(es)+" "+text.Plural(len(es), "It stays", "They stay")+" on "+
			whereFiles(tc, true)+after, onYes))
}

// askDownload sends a download at once, unless the filter hides some of
// its marks: then it asks, naming them.
func (p *Pane) askDownload(es []store.Entry, req uikit.DownloadRequestMsg) tea.Cmd {
	note := p.hiddenNote(es)
	if note == "" {
		p.ClearMarks()
		return uikit.Emit(req)
	}
	return uikit.Open(uikit.NewConfirm(p.env, "Download marks the filter hides",
		"Download "+p.filesNamed(es)+"?"+note, tea.Batch(uikit.Emit(remoteUnmarkMsg{}), uikit.Emit(req))))
}

// remoteUnmarkMsg clears the remote marks once a confirmed download used
// them.
type remoteUnmarkMsg struct{}

// refreshText is the progress line of a refresh, saying when it covers
// marks the filter hides.
func (p *Pane) refreshText(sel []store.Entry) string {
	s := "refreshing " + text.CountOf(len(sel), "file")
	if n := len(p.hiddenMarked()); n > 0 {
		s += fmt.Sprintf(" (%d hidden by the filter)", n)
	}
	return s + "…"
}
