package localpane

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// fileOps is the local pane's file-operation state: the inline name
// field, what is yanked or cut, and the session's undo steps.
type fileOps struct {
	edit nameEdit
	clip []string
	// clipSet is clip as a set, for the row markers.
	clipSet map[string]bool
	cut     bool
	undo    []undoStep
	// rename is how a cut moves (nil: fileops' own; tests inject a
	// failing one to see a move across file systems).
	rename func(old, new string, replace bool) error
}

// fileOpMsg is a message of the local pane's file operations (one case
// in Update takes them all).
type fileOpMsg interface{ fileOp() }

// opDoneMsg is the result of an operation done in a command: what to say,
// the files that failed and why, what undo would revert (or that it
// cannot be undone), the name to put the cursor on once the directory is
// listed again, and what it removed or moved (their marks go or follow).
type opDoneMsg struct {
	text       string
	errs       []string
	undo       *undoStep
	selectName string
	clearClip  bool
	removed    []string
	moved      []fsops.Moved
}

// pasteAskMsg asks about the next taken destination of a paste (or
// applies it when none is left).
type pasteAskMsg struct{ plan pastePlan }

// pastePlan is a paste being answered: one choice per source.
type pastePlan struct {
	items []fsops.PasteItem
	dir   string
	cut   bool
}

func (opDoneMsg) fileOp()   {}
func (pasteAskMsg) fileOp() {}

// onFileKey handles the file-operation keys; ok is false for other keys.
func (p *Pane) onFileKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Rename):
		e, ok := p.current()
		if !ok {
			return nil, true
		}
		if !utf8.ValidString(e.Name) {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot rename " + text.Sanitize(e.Name) + " here: its name is not valid UTF-8"}), true
		}
		p.ops.edit = startEdit(editRename, e)
	case key.Matches(msg, k.NewFile):
		p.ops.edit = startEdit(editNewFile, uikit.LocalEntry{})
	case key.Matches(msg, k.NewDir):
		p.ops.edit = startEdit(editNewDir, uikit.LocalEntry{})
	case key.Matches(msg, k.Yank):
		cmd := p.withMarksChecked(actYank)
		return cmd, true
	case key.Matches(msg, k.Cut):
		cmd := p.withMarksChecked(actCut)
		return cmd, true
	case key.Matches(msg, k.Paste):
		return p.paste(), true
	case key.Matches(msg, k.Trash):
		cmd := p.withMarksChecked(actTrash)
		return cmd, true
	case key.Matches(msg, k.DeleteForever):
		cmd := p.withMarksChecked(actDelete)
		return cmd, true
	case key.Matches(msg, k.Undo):
		return p.undoLast()
	case key.Matches(msg, k.Reload):
		if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return p.load(p.dir), true
	default:
		return nil, false
	}
	return nil, true
}

