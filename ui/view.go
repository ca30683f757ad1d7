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
		return fmt.Sprintf("Terminal too small: fsdeck needs at least %d×%d, this one is %d×%d.\nEnlarge the window, or press q to quit.",
			minWidth, minHeight, m.width, m.height)
	}
	if m.studio != nil {
		screen := m.studioView()
		if m.overlay != nil {
			screen = placeOverlay(screen, m.overlay.view(&m.styles, m.width, m.height), m.width, m.height)
		}
		return screen
	}
	parts := []string{m.titleBar(), lipgloss.JoinHorizontal(lipgloss.Top, m.local.View(), m.remote.View())}
	if m.showXfers {
		parts = append(parts, m.transfers.View())
	}
	parts = append(parts, m.statusLine(), m.hintLine())
	screen := strings.Join(parts, "\n")
	if m.overlay != nil {
		screen = placeOverlay(screen, m.overlay.view(&m.styles, m.width, m.height), m.width, m.height)
	}
	return screen
}

func (m Model) titleBar() string {
	st := m.styles
	badge := st.TitleCloud.Render(" FILESTACK ")
	if m.d.Mode == ModeLocal {
		badge = st.TitleLocal.Render(" LOCAL ")
	}
	left := st.Title.Render(" fsdeck ") + badge + " " + st.Muted.Render(Sanitize(m.d.Endpoint))
	running, queued := m.transfers.counts()
	right := ""
	if running+queued > 0 {
		done, total := m.transfers.overall()
		right = fmt.Sprintf("⇅ %d active · %s ", running+queued, pct(done, total))
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m Model) statusLine() string {
	if m.filtering {
		return fit(m.filter.View(), m.width)
	}
	st := m.styles
	style := map[statusKind]lipgloss.Style{statusInfo: st.Status, statusOK: st.Success, statusWarn: st.Warning, statusErr: st.Error}[m.statusKind]
	text := Sanitize(m.status)
	if text == "" && m.d.Mode == ModeLocal {
		text = "LOCAL mode: files go to fsdeck's built-in server. For Filestack, run `fsdeck key set` or press K."
		style = st.Muted
	}
	return style.Render(fit(text, m.width))
}

// hintLine shows the focused pane's main keys, from the live key map.
func (m Model) hintLine() string {
	k := m.keys
	var bs []key.Binding
	switch m.focus {
	case focusLocal:
		bs = []key.Binding{k.Upload, k.Mark, k.Open, k.Parent, k.Filter}
	case focusRemote:
		bs = []key.Binding{k.Copy, k.Details, k.Download, k.Refresh, k.Filter}
	case focusTransfers:
		bs = []key.Binding{k.Cancel, k.Pause, k.Retry}
	}
	bs = append(bs, k.SwitchPane, k.Transfers, k.Help, k.Quit)
	var parts []string
	for _, b := range bs {
		if b.Enabled() {
			parts = append(parts, m.styles.HelpKey.Render(prettyKeys(b.Keys()[:1]))+" "+m.styles.HelpDesc.Render(b.Help().Desc))
		}
	}
	line := strings.Join(parts, m.styles.Muted.Render(" · "))
	if lipgloss.Width(line) > m.width {
		line = ansi.Truncate(line, m.width, "…")
	}
	return line
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
