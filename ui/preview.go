package ui

import tea "github.com/charmbracelet/bubbletea"

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
