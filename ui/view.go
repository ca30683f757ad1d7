package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// View lays out title, panes, transfers, status and key hints, with any
// dialog composited on top.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 {
		return "starting…"
	}
	if m.width < minWidth || m.height < minHeight {
		return tooSmall(m.width, m.height)
	}
	// The bottom line is the field being typed into, or the status line.
	bottom := m.status.View()
	switch {
	case m.focus == focusLocal && m.local.Typing() && m.studio == nil:
		bottom = uikit.Fit(m.local.FilterLine(), m.width)
	case m.focus == focusRemote && m.remote.Typing() && m.studio == nil:
		bottom = uikit.Fit(m.remote.FilterLine(), m.width)
	}
	var screen string
	if m.studio != nil {
		screen = strings.Join([]string{m.studio.View(), bottom, m.hintLine()}, "\n")
	} else {
		right := m.remote.View()
		if m.previewShown() {
			right = m.preview.View()
		}
		parts := []string{m.ts.titleBar(m.env.Styles(), m.transfers.Summary(), m.width),
			lipgloss.JoinHorizontal(lipgloss.Top, m.local.View(), right)}
		if m.showXfers {
			parts = append(parts, m.transfers.View())
		}
		screen = strings.Join(append(parts, bottom, m.hintLine()), "\n")
	}
	// A sixel or iTerm2 image (the studio's, or the file preview's below
	// its name line) is drawn while no dialog covers it.
	var g uikit.Graphic
	ok := false
	switch {
	case m.overlay != nil:
		screen = uikit.PlaceOverlay(screen, m.overlay.View(), m.width, m.height)
	case m.studio != nil:
		g, ok = m.studio.Graphic()
	case m.previewShown():
		g, ok = m.preview.Graphic()
		g.Row, g.Col = 3, m.width/2+1
	}
	if ok {
		screen = uikit.EmbedGraphic(screen, g)
	}
	return screen
}

// focusedKeys is the key map of what has the keys now.
func (m *Model) focusedKeys() (string, uikit.KeyHelp) {
	switch {
	case m.overlay != nil:
		return "dialog", m.overlay.Keys()
	case m.studio != nil:
		return "transform studio", m.studio.Keys()
	case m.focus == focusRemote:
		return "remote pane", m.remote.Keys()
	case m.focus == focusTransfers:
		return "transfers", m.transfers.Keys()
	}
	return "local pane", m.local.Keys()
}

// hintLine shows the focused component's main keys, then switching,
// transfers and quit, as many as fit, always ending with the help key.
func (m *Model) hintLine() string {
	k := m.env.Keys()
	_, km := m.focusedKeys()
	bs := km.ShortHelp()
	if m.overlay == nil && m.studio == nil && !m.typing() {
		bs = append(bs, k.SwitchPane, k.Transfers, k.Quit)
	}
	return uikit.Hints(m.env.Styles(), bs, uikit.Enabled(k.Help, !m.typing()), m.width)
}

// helpOverlay lists the focused component's keys first, then the others'
// and the global keys.
func (m *Model) helpOverlay() uikit.Overlay {
	k := m.env.Keys()
	name, first := m.focusedKeys()
	sections := []dialog.Section{{Name: name, Keys: first}}
	suspend := key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend (fg resumes)"))
	global := uikit.KeyHelp{Full: [][]key.Binding{{k.Help, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")), suspend}}}
	if m.studio == nil {
		for _, s := range []dialog.Section{{Name: "local pane", Keys: m.local.Keys()}, {Name: "remote pane", Keys: m.remote.Keys()}, {Name: "transfers", Keys: m.transfers.Keys()}} {
			if s.Name != name {
				sections = append(sections, s)
			}
		}
		global = uikit.KeyHelp{Full: [][]key.Binding{append(k.GlobalKeys(m.ts.targets.Current()), suspend)}}
	}
	return dialog.Help(m.env, append(sections, dialog.Section{Name: "global", Keys: global}))
}

// tooSmall always says the current and the required size, in as few
// columns and lines as the terminal has.
func tooSmall(w, h int) string {
	lines := []string{fmt.Sprintf("Terminal too small: fsdeck needs at least %d×%d, this one is %d×%d.", minWidth, minHeight, w, h),
		"Enlarge the window, or press q to quit."}
	if w < lipgloss.Width(lines[0]) {
		lines = []string{fmt.Sprintf("Terminal too small: %d×%d", w, h), fmt.Sprintf("fsdeck needs %d×%d.", minWidth, minHeight), "Enlarge it, or q quits."}
	}
	lines = lines[:min(len(lines), max(1, h))]
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	return strings.Join(lines, "\n")
}
