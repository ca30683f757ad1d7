package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// overlay is a dialog drawn over the panes that takes every key while open.
type overlay interface {
	// update handles a key; done closes the overlay.
	update(msg tea.KeyMsg) (o overlay, cmd tea.Cmd, done bool)
	view(s *Styles, width, height int) string
}

var (
	escKey   = key.NewBinding(key.WithKeys("esc"))
	enterKey = key.NewBinding(key.WithKeys("enter"))
)

// textOverlay shows lines (help, details) and scrolls.
type textOverlay struct {
	title  string
	lines  []string
	offset int
	keys   *KeyMap
	footer string
	// actions are extra keys (details: h fetches hashes, y copies).
	actions map[string]tea.Cmd
}

func (t textOverlay) update(msg tea.KeyMsg) (overlay, tea.Cmd, bool) {
	switch {
	case key.Matches(msg, escKey), key.Matches(msg, enterKey), key.Matches(msg, t.keys.Quit), key.Matches(msg, t.keys.Help):
		return t, nil, true
	case key.Matches(msg, t.keys.Down):
		t.offset = min(t.offset+1, max(0, len(t.lines)-1))
	case key.Matches(msg, t.keys.Up):
		t.offset = max(0, t.offset-1)
	case key.Matches(msg, t.keys.PageDown):
		t.offset = min(t.offset+10, max(0, len(t.lines)-1))
	case key.Matches(msg, t.keys.PageUp):
		t.offset = max(0, t.offset-10)
	}
	if cmd, ok := t.actions[msg.String()]; ok {
		return t, cmd, false
	}
	return t, nil, false
}

func (t textOverlay) view(s *Styles, width, height int) string {
	w := min(width-4, 96)
	h := max(3, min(height-4, len(t.lines)+3))
	body := t.lines[min(t.offset, len(t.lines)):]
	if len(body) > h-3 {
		body = body[:h-3]
	}
	out := make([]string, 0, h)
	out = append(out, s.DialogTitle.Render(fit(t.title, w-4)))
	for _, l := range body {
		out = append(out, fitStyled(l, w-4))
	}
	footer := t.footer
	if footer == "" {
		footer = "esc close · ↑/↓ scroll"
	}
	out = append(out, s.Muted.Render(fit(footer, w-4)))
	return s.Dialog.Width(w - 2).Render(strings.Join(out, "\n"))
}

// fitStyled truncates a possibly styled line to w cells.
func fitStyled(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return fit(s, w)
}

// confirmOverlay asks a yes/no question; yes runs onYes.
type confirmOverlay struct {
	title, question string
	onYes           tea.Cmd
}

func (c confirmOverlay) update(msg tea.KeyMsg) (overlay, tea.Cmd, bool) {
	switch msg.String() {
	case "y", "Y":
		return c, c.onYes, true
	case "n", "N", "esc", "q":
		return c, nil, true
	}
	return c, nil, false
}

func (c confirmOverlay) view(s *Styles, width, _ int) string {
	w := min(width-4, 72)
	q := lipgloss.NewStyle().Width(w - 4).Render(c.question)
	return s.Dialog.Width(w - 2).Render(s.DialogTitle.Render(c.title) + "\n\n" + q + "\n\n" +
		s.StatusKey.Render("y") + s.Muted.Render(" yes   ") + s.StatusKey.Render("n") + s.Muted.Render(" no"))
}

// inputOverlay reads one line; submit gets the text. Masked inputs never
// show what is typed (API keys, secrets).
type inputOverlay struct {
	title  string
	hint   string
	input  textinput.Model
	submit func(string) tea.Cmd
}

func newInputOverlay(title, hint, placeholder string, masked bool, submit func(string) tea.Cmd) inputOverlay {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.Prompt = "› "
	ti.CharLimit = 4096
	if masked {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '•'
	}
	ti.Focus()
	return inputOverlay{title: title, hint: hint, input: ti, submit: submit}
}

func (o inputOverlay) update(msg tea.KeyMsg) (overlay, tea.Cmd, bool) {
	switch {
	case key.Matches(msg, escKey):
		return o, nil, true
	case key.Matches(msg, enterKey):
		return o, o.submit(strings.TrimSpace(o.input.Value())), true
	}
	var cmd tea.Cmd
	o.input, cmd = o.input.Update(msg)
	return o, cmd, false
}

func (o inputOverlay) view(s *Styles, width, _ int) string {
	w := min(width-4, 80)
	o.input.Width = w - 8
	parts := []string{s.DialogTitle.Render(o.title)}
	if o.hint != "" {
		parts = append(parts, s.Muted.Render(lipgloss.NewStyle().Width(w-4).Render(o.hint)))
	}
	parts = append(parts, "", o.input.View(), "", s.Muted.Render("enter confirm · esc cancel"))
	return s.Dialog.Width(w - 2).Render(strings.Join(parts, "\n"))
}

// menuItem is one choice of a menu, chosen by its key or by enter.
type menuItem struct {
	key   string
	label string
	cmd   tea.Cmd
}

// menuOverlay offers choices (sort order, copy as, bookmarks, resume).
type menuOverlay struct {
	title  string
	items  []menuItem
	cursor int
	keys   *KeyMap
}

func (m menuOverlay) update(msg tea.KeyMsg) (overlay, tea.Cmd, bool) {
	for _, it := range m.items {
		if msg.String() == it.key {
			return m, it.cmd, true
		}
	}
	switch {
	case key.Matches(msg, escKey):
		return m, nil, true
	case key.Matches(msg, enterKey):
		if len(m.items) == 0 {
			return m, nil, true
		}
		return m, m.items[m.cursor].cmd, true
	case key.Matches(msg, m.keys.Down):
		m.cursor = min(m.cursor+1, len(m.items)-1)
		return m, nil, false
	case key.Matches(msg, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
		return m, nil, false
	}
	return m, nil, false
}

func (m menuOverlay) view(s *Styles, width, _ int) string {
	w := min(width-4, 72)
	lines := []string{s.DialogTitle.Render(m.title), ""}
	for i, it := range m.items {
		line := " " + s.StatusKey.Render(fit(it.key, 3)) + " " + fit(Sanitize(it.label), w-10)
		if i == m.cursor {
			line = s.Cursor.Render(" " + fit(it.key, 3) + " " + fit(Sanitize(it.label), w-10))
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", s.Muted.Render("key or enter to choose · esc cancel"))
	return s.Dialog.Width(w - 2).Render(strings.Join(lines, "\n"))
}
