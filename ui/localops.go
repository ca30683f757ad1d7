package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/transfer"
	"github.com/fsdeck/fsdeck/ui/fileops"
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

// undoStep is one undoable operation: items trashed, or renamed/moved
// (one rename is a move of one item).
type undoStep struct {
	what    string
	trashed []fileops.Trashed
	moved   []fileops.Moved
}

// maxUndo bounds the session's undo steps.
const maxUndo = 50

// fileOpMsg is a message of the local pane's file operations (one case
// in Update takes them all).
type fileOpMsg interface{ fileOp() }

// opDoneMsg is the result of an operation done in a command: what to say,
// the files that failed and why, what undo would revert, and the name to
// put the cursor on once the directory is listed again.
type opDoneMsg struct {
	text       string
	errs       []string
	undo       *undoStep
	selectName string
	clearClip  bool
}

// pasteAskMsg asks about the next taken destination of a paste (or
// applies it when none is left).
type pasteAskMsg struct{ plan pastePlan }

// pastePlan is a paste being answered: one choice per source.
type pastePlan struct {
	items []fileops.PasteItem
	dir   string
	cut   bool
}

func (opDoneMsg) fileOp()   {}
func (pasteAskMsg) fileOp() {}

// localJobsMsg asks the transfers panel to run local copies or moves.
type localJobsMsg struct {
	name string
	move bool
	jobs []transfer.LocalItem
}

// fileKeys are the bindings of the local file operations, for help.
func (k *KeyMap) fileKeys() []key.Binding {
	return []key.Binding{k.Rename, k.NewFile, k.NewDir, k.Yank, k.Cut, k.Paste, k.Trash, k.DeleteForever, k.Undo, k.Reload}
}

// onFileKey handles the file-operation keys; ok is false for other keys.
func (p LocalPane) onFileKey(msg tea.KeyMsg) (LocalPane, tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Rename):
		e, ok := p.current()
		if !ok {
			return p, nil, true
		}
		if !utf8.ValidString(e.Name) {
			return p, emit(statusMsg{kind: statusErr, text: "cannot rename " + Sanitize(e.Name) + " here: its name is not valid UTF-8"}), true
		}
		p.ops.edit = startEdit(editRename, e)
	case key.Matches(msg, k.NewFile):
		p.ops.edit = startEdit(editNewFile, localEntry{})
	case key.Matches(msg, k.NewDir):
		p.ops.edit = startEdit(editNewDir, localEntry{})
	case key.Matches(msg, k.Yank), key.Matches(msg, k.Cut):
		return p, p.yank(key.Matches(msg, k.Cut)), true
	case key.Matches(msg, k.Paste):
		return p, p.paste(), true
	case key.Matches(msg, k.Trash):
		// Asked, as yazi and ranger do: d means download in the remote
		// pane, and one tab too many lands here.
		if paths := p.Selected(); len(paths) > 0 {
			yes := tea.Batch(emit(localClearMarksMsg{}), trashPaths(paths, fileops.NewTrash(p.env.d.Getenv, p.env.d.Now)))
			return p, openDialog(newConfirm(p.env, "Move to the trash", trashQuestion(paths, k.Undo.Help().Key), yes)), true
		}
	case key.Matches(msg, k.DeleteForever):
		if paths := p.Selected(); len(paths) > 0 {
			return p, openDialog(newConfirm(p.env, "Delete permanently", deleteQuestion(paths, k.Trash.Help().Key), deletePaths(paths))), true
		}
	case key.Matches(msg, k.Undo):
		return p.undoLast()
	case key.Matches(msg, k.Reload):
		if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return p, p.load(p.dir), true
	default:
		return p, nil, false
	}
	return p, nil, true
}

// yank remembers the selection for a paste (cut: a move).
func (p *LocalPane) yank(cut bool) tea.Cmd {
	paths := p.Selected()
	if len(paths) == 0 {
		return nil
	}
	p.ClearMarks()
	p.ops.clip, p.ops.cut = paths, cut
	p.ops.clipSet = make(map[string]bool, len(paths))
	for _, path := range paths {
		p.ops.clipSet[path] = true
	}
	verb := "yanked"
	if cut {
		verb = "cut"
	}
	return info(fmt.Sprintf("%s %s: %s pastes into the directory shown", verb, itemsNamed(paths), p.keys.Paste.Help().Key))
}

// paste checks the destinations in a command, then asks about taken ones.
func (p *LocalPane) paste() tea.Cmd {
	if len(p.ops.clip) == 0 {
		return info(fmt.Sprintf("nothing to paste: %s yanks, %s cuts", p.keys.Yank.Help().Key, p.keys.Cut.Help().Key))
	}
	clip, dir, cut := p.ops.clip, p.dir, p.ops.cut
	return func() tea.Msg {
		return pasteAskMsg{plan: pastePlan{items: fileops.PlanPaste(clip, dir, cut), dir: dir, cut: cut}}
	}
}

// onFileOp takes the results of file operations.
func (p LocalPane) onFileOp(msg fileOpMsg) (LocalPane, tea.Cmd) {
	switch msg := msg.(type) {
	case opDoneMsg:
		if msg.undo != nil {
			p.ops.undo = append(p.ops.undo, *msg.undo)
			if len(p.ops.undo) > maxUndo {
				p.ops.undo = p.ops.undo[1:]
			}
		}
		if msg.clearClip {
			p.ops.clip, p.ops.clipSet = nil, nil
		}
		if msg.selectName != "" {
			p.wantName = msg.selectName
		} else if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return p, tea.Batch(p.load(p.dir), emit(outcome(msg.text, msg.errs)))
	case editFailedMsg:
		return p.reopenEdit(msg)
	case pasteAskMsg:
		return p, p.askPaste(msg.plan)
	case pastedMsg:
		return p.onPasted(msg)
	}
	return p, nil
}

