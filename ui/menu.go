package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// menuItem is one choice of a menu, chosen by its key or by enter.
type menuItem struct {
	key   string
	label string
	cmd   tea.Cmd
	// msg, when set, is the choice as a message the root applies in the
	// same Update as the key (see chosenNow), so that keys typed right
	// after it already act on it; cmd is then unused.
	msg tea.Msg
	// remove, when set, is what the remove key does to this item
	// (bookmarks).
	remove tea.Cmd
}

// menuOverlay offers choices (sort order, copy as, bookmarks, resume,
// studio tasks). It is as wide as its longest label allows.
type menuOverlay struct {
	dialog
	title string
	// note is a line under the title, when a choice needs more context
	// than fits in it.
	note   string
	items  []menuItem
	cursor int
}

func newMenu(e *env, title string, items []menuItem) menuOverlay {
	return menuOverlay{dialog: newDialog(e), title: title, items: items}
}

// Update chooses by item key or enter, moves the cursor, removes an item
// that can be removed, or closes.
func (m menuOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if m.resized(msg) {
		return m, nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if it, ok := m.chosen(km); ok {
		if it.msg != nil {
			return nil, uikit.Emit(it.msg)
		}
		return nil, it.cmd
	}
	switch {
	case key.Matches(km, m.keys.Close):
		return nil, nil
	case key.Matches(km, m.keys.Choose):
		return nil, nil
	case key.Matches(km, m.keys.Down):
		m.cursor = min(m.cursor+1, len(m.items)-1)
	case key.Matches(km, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(km, m.keys.RemoveItem) && m.removable():
		it := m.items[m.cursor]
		m.items = append(m.items[:m.cursor:m.cursor], m.items[m.cursor+1:]...)
		m.cursor = max(0, min(m.cursor, len(m.items)-1))
		if len(m.items) == 0 {
			return nil, it.remove
		}
		return m, it.remove
	}
	return m, nil
}

// chosen is the item km chooses: by its key, or the cursor's on enter.
func (m menuOverlay) chosen(km tea.KeyMsg) (menuItem, bool) {
	for _, it := range m.items {
		if km.String() == it.key {
			return it, true
		}
	}
	if key.Matches(km, m.keys.Choose) && len(m.items) > 0 {
		return m.items[m.cursor], true
	}
	return menuItem{}, false
}

// chosenNow is the message of the item km chooses, when that item has
// one: the root applies it at once instead of through a command, which
// Bubble Tea would run only after keys already queued.
func (m menuOverlay) chosenNow(km tea.KeyMsg) (tea.Msg, bool) {
	it, ok := m.chosen(km)
	return it.msg, ok && it.msg != nil
}

func (m menuOverlay) removable() bool {
	return len(m.items) > 0 && m.items[m.cursor].remove != nil
}

// Keys: choose, move, remove (only where items can be removed), close.
func (m menuOverlay) Keys() uikit.KeyHelp {
	bs := []key.Binding{m.keys.Choose, uikit.Enabled(m.keys.RemoveItem, m.removable()), m.keys.Close}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs, {m.keys.Up, m.keys.Down}}}
}

// View draws the items, the cursor row reversed.
func (m menuOverlay) View() string {
	s := m.st
	labelW := 0
	for _, it := range m.items {
		labelW = max(labelW, lipgloss.Width(text.Sanitize(it.label)))
	}
	w := min(m.w-4, max(40, labelW+10, lipgloss.Width(m.title)+6))
	w = max(w, min(m.w-4, lipgloss.Width(m.note)+6))
	lines := []string{s.DialogTitle.Render(uikit.Fit(m.title, w-4)), ""}
	if m.note != "" {
		lines = append(lines, uikit.Fit(m.note, w-4), "")
	}
	for i, it := range m.items {
		row := " " + uikit.Fit(it.key, 3) + " " + uikit.Fit(text.Sanitize(it.label), w-10)
		if i == m.cursor {
			lines = append(lines, s.Cursor.Render(row))
			continue
		}
		lines = append(lines, " "+s.StatusKey.Render(uikit.Fit(it.key, 3))+" "+uikit.Fit(text.Sanitize(it.label), w-10))
	}
	lines = append(lines, "", s.Muted.Render(uikit.Fit("key or "+uikit.FooterOf(m.Keys().Short), w-4)))
	return s.Dialog.Width(w - 2).Render(strings.Join(lines, "\n"))
}
