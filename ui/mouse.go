package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// doubleClick is the longest gap between the presses of a double click.
const doubleClick = 400 * time.Millisecond

// clickTracker tells double clicks from single ones (the terminal reports
// only presses).
type clickTracker struct {
	at   time.Time
	x, y int
}

func (c *clickTracker) press(now time.Time, x, y int) bool {
	double := x == c.x && y == c.y && now.Sub(c.at) <= doubleClick && !c.at.IsZero()
	c.at, c.x, c.y = now, x, y
	if double {
		c.at = time.Time{} // a third press starts over
	}
	return double
}

// mouseMsg is a press in a component's own coordinates (0,0 is its top
// left corner); the component resolves it against the rows it drew.
type mouseMsg struct {
	x, y   int
	button tea.MouseButton
	double bool
}

// wheelStep is how many rows a wheel notch scrolls.
const wheelStep = 3

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
	case m.showXfers && msg.Y >= 1+m.paneHeight && msg.Y < 1+m.paneHeight+m.transfers.height:
		target, oy = focusTransfers, 1+m.paneHeight
	case msg.Y < 1 || msg.Y >= 1+m.paneHeight:
		return m, nil
	case msg.X >= lw:
		target, ox = focusRemote, lw
	}
	pm := mouseMsg{x: msg.X - ox, y: msg.Y - oy, button: msg.Button}
	if msg.Button == tea.MouseButtonLeft {
		m.setFocus(target)
		pm.double = m.clicks.press(m.env.d.Now(), msg.X, msg.Y)
	}
	var cmd tea.Cmd
	switch target {
	case focusLocal:
		m.local, cmd = m.local.Update(pm)
	case focusRemote:
		m.remote, cmd = m.remote.Update(pm)
	case focusTransfers:
		m.transfers, cmd = m.transfers.Update(pm)
	}
	return m, cmd
}

// wheel is how far a press scrolls (0 for other buttons).
func wheel(b tea.MouseButton) int {
	switch b {
	case tea.MouseButtonWheelUp:
		return -wheelStep
	case tea.MouseButtonWheelDown:
		return wheelStep
	}
	return 0
}

// paneRow is the list row under a press in a pane: the pane's border,
// title and column header take the first three lines.
func paneRow(l listState, y int) (int, bool) {
	const first = 3
	row := l.offset + y - first
	if y < first || y >= first+l.height || row >= l.n {
		return 0, false
	}
	return row, true
}
