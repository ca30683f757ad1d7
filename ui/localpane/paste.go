package localpane

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// pastedMsg is what applying a paste did at once.
type pastedMsg struct {
	res fsops.Pasted
	dir string
	cut bool
	n   int // sources in the paste
}

func (pastedMsg) fileOp() {}

// askPaste asks about the next taken destination: overwrite, skip, or a
// free " (1)" name, for this one or every remaining one. esc cancels the
// whole paste (nothing has been done yet).
func (p *Pane) askPaste(plan pastePlan) tea.Cmd {
	next, left := -1, 0
	for i, it := range plan.items {
		if it.Choice == fsops.Ask {
			if next < 0 {
				next = i
			}
			left++
		}
	}
	if next < 0 {
		return applyPaste(plan, p.ops.rename)
	}
	it := plan.items[next]
	answer := func(c fsops.Choice, all bool) tea.Cmd {
		q := pastePlan{items: append([]fsops.PasteItem(nil), plan.items...), dir: plan.dir, cut: plan.cut}
		for i := range q.items {
			if i == next || (all && q.items[i].Choice == fsops.Ask) {
				q.items[i].Choice = c
			}
		}
		return uikit.Emit(pasteAskMsg{plan: q})
	}
	items := []uikit.MenuItem{
		{Key: "o", Label: "overwrite", Cmd: answer(fsops.Overwrite, false)},
		{Key: "s", Label: "skip", Cmd: answer(fsops.Skip, false)},
		{Key: "r", Label: "rename to " + text.Sanitize(it.Free), Cmd: answer(fsops.RenameFree, false)},
	}
	if left > 1 {
		items = append(items,
			uikit.MenuItem{Key: "O", Label: fmt.Sprintf("overwrite all %d taken", left), Cmd: answer(fsops.Overwrite, true)},
			uikit.MenuItem{Key: "S", Label: fmt.Sprintf("skip all %d taken", left), Cmd: answer(fsops.Skip, true)},
			uikit.MenuItem{Key: "R", Label: fmt.Sprintf("rename all %d taken with (1), (2)…", left), Cmd: answer(fsops.RenameFree, true)})
	}
	what := "a file"
	if it.IsDir {
		what = "a directory (overwrite merges into it)"
	}
	menu := uikit.NewMenu(p.env, fmt.Sprintf("%s already exists here: %s", text.Sanitize(filepath.Base(it.Dst)), what), items)
	return uikit.Open(menu.WithNote(conflictFacts(it.DstInfo, it.SrcInfo, p.env.Now())))
}

// conflictFacts compares the file already there with the pasted one:
// "existing 3 B, Dec  7 12:00 · pasted 12 B, Dec  7 12:05 (newer, larger)".
// A directory has no size to show; a file that could not be read says so.
func conflictFacts(existing, pasted fs.FileInfo, now time.Time) string {
	facts := func(fi fs.FileInfo) string {
		switch {
		case fi == nil:
			return "unreadable"
		case fi.IsDir():
			return "directory, " + uikit.FormatTime(fi.ModTime(), now)
		}
		return uikit.FormatSize(fi.Size()) + ", " + uikit.FormatTime(fi.ModTime(), now)
	}
	s := "existing " + facts(existing) + " · pasted " + facts(pasted)
	if existing == nil || pasted == nil {
		return s
	}
	var cmp []string
	switch d := pasted.ModTime().Sub(existing.ModTime()); {
	case d >= time.Second:
		cmp = append(cmp, "newer")
	case d <= -time.Second:
		cmp = append(cmp, "older")
	default:
		cmp = append(cmp, "same time")
	}
	if !existing.IsDir() && !pasted.IsDir() {
		switch {
		case pasted.Size() > existing.Size():
			cmp = append(cmp, "larger")
		case pasted.Size() < existing.Size():
			cmp = append(cmp, "smaller")
		default:
			cmp = append(cmp, "same size")
		}
	}
	return s + " (" + strings.Join(cmp, ", ") + ")"
}

// applyPaste carries out an answered paste in a command: it renames what
// a cut can move at once and expands the rest into engine jobs.
func applyPaste(plan pastePlan, rename func(string, string, bool) error) tea.Cmd {
	pa := fsops.NewPaster()
	if rename != nil {
		pa.Rename = rename
	}
	return func() tea.Msg {
		return pastedMsg{res: pa.Apply(plan.items, plan.dir, plan.cut), dir: plan.dir, cut: plan.cut, n: len(plan.items)}
	}
}

// onPasted records a move's renames for undo, hands copies to the
// transfers panel and says what happened.
func (p *Pane) onPasted(msg pastedMsg) tea.Cmd {
	res := msg.res
	var parts []string
	if len(res.Moved) > 0 {
		parts = append(parts, "moved "+text.CountOf(len(res.Moved), "item"))
	}
	var jobs tea.Cmd
	if len(res.Jobs) > 0 {
		verb := "copying "
		if msg.cut {
			verb = "moving (copy, verify, delete) "
		}
		parts = append(parts, verb+text.CountOf(len(res.Jobs), "item")+" in the background")
		jobs = uikit.Emit(uikit.LocalJobsMsg{Name: pasteName(msg), Move: msg.cut, Jobs: res.Jobs})
	}
	if res.Skipped > 0 {
		parts = append(parts, "skipped "+text.CountOf(res.Skipped, "item"))
	}
	done := opDoneMsg{text: strings.Join(parts, ", "), errs: res.Errs, clearClip: msg.cut && len(res.Errs) == 0, moved: res.Moved}
	if done.text == "" {
		done.text = "nothing pasted"
	}
	done.undo = pasteUndo(msg, res)
	if len(res.Moved) > 0 {
		done.selectName = filepath.Base(res.Moved[0].To)
	}
	cmd := p.onFileOp(done)
	return tea.Batch(jobs, cmd)
}

// pasteName names the group in the transfers panel.
func pasteName(msg pastedMsg) string {
	verb := "copy"
	if msg.cut {
		verb = "move"
	}
	return fmt.Sprintf("%s into %s", verb, filepath.Base(msg.dir))
}

// pasteUndo is what z does after a paste: a move done by renames is
// undone; one that replaced files, or any paste whose copies overwrite or
// whose moves copy and delete in the background, cannot be undone, and z
// says so. A copy that replaces nothing leaves no step (z goes on to the
// operation before it).
func pasteUndo(msg pastedMsg, res fsops.Pasted) *undoStep {
	replaces := res.Replaced
	for _, j := range res.Jobs {
		replaces = replaces || j.Overwrite
	}
	moves := msg.cut && len(res.Jobs) > 0
	switch {
	case replaces || moves:
		var srcs []string
		for _, m := range res.Moved {
			srcs = append(srcs, m.From)
		}
		for _, j := range res.Jobs {
			if filepath.Dir(j.Dst) == msg.dir { // a pasted item, not what is under it
				srcs = append(srcs, j.Src)
			}
		}
		what := "copying "
		if msg.cut {
			what = "moving "
		}
		how := " across file systems"
		if replaces {
			how = ", replacing what was there"
		}
		if len(srcs) == 0 {
			return &undoStep{final: strings.TrimSpace(what) + " into " + text.Sanitize(msg.dir) + how}
		}
		return &undoStep{final: what + placeOf(srcs) + " into " + text.Sanitize(msg.dir) + how}
	case len(res.Moved) > 0:
		return &undoStep{what: "move", moved: res.Moved}
	}
	return nil
}
