package uikit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Hints lays bindings out on one line, most important first, as many as
// fit width, always ending with last (the help key) unless it is off.
func Hints(st *Styles, bs []key.Binding, last key.Binding, width int) string {
	item := func(b key.Binding) string {
		return st.HelpKey.Render(b.Help().Key) + " " + st.HelpDesc.Render(b.Help().Desc)
	}
	sep := st.Muted.Render(" · ")
	var end []string
	if last.Enabled() { // a text field takes ? as text
		end = []string{item(last)}
	}
	var parts []string
	for _, b := range bs {
		if !b.Enabled() || len(b.Keys()) == 0 {
			continue
		}
		with := append(append(append([]string(nil), parts...), item(b)), end...)
		if lipgloss.Width(strings.Join(with, sep)) > width {
			break
		}
		parts = append(parts, item(b))
	}
	parts = append(parts, end...)
	return ansi.Truncate(strings.Join(parts, sep), width, "")
}
