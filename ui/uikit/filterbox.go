package uikit

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// FilterBox is a pane's "/" line: typing filters as you go, enter keeps
// the filter, esc clears it.
type FilterBox struct {
	typing bool
	input  textinput.Model
}

// NewFilterBox is an empty, idle filter line.
func NewFilterBox() FilterBox {
	in := textinput.New()
	in.Prompt = "/"
	return FilterBox{input: in}
}

// Typing reports whether the line takes the keys.
func (f FilterBox) Typing() bool { return f.typing }

// Start is the line taking keys, emptied.
func (f FilterBox) Start() FilterBox {
	f.typing = true
	f.input.SetValue("")
	f.input.Focus()
	return f
}

// Clear is the line emptied and idle.
func (f FilterBox) Clear() FilterBox {
	f.typing = false
	f.input.SetValue("")
	f.input.Blur()
	return f
}

// Update edits the line; it returns the pattern and whether it changed.
// Only esc and enter end typing (every other key is text).
func (f FilterBox) Update(msg tea.KeyMsg) (FilterBox, string, bool) {
	switch msg.Type {
	case tea.KeyEsc:
		return f.Clear(), "", true
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
func (f FilterBox) View() string { return f.input.View() }
