package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/preview"
)

// Update is update, then the preview follows the local cursor: whatever
// moved it (a key, a click, a listing, a filter), the entry under it is
// what the preview shows.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if preview.IsOwn(msg) {
		cmd := m.preview.Update(msg)
		return m, tea.Batch(cmd, m.placeKitty())
	}
	mm, cmd := m.update(msg)
	next, ok := mm.(Model)
	if !ok {
		return mm, cmd
	}
	sync := next.syncPreview()
	// A kitty image must be gone before the program quits or suspends,
	// or it stays on the shell's screen.
	if km, isKey := msg.(tea.KeyMsg); next.quitting || (isKey && km.Type == tea.KeyCtrlZ) {
		take := next.preview.Place(false, 0, 0) // placed again on resume
		return next, tea.Sequence(take, sync, cmd)
	}
	return next, tea.Batch(cmd, sync)
}

// previewShown: the preview takes the remote pane's half of the screen
// while it is on and the local pane is the pane in use; focusing the
// remote pane shows the remote pane again.
func (m *Model) previewShown() bool {
	return m.local.PreviewOn() && m.paneFocus == focusLocal && m.studio == nil && !m.quitting
}

// syncPreview points the preview at the local cursor's entry, or lets it
// go (cancelling any running read) while it is not shown.
func (m *Model) syncPreview() tea.Cmd {
	if !m.previewShown() {
		m.preview.Hide()
		return m.placeKitty()
	}
	e, ok := m.local.Current()
	return tea.Batch(m.preview.Follow(e, ok), m.placeKitty())
}

// placeKitty keeps the kitty image where the preview box is, and takes it
// down while the preview is hidden, covered by a dialog or shows no image.
func (m *Model) placeKitty() tea.Cmd {
	// Below the title bar, the border and the name line.
	shown := m.previewShown() && m.overlay == nil && m.width >= minWidth && m.height >= minHeight
	return m.preview.Place(shown, 3, m.width/2+1)
}

// onPreviewMouse: the wheel does nothing over the preview; a click brings
// the remote pane back and focuses it, selecting nothing in it (its rows
// were not on screen where the click landed).
func (m Model) onPreviewMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Button == tea.MouseButtonLeft {
		m.setFocus(focusRemote)
	}
	return m, nil
}
