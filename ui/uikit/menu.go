package uikit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
)

// MenuItem is one choice of a menu, chosen by its key or by enter.
type MenuItem struct {
	Key   string
	Label string
	Cmd   tea.Cmd
	// msg, when set, is the choice as a message the root applies in the
	// same Update as the key (see chosenNow), so that keys typed right
	// after it already act on it; cmd is then unused.
	Msg tea.Msg
	// remove, when set, is what the remove key does to this item
	// (bookmarks).
	Remove tea.Cmd
	// Disabled, when set, is why the item cannot be chosen ("file is
	// 40 MiB; the limit is 32 MiB"): it is drawn greyed out with the
	// reason, and its key or enter on it says the reason instead.
	Disabled string
	// Fix, with Disabled, is a remedy the person can apply from the menu
	// with the key-dialog key (ctrl+k: add the target's missing key): it
	// closes the menu as esc does, then does Fix. The label then shows
	// the reason without "cannot".
	Fix tea.Cmd
}

// Menu offers choices (sort order, copy as, bookmarks, resume,
// studio tasks). It is as wide as its longest label allows.
type Menu struct {
	Dialog
	title string
	// note is a line under the title, when a choice needs more context
	// than fits in it.
	note   string
	items  []MenuItem
	cursor int
	// onClose is what closing without a choice does (nil: nothing).
	onClose tea.Cmd
}

// NewMenu offers items under title.
func NewMenu(e *Env, title string, items []MenuItem) Menu {
	return Menu{Dialog: NewDialog(e), title: title, items: items}
}

// WithCursor is the menu with item i under the cursor, or the first
// item that can be chosen after it when i is disabled.
func (m Menu) WithCursor(i int) Menu {
	m.cursor = i
	if i >= 0 && i < len(m.items) && m.items[i].Disabled != "" {
		for j := range m.items {
			if k := (i + j) % len(m.items); m.items[k].Disabled == "" {
				m.cursor = k
				break
			}
		}
	}
	return m
}

// WithOnClose is the menu doing cmd when it is closed without a choice
// (esc), so that a flow it is part of can say it stopped.
func (m Menu) WithOnClose(cmd tea.Cmd) Menu {
	m.onClose = cmd
	return m
}

// Items are the menu's choices.
func (m Menu) Items() []MenuItem { return append([]MenuItem(nil), m.items...) }

// Cursor is the index of the item under the cursor.
func (m Menu) Cursor() int { return m.cursor }

// WithNote is the menu with a line under its title, for a choice that
// needs more context than the title holds.
func (m Menu) WithNote(note string) Menu {
	m.note = note
	return m
}