// actOnSelection runs an action on the marks (checked on disk just
// before) or the entry under the cursor. What removes files asks first,
// naming them, and so does anything acting on marks the list does not
// show.
func (p *Pane) actOnSelection(act markAction, vanished []string) tea.Cmd {
	paths := topLevel(p.Selected())
	if len(paths) == 0 {
		return nil
	}
	k := p.keys
	note := p.notShownNote(paths)
	if len(vanished) > 0 {
		note += " " + uikit.ListSome(p.relNames(vanished), 5) + " no longer " + text.Plural(len(vanished), "exists", "exist") + "."
	}
	names := someNames(p.relNames(paths))
	pins := p.pinsOf(paths)
	switch act {
	case actTrash:
		// Asked, as yazi and ranger do: d means download in the remote
		// pane, and one tab too many lands here.
		yes := tea.Batch(uikit.Emit(localUnmarkMsg{paths: paths}), trashPaths(paths, pins, fsops.NewTrash(p.env.Getenv, p.env.Now)))
		return uikit.Open(uikit.NewConfirm(p.env, "Move to the trash", trashQuestion(paths, names, note, k.Undo.Help().Key), yes))
	case actDelete:
		yes := tea.Batch(uikit.Emit(localUnmarkMsg{paths: paths}), deletePaths(paths, pins))
		return uikit.Open(uikit.NewConfirm(p.env, "Delete permanently", deleteQuestion(paths, names, note, k.Trash.Help().Key), yes))
	case actYank, actCut:
		cmd := p.yank(paths, act == actCut, len(p.notShown()))
		return cmd
	case actUpload, actUploadTo:
		req := uikit.UploadRequestMsg{Paths: paths, Base: p.dir, Ask: act == actUploadTo}
		if len(p.notShown()) == 0 {
			// What vanished becomes a failed row saying so.
			p.unmark(paths)
			return p.steps.Start(uikit.Emit(req))
		}
		return uikit.Open(uikit.NewConfirm(p.env, "Upload marks not shown here",
			fmt.Sprintf("Upload %s (%s)?%s", text.CountOf(len(paths), "item"), names, note), uikit.Emit(localUnmarkMsg{paths: paths, upload: &req})))
	}
	return nil
}

// yank remembers paths for a paste (cut: a move); hidden of them are
// marks the list does not show, which the status names.
func (p *Pane) yank(paths []string, cut bool, hidden int) tea.Cmd {
	names := p.relNames(paths)
	p.unmark(paths)
	p.ops.clip, p.ops.cut = paths, cut
	p.ops.clipSet = make(map[string]bool, len(paths))
	for _, path := range paths {
		p.ops.clipSet[path] = true
	}
	verb := "yanked"
	if cut {
		verb = "cut"
	}
	what := itemsNamed(paths)
	if hidden > 0 {
		what = fmt.Sprintf("%s (%s; %d not shown here)", text.CountOf(len(paths), "item"), someNames(names), hidden)
	}
	return uikit.Info(fmt.Sprintf("%s %s: %s pastes into the directory shown", verb, what, p.keys.Paste.Help().Key))
}

// paste checks the destinations in a command, then asks about taken ones.
func (p *Pane) paste() tea.Cmd {
	if len(p.ops.clip) == 0 {
		return uikit.Info(fmt.Sprintf("nothing to paste: %s yanks, %s cuts", p.keys.Yank.Help().Key, p.keys.Cut.Help().Key))
	}
	clip, dir, cut := p.ops.clip, p.dir, p.ops.cut
	return func() tea.Msg {
		return pasteAskMsg{plan: pastePlan{items: fsops.PlanPaste(clip, dir, cut), dir: dir, cut: cut}}
	}
}

// onFileOp takes the results of file operations.
func (p *Pane) onFileOp(msg fileOpMsg) tea.Cmd {
	switch msg := msg.(type) {
	case opDoneMsg:
		p.noteUndo(msg.undo)
		p.unmark(msg.removed)
		for _, m := range msg.moved {
			p.followMove(m.From, m.To)
		}
		if msg.clearClip {
			p.ops.clip, p.ops.clipSet = nil, nil
		}
		if msg.selectName != "" {
			p.wantName = msg.selectName
		} else if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return tea.Batch(p.load(p.dir), uikit.Emit(outcome(msg.text, msg.errs)))
	case editFailedMsg:
		return p.reopenEdit(msg)
	case pasteAskMsg:
		return p.askPaste(msg.plan)
	case pastedMsg:
		return p.onPasted(msg)
	}
	return nil
}

// outcome is the status message of an operation: success, or what failed
// file by file (all of them: the message log shows long lines whole).
func outcome(done string, errs []string) uikit.StatusMsg {
	if len(errs) == 0 {
		return uikit.StatusMsg{Kind: uikit.StatusOK, Text: done}
	}
	for i, e := range errs {
		errs[i] = text.Sanitize(e)
	}
	msg := strings.Join(errs, "; ")
	if done != "" {
		msg = done + "; failed: " + msg
	}
	return uikit.StatusMsg{Kind: uikit.StatusErr, Text: msg}
}

