package ui

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/fileops"
)

// onEditKey types into the inline name field; enter renames or creates
// (in a command), esc cancels.
func (p LocalPane) onEditKey(msg tea.KeyMsg) (LocalPane, tea.Cmd) {
	ed, submit, cancel := p.ops.edit.update(msg)
	p.ops.edit = ed
	switch {
	case cancel:
		p.ops.edit = nameEdit{}
	case submit:
		p.ops.edit = nameEdit{}
		return p, submitEdit(ed, p.dir)
	}
	return p, nil
}

// submitEdit renames or creates in a command. A rename never replaces:
// a taken name is refused.
func submitEdit(ed nameEdit, dir string) tea.Cmd {
	name := ed.Value()
	return func() tea.Msg {
		switch ed.kind {
		case editRename:
			return renameEntry(ed.from, name)
		case editNewDir:
			return createEntry(dir, strings.TrimSuffix(name, "/")+"/")
		}
		return createEntry(dir, name)
	}
}

func renameEntry(from localEntry, name string) tea.Msg {
	if name == from.Name {
		return opDoneMsg{text: "name unchanged", selectName: name}
	}
	if err := fileops.ValidName(name, false); err != nil {
		return opDoneMsg{errs: []string{"cannot rename " + from.Name + ": " + err.Error()}}
	}
	to := filepath.Join(filepath.Dir(from.Path), name)
	if err := fileops.Rename(from.Path, to); err != nil {
		return opDoneMsg{errs: []string{"cannot rename " + from.Name + " to " + name + ": " + fileops.Describe(err)}}
	}
	return opDoneMsg{text: "renamed " + Sanitize(from.Name) + " to " + Sanitize(name) + " (z undoes)", selectName: name,
		undo: &undoStep{what: "rename", moved: []fileops.Moved{{From: from.Path, To: to}}}}
}

// createEntry makes an empty file, or a directory when the name ends
// with "/" ("a/b/" makes both).
func createEntry(dir, name string) tea.Msg {
	isDir := strings.HasSuffix(name, "/")
	clean := strings.TrimRight(name, "/")
	if err := fileops.ValidName(clean, isDir); err != nil {
		return opDoneMsg{errs: []string{"cannot create " + name + ": " + err.Error()}}
	}
	path := filepath.Join(dir, filepath.FromSlash(clean))
	var err error
	what := "file "
	if isDir {
		what = "directory "
		err = fileops.Mkdir(path)
	} else {
		err = fileops.CreateFile(path)
	}
	if err != nil {
		return opDoneMsg{errs: []string{"cannot create " + what + clean + ": " + fileops.Describe(err)}}
	}
	first := strings.SplitN(filepath.ToSlash(clean), "/", 2)[0]
	return opDoneMsg{text: "created " + what + Sanitize(clean), selectName: first}
}

// editLine is the status line while the field is open: the prompt and
// the field for a new entry; for a rename (edited in its row) the keys.
func (p LocalPane) editLine() string {
	ed := p.ops.edit
	if ed.kind == editRename {
		return "rename " + Sanitize(ed.from.Name) + ": enter renames · esc cancels"
	}
	return ed.prompt() + ed.view(p.styles)
}

// editRow is the cursor's row while its name is edited inline.
func (p LocalPane) editRow(mark string, nameW int, rest string) string {
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
func (p LocalPane) clipMark(prefix, path string, marked bool) string {
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
func (p LocalPane) clipHint() string {
	if len(p.ops.clip) == 0 {
		return ""
	}
	verb := "yanked"
	if p.ops.cut {
		verb = "cut"
	}
	return fmt.Sprintf(" · %d %s", len(p.ops.clip), verb)
}
