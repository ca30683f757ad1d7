package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// onMouse sends a press to the component under the pointer, in that
// component's coordinates: a click focuses it, the wheel scrolls it
// whatever has focus. Dialogs and the studio take no mouse. Over the file
// preview the wheel does nothing, and a click brings the remote pane back
// and focuses it, selecting nothing in it (its rows were not on screen
// where the click landed).
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.overlay != nil || m.studio != nil || msg.Action != tea.MouseActionPress {
		return nil
	}
	lw := m.width / 2
	target, ox, oy := focusLocal, 0, 1
	switch {
	case m.showXfers && msg.Y >= 1+m.paneHeight && msg.Y < 1+m.paneHeight+m.xferHeight:
		target, oy = focusTransfers, 1+m.paneHeight
	case msg.Y < 1 || msg.Y >= 1+m.paneHeight:
		return nil
	case msg.X >= lw && m.previewShown():
		if msg.Button == tea.MouseButtonLeft {
			m.setFocus(focusRemote)
		}
		return nil
	case msg.X >= lw:
		target, ox = focusRemote, lw
	}
	pm := uikit.MouseMsg{X: msg.X - ox, Y: msg.Y - oy, Button: msg.Button}
	if msg.Button == tea.MouseButtonLeft {
		m.setFocus(target)
		pm.Double = m.clicks.Press(m.env.Now(), msg.X, msg.Y)
	}
	switch target {
	case focusRemote:
		return m.remote.Update(pm)
	case focusTransfers:
		return m.transfers.Update(pm)
	}
	return m.local.Update(pm)
}
