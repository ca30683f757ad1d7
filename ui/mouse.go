package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// onMouse sends a press to the component under the pointer, in that
// component's coordinates: a click focuses it, the wheel scrolls it
// whatever has focus. Dialogs and the studio take no mouse.
func (m Model) onMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.overlay != nil || m.studio != nil || msg.Action != tea.MouseActionPress {
		return m, nil
	}
	lw := m.width / 2
	target, ox, oy := focusLocal, 0, 1
	switch {
	case m.showXfers && msg.Y >= 1+m.paneHeight && msg.Y < 1+m.paneHeight+m.xferHeight:
		target, oy = focusTransfers, 1+m.paneHeight
	case msg.Y < 1 || msg.Y >= 1+m.paneHeight:
		return m, nil
	case msg.X >= lw && m.previewShown():
		return m.onPreviewMouse(msg)
	case msg.X >= lw:
		target, ox = focusRemote, lw
	}
	pm := uikit.MouseMsg{X: msg.X - ox, Y: msg.Y - oy, Button: msg.Button}
	if msg.Button == tea.MouseButtonLeft {
		m.setFocus(target)
		pm.Double = m.clicks.Press(m.env.d.Now(), msg.X, msg.Y)
	}
	var cmd tea.Cmd
	switch target {
	case focusLocal:
		cmd = m.local.Update(pm)
	case focusRemote:
		cmd = m.remote.Update(pm)
	case focusTransfers:
		cmd = m.transfers.Update(pm)
	}
	return m, cmd
}
