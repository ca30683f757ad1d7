package ui

import tea "github.com/charmbracelet/bubbletea"

// Update is update, then the preview follows the local cursor: whatever
// moved it (a key, a click, a listing, a filter), the entry under it is
// what the preview shows.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case previewDueMsg, previewLoadedMsg, previewDrawnMsg:
		var cmd tea.Cmd
		m.preview, cmd = m.preview.Update(msg)
		return m, cmd
	}
	mm, cmd := m.update(msg)
	next, ok := mm.(Model)
	if !ok {
		return mm, cmd
	}
	return next, tea.Batch(cmd, next.syncPreview())
}

// previewShown: the preview takes the remote pane's half of the screen
// while it is on and the local pane is the pane in use; focusing the
// remote pane shows the remote pane again.
func (m *Model) previewShown() bool {
	return m.local.previewOn && m.paneFocus == focusLocal && m.studio == nil && !m.quitting
}

// syncPreview points the preview at the local cursor's entry, or lets it
// go (cancelling any running read) while it is not shown.
func (m *Model) syncPreview() tea.Cmd {
	if !m.previewShown() {
		m.preview.hide()
		return nil
	}
	e, ok := m.local.current()
	return tea.Batch(m.preview.follow(e, ok), m.preview.redraw())
}