// Update chooses by item key or enter, moves the cursor, removes an item
// that can be removed, or closes.
func (m Menu) Update(msg tea.Msg) (Overlay, tea.Cmd) {
	if m.Resized(msg) {
		return m, nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if it, ok := m.chosen(km); ok {
		if it.Disabled != "" {
			return m, Emit(StatusMsg{Kind: StatusWarn, Text: text.Sanitize(it.Label) + " cannot be chosen: " + it.Disabled})
		}
		if it.Msg != nil {
			return nil, Emit(it.Msg)
		}
		return nil, it.Cmd
	}
	switch {
	case key.Matches(km, m.keys.Close):
		return nil, m.onClose
	case key.Matches(km, m.keys.Keys) && m.fixable():
		return nil, tea.Sequence(m.onClose, m.items[m.cursor].Fix)
	case key.Matches(km, m.keys.Choose):
		return nil, m.onClose
	case key.Matches(km, m.keys.Down):
		m.cursor = min(m.cursor+1, len(m.items)-1)
	case key.Matches(km, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(km, m.keys.RemoveItem) && m.removable():
		it := m.items[m.cursor]
		m.items = append(m.items[:m.cursor:m.cursor], m.items[m.cursor+1:]...)
		m.cursor = max(0, min(m.cursor, len(m.items)-1))
		if len(m.items) == 0 {
			return nil, it.Remove
		}
		return m, it.Remove
	}
	return m, nil
}

// chosen is the item km chooses: by its key, or the cursor's on enter.
func (m Menu) chosen(km tea.KeyMsg) (MenuItem, bool) {
	for _, it := range m.items {
		if km.String() == it.Key {
			return it, true
		}
	}
	if key.Matches(km, m.keys.Choose) && len(m.items) > 0 {
		return m.items[m.cursor], true
	}
	return MenuItem{}, false
}

// ChosenNow is the message of the item km chooses, when that item has
// one: the root applies it at once instead of through a command, which
// Bubble Tea would run only after keys already queued.
func (m Menu) ChosenNow(km tea.KeyMsg) (tea.Msg, bool) {
	it, ok := m.chosen(km)
	return it.Msg, ok && it.Msg != nil && it.Disabled == ""
}

func (m Menu) fixable() bool {
	return len(m.items) > 0 && m.items[m.cursor].Disabled != "" && m.items[m.cursor].Fix != nil
}

func (m Menu) removable() bool {
	return len(m.items) > 0 && m.items[m.cursor].Remove != nil
}

// Keys: choose, move, remove (only where items can be removed), close.
func (m Menu) Keys() KeyHelp {
	bs := []key.Binding{m.keys.Choose, Enabled(WithDesc(m.keys.Keys, "add its key"), m.fixable()), Enabled(m.keys.RemoveItem, m.removable()), m.keys.Close}
	return KeyHelp{Short: bs, Full: [][]key.Binding{bs, {m.keys.Up, m.keys.Down}}}
}

// View draws the items, the cursor row reversed.
func (m Menu) View() string {
	s := m.st
	labelW := 0
	for _, it := range m.items {
		labelW = max(labelW, lipgloss.Width(menuLabel(it)))
	}
	w := min(m.w-4, max(40, labelW+10, lipgloss.Width(m.title)+6))
	w = max(w, min(m.w-4, lipgloss.Width(m.note)+6))
	footer := "key or " + FooterOf(m.Keys().Short)
	w = max(w, min(m.w-4, lipgloss.Width(footer)+4)) // the keys fit whole where the terminal allows
	lines := []string{s.DialogTitle.Render(Fit(m.title, w-4)), ""}
	if m.note != "" {
		lines = append(lines, Fit(m.note, w-4), "")
	}
	for i, it := range m.items {
		label := menuLabel(it)
		row := " " + Fit(it.Key, 3) + " " + Fit(label, w-10)
		switch {
		case i == m.cursor:
			lines = append(lines, s.Cursor.Render(row))
		case it.Disabled != "":
			lines = append(lines, s.Muted.Render(row))
		default:
			lines = append(lines, " "+s.StatusKey.Render(Fit(it.Key, 3))+" "+Fit(label, w-10))
		}
	}
	lines = append(lines, "")
	for _, l := range FooterLines("key or ", m.Keys().Short, w-4) {
		lines = append(lines, s.Muted.Render(l))
	}
	return s.Dialog.Width(w - 2).Render(strings.Join(lines, "\n"))
}

// menuLabel is an item's label as drawn: a disabled one says why.
func menuLabel(it MenuItem) string {
	if it.Disabled != "" && it.Fix != nil {
		return text.Sanitize(it.Label) + " — " + text.Sanitize(it.Disabled)
	}
	if it.Disabled != "" {
		return text.Sanitize(it.Label) + " — cannot: " + text.Sanitize(it.Disabled)
	}
	return text.Sanitize(it.Label)
}

// OrderHint is a sort menu item's note: which way choosing it sorts, and
// that choosing the current order again reverses it.
func OrderHint(current, desc bool) string {
	dir := "ascending"
	if desc {
		dir = "descending"
	}
	if current {
		return " (current; choose again for " + dir + ")"
	}
	return " (" + dir + ")"
}
