package localpane

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// onEditKey types into the inline name field; enter renames or creates
// (in a command), esc cancels.
func (p *Pane) onEditKey(msg tea.KeyMsg) tea.Cmd {
	ed, submit, cancel := p.ops.edit.update(msg)
	p.ops.edit = ed
	switch {
	case cancel:
		p.ops.edit = nameEdit{}
	case submit:
		p.ops.edit = nameEdit{}
		return submitEdit(ed, p.dir)
	}
	return nil
}

// submitEdit renames or creates in a command. A rename never replaces:
// a taken name is refused.
func submitEdit(ed nameEdit, dir string) tea.Cmd {
	name := ed.Value()
	return func() tea.Msg {
		var msg tea.Msg
		switch ed.kind {
		case editRename:
			return renameEntry(ed, dir)
		case editNewDir:
			msg = createEntry(dir, strings.TrimSuffix(name, "/")+"/")
		default:
			msg = createEntry(dir, name)
		}
		if done, ok := msg.(opDoneMsg); ok && len(done.errs) > 0 {
			return editFailedMsg{ed: ed, dir: dir, err: done.errs[0]}
		}
		return msg
	}
}

// reopenEdit puts a failed name back in its field, with the reason,
// unless the pane moved on (another directory, another field open).
func (p *Pane) reopenEdit(msg editFailedMsg) tea.Cmd {
	say := uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: msg.err}) // for the log (L)
	if p.ops.edit.active || msg.dir != p.dir {
		return say
	}
	ed := msg.ed
	ed.active, ed.sel, ed.err = true, 0, msg.err
	p.ops.edit = ed
	return say
}

// editFailedMsg is a rename or creation that failed: the field opens
// again with what was typed and why, so the name can be fixed.
type editFailedMsg struct {
	ed  nameEdit
	dir string
	err string
}

func (editFailedMsg) fileOp() {}

func renameEntry(ed nameEdit, dir string) tea.Msg {
	from, name := ed.from, ed.Value()
	if name == from.Name {
		return opDoneMsg{text: "name unchanged", selectName: name}
	}
	if err := fsops.ValidName(name, false); err != nil {
		return editFailedMsg{ed: ed, dir: dir, err: "cannot rename " + from.Name + ": " + err.Error()}
	}
	to := filepath.Join(filepath.Dir(from.Path), name)
	if err := fsops.Rename(from.Path, to); err != nil {
		return editFailedMsg{ed: ed, dir: dir, err: "cannot rename " + from.Name + " to " + name + ": " + text.FSError(err, true)}
	}
	mv := []fsops.Moved{{From: from.Path, To: to}}
	return opDoneMsg{text: "renamed " + text.Sanitize(from.Name) + " to " + text.Sanitize(name) + " (z undoes)", selectName: name,
		undo: &undoStep{what: "rename", moved: mv}, moved: mv}
}

// createEntry makes an empty file, or a directory when the name ends
// with "/" ("a/b/" makes both); the directories of a nested file name
// ("sub/deep/new.txt") are made first, as mkdir -p would.
func createEntry(dir, name string) tea.Msg {
	isDir := strings.HasSuffix(name, "/")
	clean := strings.TrimRight(name, "/")
	if err := fsops.ValidName(clean, true); err != nil {
		return opDoneMsg{errs: []string{"cannot create " + name + ": " + err.Error()}}
	}
	path := filepath.Join(dir, filepath.FromSlash(clean))
	var err error
	what := "file "
	switch {
	case isDir:
		what = "directory "
		err = fsops.Mkdir(path)
	case filepath.Dir(path) != dir:
		if err = os.MkdirAll(filepath.Dir(path), 0o777); err == nil {
			err = fsops.CreateFile(path)
		}
	default:
		err = fsops.CreateFile(path)
	}
	if err != nil {
		return opDoneMsg{errs: []string{"cannot create " + what + clean + ": " + text.FSError(err, true)}}
	}
	first := strings.SplitN(filepath.ToSlash(clean), "/", 2)[0]
	return opDoneMsg{text: "created " + what + text.Sanitize(clean), selectName: first}
}

// editLine is the status line while the field is open: the prompt and
// the field for a new entry; for a rename (edited in its row) the keys.
func (p *Pane) editLine() string {
	ed := p.ops.edit
	// After a refused enter, why (until the next key), the field still
	// holding the name.
	why := ""
	if ed.err != "" {
		why = p.styles.Error.Render(text.Sanitize(ed.err))
	}
	if ed.kind == editRename {
		if why != "" {
			return why + " · esc cancels"
		}
		return "rename " + text.Sanitize(ed.from.Name) + ": enter renames · esc cancels"
	}
	if why != "" {
		why = "  " + why
	}
	return ed.prompt() + ed.view(p.styles) + why
}

// editRow is the cursor's row while its name is edited inline.
func (p *Pane) editRow(mark string, nameW int, rest string) string {
	field := p.ops.edit.view(p.styles)
	if w := lipgloss.Width(field); w > nameW {
		// Keep the cursor's end in sight in a narrow pane.
		field = ansi.TruncateLeft(field, w-nameW, "…")
	} else {
		field += strings.Repeat(" ", nameW-w)
	}
	return p.styles.Row.Render(mark) + field + p.styles.Row.Render(rest)
}

// clipMark shows yanked (+) and cut (×) entries in the mark column.
func (p *Pane) clipMark(prefix, path string, marked bool) string {
	if marked || !p.ops.clipSet[path] {
		return prefix
	}
	r := []rune(prefix)
	r[len(r)-1] = '+'
	if p.ops.cut {
		r[len(r)-1] = '×'
	}
	return string(r)
}

// clipHint is the footer's "· 3 yanked" (or cut).
func (p *Pane) clipHint() string {
	if len(p.ops.clip) == 0 {
		return ""
	}
	verb := "yanked"
	if p.ops.cut {
		verb = "cut"
	}
	return fmt.Sprintf(" · %d %s", len(p.ops.clip), verb)
}
