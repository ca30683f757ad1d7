package localpane

import (
	"fmt"

	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// View draws the pane: path line, column header, the visible rows only,
// and a footer with counts and the sort order.
func (p *Pane) View() string {
	st := p.styles
	inner := max(10, p.width-2)
	lines := make([]string, 0, p.height)
	title := st.PaneHeading("Local", p.focused)
	lines = append(lines, title+uikit.FitLeft(text.Sanitize(p.dir), inner-lipgloss.Width(title)))
	nameW, showTime := p.columns(inner)
	hdr := "  " + uikit.Fit("Name", nameW) + " " + uikit.AlignRight("Size", 8)
	if showTime {
		hdr += " " + uikit.Fit("Modified", 12)
	}
	lines = append(lines, st.Header.Render(uikit.Fit(hdr, inner)))
	switch {
	case p.loading && len(p.all) == 0:
		lines = append(lines, st.Muted.Render(uikit.Fit("loading "+text.Sanitize(p.dir)+"…", inner)))
	case p.loadErr != "":
		lines = append(lines, st.Error.Render(uikit.Fit("cannot read directory: "+text.Sanitize(p.loadErr), inner)))
	case len(p.order) == 0 && p.filter != "":
		lines = append(lines, st.Muted.Render(uikit.Fit("no match for "+text.Sanitize(p.filter), inner)))
	case len(p.order) == 0:
		lines = append(lines, st.Muted.Render(uikit.Fit("empty directory", inner)))
	default:
		from, to := p.list.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, p.row(i, nameW, showTime, inner))
		}
	}
	return st.PaneFrame(p.focused, lines, p.footer(), inner, p.height)
}

func (p *Pane) columns(inner int) (nameW int, showTime bool) {
	showTime = inner >= 50
	nameW = inner - 2 - 1 - 8
	if showTime {
		nameW -= 13
	}
	return max(4, nameW), showTime
}

func (p *Pane) row(i, nameW int, showTime bool, inner int) string {
	st := p.styles
	e := p.all[p.order[i]]
	marked := p.marks.Has(e.Path)
	mark := p.clipMark(uikit.RowPrefix(i == p.list.Cursor(), marked, p.marks.InRange(i, p.list.Cursor())), e.Path, marked)
	name := text.Sanitize(e.Name)
	size := uikit.FormatSize(e.Size)
	switch {
	case e.IsDir:
		name += "/"
		size = ""
		if n, ok := p.dirSizes[e.Path]; ok {
			size = uikit.FormatSize(n)
		}
	case e.IsLink:
		name += "@"
	}
	if e.Err != "" {
		size = "?"
	}
	rest := " " + uikit.AlignRight(size, 8)
	if showTime {
		rest += " " + uikit.Fit(uikit.FormatTime(e.ModTime, p.now()), 12)
	}
	plain := st.Row
	switch {
	case e.Err != "":
		plain = st.Error
	case e.IsDir:
		plain = st.Dir
	}
	nameF := uikit.Fit(name, nameW)
	rest = uikit.Fit(rest, inner-lipgloss.Width(mark+nameF))
	if p.ops.edit.active && p.ops.edit.kind == editRename && e.Path == p.ops.edit.from.Path {
		return p.editRow(mark, nameW, rest)
	}
	return uikit.HighlightRow(st.RowStyle(i == p.list.Cursor(), p.focused, marked, plain), mark, nameF, rest, p.filter)
}

func (p *Pane) footer() string {
	arrow := "↑"
	if p.desc {
		arrow = "↓"
	}
	s := fmt.Sprintf("%d %s", len(p.order), text.Plural(len(p.order), "item", "items"))
	if p.filter != "" {
		s = fmt.Sprintf("%d of %d match /%s", len(p.order), len(p.all), text.Sanitize(p.filter))
	}
	s += uikit.MarksHint(p.marks.Len(), p.shownMarks) + p.selectionHint()
	s += p.clipHint()
	s += p.marks.RangeHint(p.list.Cursor(), len(p.order), p.keys.MarkRange)
	if p.hidden {
		s += " · hidden shown"
	}
	if p.loading && len(p.all) > 0 {
		s += " · loading…"
	}
	return s + " · " + sortNames[p.sortBy] + arrow
}
