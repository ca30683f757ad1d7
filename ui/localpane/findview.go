package localpane

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// findView is what the find's View keeps between frames, so a key press
// while the walk runs measures and fits only what changed: each result's
// row is fitted once (by hit), and the dialog's frame is drawn from
// pieces made once per width instead of by lipgloss measuring and
// padding every line of the box at every frame.
type findView struct {
	w          int
	rows       map[int]string
	top, bot   string
	left, rght string
}

// findRowCache bounds the rows kept: a few rankings' worth.
const findRowCache = 4 * findShown

// findLine is one line inside the dialog and its width in cells.
type findLine struct {
	s string
	w int
}

// fit readies the cache for a dialog w cells wide (the Dialog style:
// a rounded border in its colour, one cell of padding each side).
func (v *findView) fit(s *uikit.Styles, w int) {
	if v.w == w && v.rows != nil {
		return
	}
	b := lipgloss.RoundedBorder()
	edge := lipgloss.NewStyle().Foreground(s.Dialog.GetBorderTopForeground())
	*v = findView{w: w, rows: map[int]string{},
		top:  edge.Render(b.TopLeft + strings.Repeat(b.Top, w-2) + b.TopRight),
		bot:  edge.Render(b.BottomLeft + strings.Repeat(b.Bottom, w-2) + b.BottomRight),
		left: edge.Render(b.Left) + " ", rght: " " + edge.Render(b.Right)}
}

// row is hit i's name fitted to n cells (directories end in /).
func (v *findView) row(i int, h *findHit, n int) string {
	if r, ok := v.rows[i]; ok {
		return r
	}
	if len(v.rows) >= findRowCache {
		clear(v.rows)
	}
	name := text.Sanitize(h.rel)
	if h.isDir {
		name += "/"
	}
	r := uikit.FitMiddle(name, n)
	v.rows[i] = r
	return r
}

// View draws the field, the state of the walk and the best matches.
func (f *finder) View() string {
	w := f.width()
	inner := w - 4
	lines := f.lines(w)
	var b strings.Builder
	b.WriteString(f.view.top)
	for _, l := range lines {
		s, n := l.s, l.w
		if n > inner { // the field, were it ever wider than the box
			s = ansi.Truncate(s, inner, "")
			n = ansi.StringWidth(s)
		}
		b.WriteByte('\n')
		b.WriteString(f.view.left)
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", inner-n))
		b.WriteString(f.view.rght)
	}
	b.WriteByte('\n')
	b.WriteString(f.view.bot)
	return b.String()
}

// width is the dialog's width on the screen.
func (f *finder) width() int {
	ow, _ := f.Size()
	return max(min(ow-4, 100), 12)
}

// lines are the dialog's lines inside its frame, each with its width
// (the frame's pieces are made ready for w too).
func (f *finder) lines(w int) []findLine {
	s := f.Styles()
	f.view.fit(s, w)
	inner := w - 4
	f.input.Width = w - 8
	measured := func(l string) findLine { return findLine{l, ansi.StringWidth(l)} }
	title := "Find below"
	in := f.input.View()
	out := make([]findLine, 0, f.list.Height()+8)
	out = append(out, findLine{s.DialogTitle.Render(title), len(title)},
		findLine{s.Muted.Render(uikit.FitLeft(text.Sanitize(f.root), inner)), inner}, findLine{},
		measured(in), findLine{s.Muted.Render(uikit.Fit(f.state(), inner)), inner})
	from, to := f.list.Visible()
	for i := from; i < to && i < len(f.ranked); i++ {
		hi := f.ranked[i].i
		row := f.view.row(hi, f.hits.at(hi), w-6)
		if i == f.list.Cursor() {
			out = append(out, findLine{s.Cursor.Render("▸ " + row), inner})
		} else {
			out = append(out, findLine{"  " + row, inner})
		}
	}
	if len(f.ranked) == 0 && (f.done || f.pattern != "") {
		out = append(out, findLine{s.Muted.Render("  no match"), 10})
	}
	return append(out, findLine{}, findLine{s.Muted.Render(uikit.Fit(uikit.FooterOf(f.Keys().Short), inner)), inner})
}