// itemsNamed is "a.txt" for one path, "3 items" for more.
func itemsNamed(paths []string) string {
	if len(paths) == 1 {
		return text.Sanitize(filepath.Base(paths[0]))
	}
	return text.CountOf(len(paths), "item")
}

// deleteQuestion names what a permanent delete removes (up to five
// names, relative to the directory shown) and the marks not shown.
func deleteQuestion(paths []string, names, note, trashKey string) string {
	return fmt.Sprintf("Delete %s permanently (%s)?%s Directories go with everything in them. This cannot be undone; %s moves to the trash instead.",
		text.CountOf(len(paths), "item"), names, note, trashKey)
}

// trashQuestion asks before moving paths to the trash.
func trashQuestion(paths []string, names, note, undoKey string) string {
	return fmt.Sprintf("Move %s (%s) to the trash?%s %s puts %s back.", text.CountOf(len(paths), "item"), names, note, undoKey,
		text.Plural(len(paths), "it", "them"))
}

// someNames lists the first five names (already sanitised) and how many
// more.
func someNames(names []string) string { return uikit.ListSome(names, 5) }

// failure words one file's error.
func failure(path string, err error) string {
	return filepath.Base(path) + ": " + text.FSError(err, true)
}

// trashPaths moves paths to the trash in a command; each failure is
// reported by name and the rest goes on.
func trashPaths(paths []string, pins map[string]uikit.FileID, tr fsops.Trash) tea.Cmd {
	return func() tea.Msg {
		step := undoStep{what: "trash"}
		var errs, removed []string
		for _, path := range paths {
			if why := replacedSince(path, pins[path]); why != "" {
				errs = append(errs, why)
				continue
			}
			x, err := tr.Put(path)
			if err != nil {
				errs = append(errs, failure(path, err))
				continue
			}
			removed = append(removed, path)
			if x.Stored != "" {
				step.trashed = append(step.trashed, x)
			}
		}
		msg := opDoneMsg{text: "moved " + text.CountOf(len(removed), "item") + " to the trash", errs: errs, removed: removed}
		switch {
		case len(step.trashed) > 0:
			msg.undo = &step
			msg.text += " (z undoes)"
		case len(removed) > 0:
			// The system's own trash (Windows' Recycle Bin): restored
			// from there, not by z.
			msg.undo = &undoStep{final: "moving " + placeOf(removed) + " to the system's trash (restore from there)"}
		}
		return msg
	}
}

// deletePaths deletes for good, in a command, after the confirmation. z
// after it says it cannot be undone rather than undoing anything older.
func deletePaths(paths []string, pins map[string]uikit.FileID) tea.Cmd {
	return func() tea.Msg {
		var errs, removed []string
		for _, path := range paths {
			if why := replacedSince(path, pins[path]); why != "" {
				errs = append(errs, why)
				continue
			}
			if err := fsops.RemoveAll(path); err != nil {
				errs = append(errs, failure(path, err))
				continue
			}
			removed = append(removed, path)
		}
		msg := opDoneMsg{text: "deleted " + text.CountOf(len(removed), "item") + " permanently", errs: errs, removed: removed}
		if len(removed) > 0 {
			msg.undo = &undoStep{final: "deleting " + placeOf(removed) + " permanently"}
		}
		return msg
	}
}

// replacedSince says why path is left alone when the file there is no
// longer the one chosen (another file took its name since it was marked
// or listed); "" when it is, or cannot be told.
func replacedSince(path string, chosen uikit.FileID) string {
	if !chosen.Known() {
		return ""
	}
	if now, err := uikit.LstatID(path); err == nil && chosen.Differs(now) {
		return filepath.Base(path) + ": left alone: another file took its place after it was chosen"
	}
	return ""
}
