package localpane

import (
	"errors"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// undoStep is one operation of the session: items trashed, or
// renamed/moved (one rename is a move of one item), which z reverts; or
// one that cannot be undone (final names it: a permanent delete, a paste
// that replaced files), which z names instead of reaching past it to an
// older step.
type undoStep struct {
	what    string
	trashed []fsops.Trashed
	moved   []fsops.Moved
	final   string
}

// maxUndo bounds the session's undo steps.
const maxUndo = 50

// noteUndo records an operation's step (nil: it left nothing to undo or
// to name, as a copy that replaced nothing).
func (p *Pane) noteUndo(s *undoStep) {
	if s == nil {
		return
	}
	p.ops.undo = append(p.ops.undo, *s)
	if len(p.ops.undo) > maxUndo {
		p.ops.undo = p.ops.undo[1:]
	}
}

// undoLast reverts the newest step in a command. After an operation that
// cannot be undone it says so and stays there: z never undoes anything
// older than the last operation.
func (p *Pane) undoLast() (tea.Cmd, bool) {
	n := len(p.ops.undo)
	if n == 0 {
		return uikit.Info("nothing to undo"), true
	}
	step := p.ops.undo[n-1]
	if step.final != "" {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "cannot undo: the last operation was " + step.final +
			", which cannot be undone"}), true
	}
	p.ops.undo = p.ops.undo[:n-1]
	return undoStepCmd(step, fsops.NewTrash(p.env.Getenv, p.env.Now)), true
}

// undoStepCmd reverts a step: trashed items are restored, moved ones
// renamed back; nothing that now exists at the old place is replaced.
// What it says names the items and their directory.
func undoStepCmd(s undoStep, tr fsops.Trash) tea.Cmd {
	return func() tea.Msg {
		var errs, back []string
		var moved []fsops.Moved
		for _, x := range s.trashed {
			if err := tr.Restore(x); err != nil {
				errs = append(errs, undoFailure(x.Original, err))
				continue
			}
			back = append(back, x.Original)
		}
		for i := len(s.moved) - 1; i >= 0; i-- {
			m := s.moved[i]
			if err := fsops.Rename(m.To, m.From); err != nil {
				errs = append(errs, undoFailure(m.From, err))
				continue
			}
			if !strings.HasPrefix(filepath.Base(m.From), bulkTempPrefix) { // a bulk rename's own step
				back = append(back, m.From)
			}
			moved = append(moved, fsops.Moved{From: m.To, To: m.From})
		}
		sel := ""
		if len(back) == 1 && len(errs) == 0 {
			sel = filepath.Base(back[0])
		}
		return opDoneMsg{text: undoneText(s, back, moved), errs: errs, selectName: sel, moved: moved}
	}
}

// undoneText says what an undo put back, and where: "undid the trash:
// a.txt is back in /home/me/work", "undid the rename in /home/me/work:
// pic.jpeg is photo.jpeg again".
func undoneText(s undoStep, back []string, moved []fsops.Moved) string {
	switch {
	case len(back) == 0:
		return "undid the " + s.what + ": nothing put back"
	case s.what == "rename" && len(moved) == 1:
		m := moved[0]
		return "undid the rename in " + text.Sanitize(filepath.Dir(m.To)) + ": " + text.Sanitize(filepath.Base(m.From)) + " is " +
			text.Sanitize(filepath.Base(m.To)) + " again"
	}
	what, dir := namesIn(back)
	verb := text.Plural(len(back), " is", " are")
	if dir == "" {
		return "undid the " + s.what + ": " + what + verb + " back in place"
	}
	return "undid the " + s.what + ": " + what + verb + " back in " + dir
}

func undoFailure(path string, err error) string {
	if errors.Is(err, fsops.ErrExists) {
		return filepath.Base(path) + ": not put back, something now exists at " + path
	}
	return failure(path, err)
}

// placeOf names items with where they are: "a.txt in /home/me/work",
// "3 items (a.txt, b.txt, c.txt) in /home/me/work", or, spread over
// several directories, their full paths (the first five).
func placeOf(paths []string) string {
	what, dir := namesIn(paths)
	if dir == "" {
		return what
	}
	return what + " in " + dir
}

// namesIn names items by base name with their common directory, or by
// full path when they are in several (dir is then ""); sanitised.
func namesIn(paths []string) (what, dir string) {
	dir = filepath.Dir(paths[0])
	names := make([]string, len(paths))
	for i, path := range paths {
		names[i] = text.Sanitize(filepath.Base(path))
		if filepath.Dir(path) != dir {
			dir = ""
		}
	}
	if dir == "" {
		for i, path := range paths {
			names[i] = text.Sanitize(path)
		}
	}
	what = names[0]
	if len(paths) > 1 {
		what = text.CountOf(len(paths), "item") + " (" + uikit.ListSome(names, 5) + ")"
	}
	if dir != "" {
		dir = text.Sanitize(dir)
	}
	return what, dir
}
