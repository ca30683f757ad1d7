package ui

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// filterBox is a pane's "/" line: typing filters as you go, enter keeps
// the filter, esc clears it.
type filterBox struct {
	typing bool
	input  textinput.Model
}

func newFilterBox() filterBox {
	in := textinput.New()
	in.Prompt = "/"
	return filterBox{input: in}
}

func (f filterBox) start() filterBox {
	f.typing = true
	f.input.SetValue("")
	f.input.Focus()
	return f
}

func (f filterBox) clear() filterBox {
	f.typing = false
	f.input.SetValue("")
	f.input.Blur()
	return f
}

// Update edits the line; it returns the pattern and whether it changed.
// Only esc and enter end typing (every other key is text).
func (f filterBox) Update(msg tea.KeyMsg) (filterBox, string, bool) {
	switch msg.Type {
	case tea.KeyEsc:
		return f.clear(), "", true
	case tea.KeyEnter:
		f.typing = false
		f.input.Blur()
		return f, f.input.Value(), false
	}
	before := f.input.Value()
	f.input, _ = f.input.Update(msg)
	return f, f.input.Value(), f.input.Value() != before
}

// View is the line as typed.
func (f filterBox) View() string { return f.input.View() }
