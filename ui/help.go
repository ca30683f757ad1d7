package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// hints lays bindings out on one line, most important first, as many as
// fit width, always ending with last (the help key) unless it is off.
func hints(st *Styles, bs []key.Binding, last key.Binding, width int) string {
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

// helpSection is one component's part of the help screen.
type helpSection struct {
	name string
	km   keyHelp
}

// helpDialog is the ? screen, from the live key maps: remapped keys show
// as remapped, keys that cannot apply now are left out, movement keys show
// once (under the first section).
func helpDialog(e *env, sections []helpSection) overlay {
	st := &e.styles
	var lines []string
	moving := map[string]bool{}
	for _, b := range e.keys.movementKeys() {
		moving[b.Help().Desc] = true
	}
	for _, s := range sections {
		lines = append(lines, st.DialogTitle.Render(strings.ToUpper(s.name[:1])+s.name[1:]))
		seen := map[string]bool{}
		for _, group := range s.km.FullHelp() {
			for _, b := range group {
				id := b.Help().Desc + "\x00" + strings.Join(b.Keys(), " ")
				if !b.Enabled() || len(b.Keys()) == 0 || seen[id] {
					continue
				}
				seen[id] = true
				if moving[b.Help().Desc] {
					if moving[id] {
						continue
					}
					moving[id] = true
				}
				lines = append(lines, "  "+st.HelpKey.Render(fit(prettyKeys(b.Keys()), 22))+" "+st.HelpDesc.Render(b.Help().Desc))
			}
		}
		lines = append(lines, "")
	}
	// The blank line separates sections; after the last it would only
	// take a row.
	lines = lines[:len(lines)-1]
	return newTextOverlay(e, "Keys ("+sections[0].name+" first)", lines)
}
