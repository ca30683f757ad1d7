package localpane

import (
	"path/filepath"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// editKind is what the local pane's inline name field is for.
type editKind int

const (
	editRename editKind = iota
	editNewFile
	editNewDir
)

// nameEdit is the inline field of a rename or a new file or directory.
// It keeps the name as runes of its own (not a textinput, which replaces
// control characters): a rename changes only what the person typed, so a
// name with control characters stays byte-exact. It is drawn sanitised.
// A rename starts with the name minus its extension selected: typing
// replaces the selection, backspace deletes it, any movement keeps it.
type nameEdit struct {
	active bool
	kind   editKind
	text   []rune
	pos    int
	sel    int // runes selected from the start (0: none)
	from   uikit.LocalEntry
	// err is why the last enter failed; the next key clears it.
	err string
}

// startEdit opens the field; a rename starts from e's name.
func startEdit(kind editKind, e uikit.LocalEntry) nameEdit {
	ed := nameEdit{active: true, kind: kind, from: e}
	if kind == editRename {
		ed.text = []rune(e.Name)
		stem := e.Name
		if ext := filepath.Ext(e.Name); !e.IsDir && ext != e.Name {
			stem = e.Name[:len(e.Name)-len(ext)]
		}
		ed.sel = utf8.RuneCountInString(stem)
		ed.pos = ed.sel
	}
	return ed
}

// Value is the name as typed.
func (ed nameEdit) Value() string { return string(ed.text) }

// update edits the field. done is set by enter (submit) and esc (cancel).
func (ed nameEdit) update(msg tea.KeyMsg) (out nameEdit, submit, cancel bool) {
	ed.err = ""
	switch msg.Type {
	case tea.KeyEnter:
		return ed, true, false
	case tea.KeyEsc, tea.KeyCtrlC:
		return ed, false, true
	case tea.KeyRunes, tea.KeySpace:
		ed.dropSelection()
		r := msg.Runes
		if msg.Type == tea.KeySpace && len(r) == 0 {
			r = []rune{' '}
		}
		ed.text = append(ed.text[:ed.pos], append(append([]rune(nil), r...), ed.text[ed.pos:]...)...)
		ed.pos += len(r)
	case tea.KeyBackspace, tea.KeyDelete:
		if ed.sel > 0 {
			ed.dropSelection()
			break
		}
		at := ed.pos
		if msg.Type == tea.KeyBackspace {
			at--
		}
		if at >= 0 && at < len(ed.text) {
			ed.text = append(ed.text[:at], ed.text[at+1:]...)
			ed.pos = at
		}
	default:
		ed.sel = 0
		ed.move(msg)
	}
	return ed, false, false
}

// dropSelection removes the selected runes.
func (ed *nameEdit) dropSelection() {
	if ed.sel == 0 {
		return
	}
	ed.text = append([]rune(nil), ed.text[ed.sel:]...)
	ed.pos, ed.sel = 0, 0
}

// move handles the cursor and line-editing keys.
func (ed *nameEdit) move(msg tea.KeyMsg) {
	switch msg.Type {
	case tea.KeyLeft:
		ed.pos = max(0, ed.pos-1)
	case tea.KeyRight:
		ed.pos = min(len(ed.text), ed.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		ed.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		ed.pos = len(ed.text)
	case tea.KeyCtrlU:
		ed.text, ed.pos = append([]rune(nil), ed.text[ed.pos:]...), 0
	case tea.KeyCtrlK:
		ed.text = ed.text[:ed.pos]
	case tea.KeyCtrlW:
		at := ed.pos
		for at > 0 && ed.text[at-1] == ' ' {
			at--
		}
		for at > 0 && ed.text[at-1] != ' ' {
			at--
		}
		ed.text, ed.pos = append(ed.text[:at], ed.text[ed.pos:]...), at
	}
}

// view draws the field sanitised: the selection marked, the cursor as a
// reversed cell.
func (ed nameEdit) view(st *uikit.Styles) string {
	sel := text.Sanitize(string(ed.text[:ed.sel]))
	before := text.Sanitize(string(ed.text[ed.sel:ed.pos]))
	at, after := " ", ""
	if ed.pos < len(ed.text) {
		at, after = text.Sanitize(string(ed.text[ed.pos])), text.Sanitize(string(ed.text[ed.pos+1:]))
	}
	if ed.sel > 0 {
		sel = st.Marked.Render(sel)
	}
	return sel + before + st.Cursor.Render(at) + after
}

// keys are the field's keys for the hint line and help (see update and
// move).
func (ed nameEdit) keys() uikit.KeyHelp {
	enter := map[editKind]string{editRename: "rename", editNewFile: "create", editNewDir: "create"}[ed.kind]
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	return uikit.FieldKeys(enter, "cancel", b("ctrl+w", "delete word"), b("ctrl+u", "delete to start"),
		b("ctrl+k", "delete to end"), b("home", "start"), b("end", "end"))
}

// prompt says what the field is for.
func (ed nameEdit) prompt() string {
	switch ed.kind {
	case editNewFile:
		return "new file (end with / for a directory): "
	case editNewDir:
		return "new directory: "
	}
	return "rename: "
}
