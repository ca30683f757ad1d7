package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Update is update, then the preview follows the local cursor: whatever
// moved it (a key, a click, a listing, a filter), the entry under it is
// what the preview shows.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case previewDueMsg, previewLoadedMsg, previewDrawnMsg:
		var cmd tea.Cmd
		m.preview, cmd = m.preview.Update(msg)
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
		take := next.preview.place("", 0, 0)
		next.preview.kittyPlaced = "" // placed again on resume
		return next, tea.Sequence(take, sync, cmd)
	}
	return next, tea.Batch(cmd, sync)
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
		return m.placeKitty()
	}
	e, ok := m.local.current()
	return tea.Batch(m.preview.follow(e, ok), m.preview.redraw(), m.placeKitty())
}

// placeKitty keeps the kitty image where the preview box is, and takes it
// down while the preview is hidden, covered by a dialog or shows no image.
func (m *Model) placeKitty() tea.Cmd {
	v := &m.preview
	row, col := 3, m.width/2+1 // below the title bar, the border and the name line
	want := ""
	if m.previewShown() && m.overlay == nil && v.mode == uikit.PreviewKitty && v.res != nil && v.res.img != nil &&
		m.width >= minWidth && m.height >= minHeight {
		w, h := v.imageBox()
		want = fmt.Sprintf("%d@%d,%d,%d,%d", v.seq, row, col, w, h)
	}
	return v.place(want, row, col)
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
