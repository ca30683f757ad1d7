package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// View lays out title, panes, transfers, status and key hints, with any
// dialog composited on top.
func (m Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width == 0 {
		return "starting…"
	}
	if m.width < minWidth || m.height < minHeight {
		return tooSmall(m.width, m.height)
	}
	var screen string
	if m.studio != nil {
		screen = strings.Join([]string{m.studio.View(), m.bottomLine(), m.hintLine()}, "\n")
	} else {
		parts := []string{m.titleBar(), lipgloss.JoinHorizontal(lipgloss.Top, m.local.View(), m.remote.View())}
		if m.showXfers {
			parts = append(parts, m.transfers.View())
		}
		screen = strings.Join(append(parts, m.bottomLine(), m.hintLine()), "\n")
	}
	if m.overlay != nil {
		screen = placeOverlay(screen, m.overlay.View(), m.width, m.height)
	}
	return screen
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

func (m Model) titleBar() string {
	st := &m.env.styles
	badge := st.TitleCloud.Render(" FILESTACK ")
	if m.env.d.Mode == ModeLocal {
		badge = st.TitleLocal.Render(" LOCAL ")
	}
	left := st.Title.Render(" fsdeck ") + badge + " " + st.Muted.Render(Sanitize(m.env.d.Endpoint))
	right := m.transfers.Summary()
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// bottomLine is the filter being typed, or the status line.
func (m Model) bottomLine() string {
	switch {
	case m.focus == focusLocal && m.local.Typing() && m.studio == nil:
		return fit(m.local.FilterLine(), m.width)
	case m.focus == focusRemote && m.remote.Typing() && m.studio == nil:
		return fit(m.remote.FilterLine(), m.width)
	}
	return m.status.View(m.width)
}

// focusedKeys is the key map of what has the keys now.
func (m Model) focusedKeys() (string, keyHelp) {
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

// hintLine shows the focused component's main keys, most important first,
// as many as fit the width, always ending with the help key.
func (m Model) hintLine() string {
	k := &m.env.keys
	_, km := m.focusedKeys()
	bs := km.ShortHelp()
	if m.overlay == nil && m.studio == nil {
		bs = append(bs, k.SwitchPane, k.Transfers, k.Quit)
	}
	st := &m.env.styles
	item := func(b key.Binding) string {
		return st.HelpKey.Render(b.Help().Key) + " " + st.HelpDesc.Render(b.Help().Desc)
	}
	sep := st.Muted.Render(" · ")
	last := item(k.Help)
	line := ""
	for _, b := range bs {
		if !b.Enabled() || len(b.Keys()) == 0 {
			continue
		}
		next := line + item(b) + sep
		if lipgloss.Width(next)+lipgloss.Width(last) > m.width {
			break
		}
		line = next
	}
	return ansi.Truncate(line+last, m.width, "")
}

// helpOverlay lists the focused component's keys first, then the others'
// and the global keys, from the live key maps: remapped keys show as
// remapped, keys that cannot apply now are left out.
func (m Model) helpOverlay() overlay {
	k := &m.env.keys
	name, first := m.focusedKeys()
	type section struct {
		name string
		km   keyHelp
	}
	sections := []section{{name, first}}
	if m.studio == nil {
		for _, s := range []section{{"local pane", m.local.Keys()}, {"remote pane", m.remote.Keys()}, {"transfers", m.transfers.Keys()}} {
			if s.name != name {
				sections = append(sections, s)
			}
		}
	}
	global := keyHelp{full: [][]key.Binding{k.globalKeys()}}
	if m.studio != nil {
		global = keyHelp{full: [][]key.Binding{{k.Help, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}}}
	}
	sections = append(sections, section{"global", global})
	st := &m.env.styles
	var lines []string
	moving := map[string]bool{} // movement keys show once, under the first section
	for _, b := range k.movementKeys() {
		moving[b.Help().Desc] = true
	}
	for _, s := range sections {
		lines = append(lines, st.DialogTitle.Render(strings.ToUpper(s.name[:1])+s.name[1:]))
		seen := map[string]bool{}
		for _, group := range s.km.FullHelp() {
			for _, b := range group {
				id := b.Help().Desc + "\x00" + strings.Join(b.Keys(), " ")
				if !b.Enabled() || len(b.Keys()) == 0 || seen[id] {
					continue
				}
				seen[id] = true
				if moving[b.Help().Desc] {
					if moving[id] {
						continue
					}
					moving[id] = true
				}
				lines = append(lines, "  "+st.HelpKey.Render(fit(prettyKeys(b.Keys()), 22))+" "+st.HelpDesc.Render(b.Help().Desc))
			}
		}
		lines = append(lines, "")
	}
	return newTextOverlay(m.env, "Keys ("+name+" first)", lines)
}

// placeOverlay draws fg centred over bg, keeping bg visible around it.
func placeOverlay(bg, fg string, width, height int) string {
	bgLines := strings.Split(bg, "\n")
	fgLines := strings.Split(fg, "\n")
	fw := lipgloss.Width(fg)
	x := max(0, (width-fw)/2)
	y := max(0, (height-len(fgLines))/2)
	for i, fl := range fgLines {
		row := y + i
		if row >= len(bgLines) {
			bgLines = append(bgLines, "")
		}
		b := bgLines[row]
		left := ansi.Truncate(b, x, "")
		if w := lipgloss.Width(left); w < x {
			left += strings.Repeat(" ", x-w)
		}
		right := ansi.TruncateLeft(b, x+lipgloss.Width(fl), "")
		bgLines[row] = left + fl + right
	}
	return strings.Join(bgLines, "\n")
}
