package uikit

import tea "github.com/charmbracelet/bubbletea"

// Component is a part of the screen the root holds, one pointer each
// (soft-serve's common.Component, superfile's components): it takes every
// message and keeps what is its own, changing only itself; it draws itself
// at the size the root gives it; it says which keys it takes, for the hint
// line and the help screen. It knows nothing of the root or of the other
// components: what it has to say to them is a message.
type Component interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	Keys() KeyHelp
}

// Focusable is a component that takes keys while it has the focus.
type Focusable interface {
	Component
	Focus()
	Blur()
}
