package uikit

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Theme is the set of colours a person can override in config.toml.
// Values are lipgloss colours: ANSI numbers ("12") or hex ("#7aa2f7").
type Theme struct {
	Accent    string `toml:"accent"`
	Muted     string `toml:"muted"`
	Text      string `toml:"text"`
	Selection string `toml:"selection"`
	Marked    string `toml:"marked"`
	Error     string `toml:"error"`
	Warning   string `toml:"warning"`
	Success   string `toml:"success"`
	Border    string `toml:"border"`
	Local     string `toml:"local_badge"`
}

// DefaultTheme uses the 16 ANSI colours so it follows the terminal's palette.
func DefaultTheme() Theme {
	return Theme{Accent: "12", Muted: "8", Text: "", Selection: "4", Marked: "11", Error: "9",
		Warning: "11", Success: "10", Border: "8", Local: "13"}
}

// Styles are built once from a Theme; View never creates styles.
type Styles struct {
	Title, TitleLocal, TitleCloud lipgloss.Style
	PaneFocused, PaneBlurred      lipgloss.Style
	PaneTitleFocused, PaneTitle   lipgloss.Style
	Header                        lipgloss.Style
	Row, Cursor, CursorBlurred    lipgloss.Style
	Marked, Dir, Muted, Gone      lipgloss.Style
	Error, Warning, Success       lipgloss.Style
	Status, StatusKey             lipgloss.Style
	Dialog, DialogTitle, Label    lipgloss.Style
	BarFull, BarEmpty             lipgloss.Style
	ChunkPending, ChunkSending    lipgloss.Style
	ChunkRetried, ChunkDone       lipgloss.Style
	HelpKey, HelpDesc             lipgloss.Style
}

// NewStyles derives every style from the theme.
func NewStyles(t Theme) Styles {
	c := func(s string) lipgloss.TerminalColor {
		if s == "" {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(s)
	}
	base := lipgloss.NewStyle().Foreground(c(t.Text))
	pane := lipgloss.NewStyle().Border(lipgloss.RoundedBorder())
	return Styles{
		Title:            lipgloss.NewStyle().Bold(true),
		TitleLocal:       lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(c(t.Local)),
		TitleCloud:       lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(c(t.Success)),
		PaneFocused:      pane.BorderForeground(c(t.Accent)),
		PaneBlurred:      pane.BorderForeground(c(t.Border)),
		PaneTitleFocused: lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(c(t.Accent)),
		PaneTitle:        lipgloss.NewStyle().Foreground(c(t.Muted)),
		Header:           lipgloss.NewStyle().Foreground(c(t.Muted)).Underline(true),
		Row:              base,
		Cursor:           lipgloss.NewStyle().Reverse(true).Bold(true),
		CursorBlurred:    lipgloss.NewStyle().Underline(true),
		Marked:           lipgloss.NewStyle().Foreground(c(t.Marked)).Bold(true),
		Dir:              lipgloss.NewStyle().Foreground(c(t.Accent)).Bold(true),
		Muted:            lipgloss.NewStyle().Foreground(c(t.Muted)),
		Gone:             lipgloss.NewStyle().Foreground(c(t.Error)).Strikethrough(true),
		Error:            lipgloss.NewStyle().Foreground(c(t.Error)).Bold(true),
		Warning:          lipgloss.NewStyle().Foreground(c(t.Warning)),
		Success:          lipgloss.NewStyle().Foreground(c(t.Success)),
		Status:           base,
		StatusKey:        lipgloss.NewStyle().Foreground(c(t.Accent)).Bold(true),
		Dialog:           lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(c(t.Accent)).Padding(0, 1),
		DialogTitle:      lipgloss.NewStyle().Bold(true).Foreground(c(t.Accent)),
		Label:            lipgloss.NewStyle().Foreground(c(t.Muted)),
		BarFull:          lipgloss.NewStyle().Foreground(c(t.Accent)),
		BarEmpty:         lipgloss.NewStyle().Foreground(c(t.Muted)),
		ChunkPending:     lipgloss.NewStyle().Foreground(c(t.Muted)),
		ChunkSending:     lipgloss.NewStyle().Foreground(c(t.Accent)),
		ChunkRetried:     lipgloss.NewStyle().Foreground(c(t.Warning)),
		ChunkDone:        lipgloss.NewStyle().Foreground(c(t.Success)),
		HelpKey:          lipgloss.NewStyle().Foreground(c(t.Accent)).Bold(true),
		HelpDesc:         lipgloss.NewStyle().Foreground(c(t.Muted)),
	}
}

// FocusMark starts the title of the pane or panel that has the keys, so
// where they go shows without colour too (NO_COLOR, monochrome themes).
const FocusMark = "▶ "

// PaneHeading is a pane's title: reversed and marked when it has the keys.
func (st *Styles) PaneHeading(text string, focused bool) string {
	if focused {
		return st.PaneTitleFocused.Render(FocusMark+text) + " "
	}
	return st.PaneTitle.Render(text) + " "
}

// RowStyle picks a list row's style: the cursor (focused or not) first, then
// marked, then the pane's own style for the row.
func (st *Styles) RowStyle(cursor, focused, marked bool, plain lipgloss.Style) lipgloss.Style {
	switch {
	case cursor && focused:
		return st.Cursor
	case cursor:
		return st.CursorBlurred
	case marked:
		return st.Marked
	}
	return plain
}

// Boxed draws lines (each already fitted to width cells) in a bordered box
// of height rows. Lines are padded and cut here, so lipgloss only adds the
// border and never re-wraps: a frame costs what its visible rows cost.
func Boxed(box lipgloss.Style, lines []string, width, height int) string {
	blank := strings.Repeat(" ", width)
	out := make([]string, height)
	for i := range out {
		switch {
		case i < len(lines) && lipgloss.Width(lines[i]) == width:
			out[i] = lines[i]
		case i < len(lines):
			out[i] = FitStyled(lines[i], width)
			if w := lipgloss.Width(out[i]); w < width {
				out[i] += strings.Repeat(" ", width-w)
			}
		default:
			out[i] = blank
		}
	}
	return box.Render(strings.Join(out, "\n"))
}

// PaneFrame draws a pane: the body lines at the top, the footer on its last
// line, in the focused or blurred box.
func (st *Styles) PaneFrame(focused bool, body []string, footer string, width, height int) string {
	rows := height - 2
	lines := make([]string, 0, rows)
	lines = append(lines, body[:min(len(body), rows-1)]...)
	for len(lines) < rows-1 {
		lines = append(lines, "")
	}
	lines = append(lines, st.Muted.Render(Fit(footer, width)))
	box := st.PaneBlurred
	if focused {
		box = st.PaneFocused
	}
	return Boxed(box, lines, width, rows)
}
