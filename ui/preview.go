package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

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

// noPreview says why the preview's scroll keys did nothing, and what
// shows a preview: P in the local pane (localFocus: it has the keys), or
// going back to the local pane when the preview is on (previewOn) but
// the remote pane has the keys.
func noPreview(k *uikit.KeyMap, previewOn, localFocus bool) string {
	switch {
	case previewOn:
		return "no preview shown — " + k.SwitchPane.Help().Key + " to the local pane shows it"
	case localFocus:
		return "no preview shown — " + k.Preview.Help().Key + " shows it"
	}
	return "no preview shown — " + k.Preview.Help().Key + " in the local pane shows it"
}