// outcome is the status message of an operation: success, or what failed
// file by file (all of them: the message log shows long lines whole).
func outcome(text string, errs []string) statusMsg {
	if len(errs) == 0 {
		return statusMsg{kind: statusOK, text: text}
	}
	for i, e := range errs {
		errs[i] = Sanitize(e)
	}
	msg := strings.Join(errs, "; ")
	if text != "" {
		msg = text + "; failed: " + msg
	}
	return statusMsg{kind: statusErr, text: msg}
}

// undoLast reverts the newest undo step in a command.
func (p LocalPane) undoLast() (LocalPane, tea.Cmd, bool) {
	n := len(p.ops.undo)
	if n == 0 {
		return p, info("nothing to undo"), true
	}
	step := p.ops.undo[n-1]
	p.ops.undo = p.ops.undo[:n-1]
	return p, undoStepCmd(step, fileops.NewTrash(p.env.d.Getenv, p.env.d.Now)), true
}

// itemsNamed is "a.txt" for one path, "3 items" for more.
func itemsNamed(paths []string) string {
	if len(paths) == 1 {
		return Sanitize(filepath.Base(paths[0]))
	}
	return countOf(len(paths), "item")
}

// deleteQuestion names what a permanent delete removes (up to five names).
func deleteQuestion(paths []string, trashKey string) string {
	return fmt.Sprintf("Delete %s permanently (%s)? Directories go with everything in them. This cannot be undone; %s moves to the trash instead.",
		countOf(len(paths), "item"), someNames(paths), trashKey)
}

// trashQuestion asks before moving paths to the trash.
func trashQuestion(paths []string, undoKey string) string {
	return fmt.Sprintf("Move %s (%s) to the trash? %s puts %s back.", countOf(len(paths), "item"), someNames(paths), undoKey,
		itThey(len(paths), "it", "them"))
}

// someNames lists the first five names (sanitised) and how many more.
func someNames(paths []string) string {
	names := make([]string, 0, 6)
	for i, path := range paths {
		if i == 5 {
			names = append(names, fmt.Sprintf("and %d more", len(paths)-5))
			break
		}
		names = append(names, Sanitize(filepath.Base(path)))
	}
	return strings.Join(names, ", ")
}

// localClearMarksMsg clears the local marks once a confirmed action used
// them (a cancelled one keeps them).
type localClearMarksMsg struct{}

// failure words one file's error.
func failure(path string, err error) string {
	return filepath.Base(path) + ": " + fileops.Describe(err)
}

// trashPaths moves paths to the trash in a command; each failure is
// reported by name and the rest goes on.
func trashPaths(paths []string, tr fileops.Trash) tea.Cmd {
	return func() tea.Msg {
		step := undoStep{what: "trash"}
		var errs []string
		n := 0
		for _, path := range paths {
			x, err := tr.Put(path)
			if err != nil {
				errs = append(errs, failure(path, err))
				continue
			}
			n++
			if x.Stored != "" {
				step.trashed = append(step.trashed, x)
			}
		}
		msg := opDoneMsg{text: "moved " + countOf(n, "item") + " to the trash", errs: errs}
		if len(step.trashed) > 0 {
			msg.undo = &step
			msg.text += " (z undoes)"
		}
		return msg
	}
}

// deletePaths deletes for good, in a command, after the confirmation.
func deletePaths(paths []string) tea.Cmd {
	return func() tea.Msg {
		var errs []string
		n := 0
		for _, path := range paths {
			if err := fileops.RemoveAll(path); err != nil {
				errs = append(errs, failure(path, err))
				continue
			}
			n++
		}
		return opDoneMsg{text: "deleted " + countOf(n, "item") + " permanently", errs: errs}
	}
}

// undoStepCmd reverts a step: trashed items are restored, moved ones
// renamed back; nothing that now exists at the old place is replaced.
func undoStepCmd(s undoStep, tr fileops.Trash) tea.Cmd {
	return func() tea.Msg {
		var errs []string
		n := 0
		for _, x := range s.trashed {
			if err := tr.Restore(x); err != nil {
				errs = append(errs, undoFailure(x.Original, err))
				continue
			}
			n++
		}
		for i := len(s.moved) - 1; i >= 0; i-- {
			m := s.moved[i]
			if err := fileops.Rename(m.To, m.From); err != nil {
				errs = append(errs, undoFailure(m.From, err))
				continue
			}
			n++
		}
		sel := ""
		if n == 1 && len(errs) == 0 {
			sel = filepath.Base(firstOriginal(s))
		}
		return opDoneMsg{text: "undid the " + s.what + ": " + countOf(n, "item") + " back in place", errs: errs, selectName: sel}
	}
}

func firstOriginal(s undoStep) string {
	if len(s.trashed) > 0 {
		return s.trashed[0].Original
	}
	return s.moved[0].From
}

func undoFailure(path string, err error) string {
	if errors.Is(err, fileops.ErrExists) {
		return filepath.Base(path) + ": not put back, something now exists at " + path
	}
	return failure(path, err)
}
