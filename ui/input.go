package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// onKey: overlay first, then the filter line, then global keys, then the
// focused component.
func (m Model) onKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	// Keys typed faster than the terminal is read arrive as one message
	// ("jju"); outside text fields each is its own command.
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !m.typing() {
		var cmds []tea.Cmd
		var mm tea.Model = m
		for _, r := range msg.Runes {
			var cmd tea.Cmd
			mm, cmd = mm.(Model).onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
			cmds = append(cmds, cmd)
		}
		return mm, tea.Sequence(cmds...)
	}
	if m.overlay != nil {
		o, cmd, done := m.overlay.update(msg)
		m.overlay = o
		if done {
			m.closeOverlay()
		}
		return m, cmd
	}
	if m.studio != nil {
		if msg.Type == tea.KeyCtrlC {
			return m.quit()
		}
		return m, m.studio.update(msg)
	}
	if m.filtering {
		return m.onFilterKey(msg)
	}
	if mm, cmd, ok := m.onGlobalKey(msg); ok {
		return mm, cmd
	}
	return m.routeKey(msg)
}

// onGlobalKey handles the keys that work whatever pane has focus.
func (m Model) onGlobalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := m.keys
	inPane := m.focus != focusTransfers
	switch {
	case key.Matches(msg, k.Quit):
		mm, cmd := m.quit()
		return mm, cmd, true
	case key.Matches(msg, k.Help):
		m.overlay = m.helpOverlay()
	case key.Matches(msg, k.SwitchPane):
		m.cycleFocus(msg.String() == "shift+tab")
	case key.Matches(msg, k.Transfers):
		m.toggleTransfers()
	case key.Matches(msg, k.Filter) && inPane:
		m.filtering = true
		m.filter.SetValue("")
		m.filter.Focus()
	case key.Matches(msg, k.Sort) && inPane:
		m.overlay = m.sortMenu()
	case key.Matches(msg, k.Keys):
		m.overlay = m.keyDialog(false)
	case key.Matches(msg, k.Import):
		m.overlay = m.importDialog()
	case key.Matches(msg, k.StoreURL):
		m.overlay = m.storeURLDialog()
	case key.Matches(msg, k.Bookmark) && m.focus == focusLocal:
		mm, cmd := m.addBookmark()
		return mm, cmd, true
	case key.Matches(msg, k.Bookmarks) && m.focus == focusLocal:
		return m, loadBookmarks(m.d.Ledger), true
	default:
		return m, nil, false
	}
	return m, nil, true
}

func (m Model) routeKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.focus {
	case focusLocal:
		m.local, cmd = m.local.Update(msg)
	case focusRemote:
		m.remote, cmd = m.remote.Update(msg)
	case focusTransfers:
		m.transfers, cmd = m.transfers.Update(msg)
	}
	return m, cmd
}

func (m *Model) cycleFocus(back bool) {
	order := []focusArea{focusLocal, focusRemote}
	if m.showXfers {
		order = append(order, focusTransfers)
	}
	i := 0
	for j, f := range order {
		if f == m.focus {
			i = j
		}
	}
	if back {
		i = (i + len(order) - 1) % len(order)
	} else {
		i = (i + 1) % len(order)
	}
	m.setFocus(order[i])
}

// toggleTransfers shows and focuses the panel, or hides it.
func (m *Model) toggleTransfers() {
	switch {
	case !m.showXfers:
		m.showXfers = true
		m.setFocus(focusTransfers)
	case m.focus != focusTransfers:
		m.setFocus(focusTransfers)
	default:
		m.showXfers = false
		m.setFocus(focusLocal)
	}
	m.layout()
}

// onFilterKey edits the filter line; the focused pane filters as you type.
func (m Model) onFilterKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, escKey):
		m.filtering = false
		return m, m.applyFilter("")
	case key.Matches(msg, enterKey):
		m.filtering = false
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	return m, tea.Batch(cmd, m.applyFilter(m.filter.Value()))
}

func (m *Model) applyFilter(pattern string) tea.Cmd {
	if m.focus == focusRemote {
		m.remote.SetFilter(pattern)
		return nil
	}
	return m.local.SetFilter(pattern)
}

// quit asks first when transfers are running; their journals let the next
// start resume them.
func (m Model) quit() (tea.Model, tea.Cmd) {
	running, queued := m.transfers.counts()
	if running+queued == 0 {
		m.quitting = true
		return m, m.quitCmd()
	}
	m.overlay = confirmOverlay{title: "Quit?",
		question: fmt.Sprintf("%d transfers are running or queued. Quit anyway? Unfinished uploads are journaled; fsdeck offers to resume them next time.", running+queued),
		onYes:    emit(quitNowMsg{})}
	return m, nil
}

// quitNowMsg quits after the confirmation.
type quitNowMsg struct{}

func (m Model) onMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.overlay != nil || msg.Action != tea.MouseActionPress {
		return m, nil
	}
	target := focusLocal
	if msg.X >= m.width/2 {
		target = focusRemote
	}
	if m.showXfers && msg.Y >= m.height-2-m.transfers.height {
		target = focusTransfers
	}
	delta := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		delta = -3
	case tea.MouseButtonWheelDown:
		delta = 3
	case tea.MouseButtonLeft:
		m.setFocus(target)
		row := msg.Y - 4
		switch target {
		case focusLocal:
			if row >= 0 {
				m.local.list.jump(m.local.list.offset + row)
			}
		case focusRemote:
			if row >= 0 {
				m.remote.list.jump(m.remote.list.offset + row)
			}
		}
		return m, nil
	}
	switch target {
	case focusLocal:
		m.local.list.move(delta)
	case focusRemote:
		m.remote.list.move(delta)
	case focusTransfers:
		m.transfers.list.move(delta / 3)
	}
	return m, nil
}

// typing reports whether keys go to a text field (which takes them whole).
func (m Model) typing() bool {
	if _, ok := m.overlay.(inputOverlay); ok {
		return true
	}
	return m.filtering || (m.studio != nil && m.studio.editing && m.overlay == nil)
}

// quitCmd quits, first taking back a kitty preview image so it does not
// stay in the terminal after fsdeck has gone.
func (m Model) quitCmd() tea.Cmd {
	if m.kittyPlaced != "" {
		return tea.Sequence(writeTerm(m.d.Clipboard, kittyDelete(kittyImageID)), tea.Quit)
	}
	return tea.Quit
}
