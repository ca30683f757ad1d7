package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// onKey: overlay first, then the studio, then global keys, then the
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
	if msg.Type == tea.KeyCtrlZ {
		return m.suspend()
	}
	k := &m.env.keys
	if mo, ok := m.overlay.(uikit.Menu); ok {
		if now, ok := mo.ChosenNow(msg); ok {
			next := m.closeOverlay()
			mm, cmd := m.update(now)
			return mm, tea.Batch(next, cmd)
		}
	}
	if m.overlay != nil {
		var cmd, next tea.Cmd
		m.overlay, cmd = m.overlay.Update(msg)
		if m.overlay == nil {
			next = m.closeOverlay()
		}
		return m, tea.Batch(cmd, next)
	}
	if m.studio != nil {
		switch {
		case msg.Type == tea.KeyCtrlC:
			return m.quit()
		case key.Matches(msg, k.Help) && !m.studio.Typing():
			return m, m.openOverlay(m.helpOverlay())
		}
		var cmd tea.Cmd
		cmd = m.studio.Update(msg)
		if m.studio.Closed() {
			m.studio = nil
		}
		return m, cmd
	}
	if !m.typing() {
		if mm, cmd, ok := m.onGlobalKey(msg); ok {
			return mm, cmd
		}
	}
	var cmd tea.Cmd
	switch m.focus {
	case focusLocal:
		cmd = m.local.Update(msg)
	case focusRemote:
		cmd = m.remote.Update(msg)
	case focusTransfers:
		cmd = m.transfers.Update(msg)
	}
	m.layout()
	return m, cmd
}

// onGlobalKey handles the keys that work whatever pane has focus.
func (m Model) onGlobalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k := &m.env.keys
	var cmd tea.Cmd
	switch {
	case key.Matches(msg, k.QuitKeys()):
		mm, cmd := m.quit()
		return mm, cmd, true
	case key.Matches(msg, k.Help):
		cmd = m.openOverlay(m.helpOverlay())
	case key.Matches(msg, k.SwitchPane):
		m.cycleFocus()
	case key.Matches(msg, k.Transfers):
		m.toggleTransfers()
	case key.Matches(msg, k.Keys) && m.env.targets.Current().Host != nil:
		cmd = m.openOverlay(dialog.TargetKey(m.env.ui, m.env.keyring(), m.env.targets.Current()))
	case key.Matches(msg, k.Keys):
		cmd = m.openOverlay(dialog.Key(m.env.ui, m.env.keyring(), false))
	case key.Matches(msg, k.SwitchTarget):
		cmd = m.openOverlay(dialog.Targets(m.env.ui, m.env.targets))
	case (key.Matches(msg, k.Import) || key.Matches(msg, k.StoreURL)) && m.env.targets.Current().Host != nil:
		cmd = uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "importing and storing from a URL are Filestack's: " + k.SwitchTarget.Help().Key + " switches to Filestack"})
	case key.Matches(msg, k.Import):
		cmd = m.openOverlay(m.remote.ImportDialog())
	case key.Matches(msg, k.StoreURL):
		cmd = m.openOverlay(m.remote.StoreURLDialog())
	case key.Matches(msg, k.Log):
		cmd = m.openOverlay(m.status.LogDialog())
	default:
		return m, nil, false
	}
	return m, cmd, true
}

// cycleFocus switches between the two panes only: a tab too many must
// never land somewhere unexpected (the transfers panel has its own key,
// and from it tab returns to the pane it was opened from).
func (m *Model) cycleFocus() {
	switch m.focus {
	case focusTransfers:
		m.setFocus(m.paneFocus)
	case focusLocal:
		m.setFocus(focusRemote)
	default:
		m.setFocus(focusLocal)
	}
}

// toggleTransfers shows and focuses the panel, or hides it and returns to
// the pane that had focus before.
func (m *Model) toggleTransfers() {
	switch {
	case !m.showXfers:
		m.showXfers = true
		m.setFocus(focusTransfers)
	case m.focus != focusTransfers:
		m.setFocus(focusTransfers)
	default:
		m.showXfers = false
		m.setFocus(m.paneFocus)
	}
	m.layout()
}

// quitNowMsg quits after the confirmation.
type quitNowMsg struct{}

// typing reports whether keys go to a text field (which takes them whole).
func (m Model) typing() bool {
	if _, ok := m.overlay.(uikit.Input); ok {
		return true
	}
	if m.studio != nil {
		return m.overlay == nil && m.studio.Typing()
	}
	return (m.focus == focusLocal && m.local.Typing()) || (m.focus == focusRemote && m.remote.Typing())
}

// quitCmd quits, first taking back a kitty preview image so it does not
// stay in the terminal after fsdeck has gone.
func (m Model) quitCmd() tea.Cmd {
	if m.studio != nil {
		if cmd := m.studio.Quit(); cmd != nil {
			return tea.Sequence(cmd, tea.Quit)
		}
	}
	return tea.Quit
}

// suspend hands the terminal back to the shell like any program on
// ctrl+z (Bubble Tea restores it and redraws on fg). A kitty image is
// taken down first: it would stay on the shell's screen.
func (m Model) suspend() (tea.Model, tea.Cmd) {
	if m.studio != nil {
		return m, tea.Sequence(m.studio.Cover(true), tea.Suspend)
	}
	return m, tea.Suspend
}

// resumed puts back what suspend took down; Bubble Tea has already
// repainted the frame and checks the size itself.
func (m Model) resumed() (tea.Model, tea.Cmd) {
	if m.studio != nil && m.overlay == nil {
		return m, m.studio.Cover(false)
	}
	return m, nil
}
