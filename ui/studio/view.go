package studio

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// studio layout: a title line, the tasks column and the preview side by
// side, then the URL (two lines), the status line and key hints.
func (s *Studio) columns() (left, right int) {
	left = min(46, max(30, s.width*2/5))
	return left, s.width - left
}

// bodyHeight is what is left after the title, the URL (2), status and hints.
func (s *Studio) bodyHeight() int { return max(3, s.height-5) }

// previewBox is where the image goes (screen row, column, cells wide, high).
func (s *Studio) previewBox() (row, col, w, h int) {
	left, right := s.columns()
	// Below the title (row 0), the border (row 1) and the info line (row 2).
	return 3, left + 1, max(1, right-2), max(1, s.bodyHeight()-3)
}

// View draws the title, the tasks, the preview and the URL; the root adds
// the status line and the key hints below.
func (s *Studio) View() string {
	st := s.styles
	left, right := s.columns()
	bodyH := s.bodyHeight()
	title := st.Title.Render(" Transform studio ") + st.Muted.Render(text.Sanitize(uikit.DisplayName(s.entry))+" · "+s.entry.Handle)
	modeName := uikit.PreviewModeNames[s.mode]
	if s.mode == uikit.PreviewHalfBlock && (s.profile == termenv.ANSI256 || s.profile == termenv.ANSI) {
		// Without COLORTERM=truecolor the colours are rounded to a palette
		// and the picture looks posterised: say why.
		modeName += " in 256 colours (COLORTERM unset)"
	}
	mode := st.Muted.Render("preview: " + modeName + " ")
	top := title + strings.Repeat(" ", max(1, s.width-lipgloss.Width(title)-lipgloss.Width(mode))) + mode

	tasks := st.PaneFocused.Width(left - 2).Height(bodyH - 2).Render(strings.Join(s.taskLines(left-2, bodyH-2), "\n"))
	prev := st.PaneBlurred.Width(right - 2).Height(bodyH - 2).Render(s.previewText(right-2, bodyH-2))
	body := lipgloss.JoinHorizontal(lipgloss.Top, tasks, prev)

	url := s.studioURL()
	urlLine := st.Label.Render("URL ") + text.Sanitize(url)
	if problem := s.problem(); problem != "" {
		urlLine = st.Error.Render("invalid: " + text.Sanitize(problem))
	}
	urlLines := wrapCells(urlLine, s.width, 2)
	return strings.Join([]string{top, body, urlLines}, "\n")
}

func (s *Studio) taskLines(w, h int) []string {
	st := s.styles
	lines := []string{st.PaneTitleFocused.Render("Tasks")}
	if len(s.tasks) == 0 {
		lines = append(lines, st.Muted.Render(uikit.Fit("no tasks: the original is shown", w)), st.Muted.Render(uikit.Fit("press a to add one", w)))
	}
	for i, t := range s.tasks {
		line := fmt.Sprintf("%s%d %s", uikit.RowPrefix(i == s.cursor, false), i+1, text.Sanitize(t.Format()))
		line = uikit.Fit(line, w)
		if i == s.cursor && !s.editing {
			line = st.Cursor.Render(line)
		}
		lines = append(lines, line)
	}
	if s.editing && len(s.tasks) > 0 {
		lines = append(lines, "", st.PaneTitleFocused.Render("Parameters of "+s.tasks[s.cursor].Name))
		for i, ps := range s.params() {
			val := "—"
			if v, ok := s.tasks[s.cursor].Lookup(ps.Name); ok {
				val = v.String()
			}
			if i == s.param {
				val = s.input.View()
			}
			line := uikit.RowPrefix(i == s.param, false) + uikit.Fit(ps.Name, 11) + " " + uikit.Fit(val, max(6, w-30)) + " " + st.Muted.Render(uikit.Fit(paramHint(ps), 14))
			lines = append(lines, uikit.FitStyled(line, w))
		}
		if ps := s.params(); s.param < len(ps) {
			// The allowed values in full (the column above is cut short).
			lines = append(lines, strings.Split(st.Muted.Render(lipgloss.NewStyle().Width(w).Render(ps[s.param].Name+": "+paramHint(ps[s.param]))), "\n")...)
		}
		if s.fieldErr != "" {
			lines = append(lines, strings.Split(st.Error.Render(lipgloss.NewStyle().Width(w).Render(s.fieldErr)), "\n")...)
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return lines
}

// paramHint describes what a parameter accepts, from the catalogue.
func paramHint(ps transform.ParamSpec) string {
	switch ps.Kind {
	case transform.KindInt, transform.KindFloat:
		h := fmt.Sprintf("%g–%g", ps.Min, ps.Max)
		if len(ps.Words) > 0 {
			h += " or " + strings.Join(ps.Words, "/")
		}
		return h
	case transform.KindBool:
		return "true/false"
	case transform.KindEnum, transform.KindEnumPair:
		return strings.Join(ps.Enum, "/")
	case transform.KindColor:
		return "colour"
	case transform.KindInts:
		return fmt.Sprintf("[%d numbers]", ps.Len)
	}
	return ""
}

func (s *Studio) previewText(w, h int) string {
	st := s.styles
	if s.mode == uikit.PreviewOff {
		return st.Muted.Render("preview off (p to turn on)")
	}
	if s.chainErr != "" {
		return st.Muted.Render("fix the chain to see a preview")
	}
	p := s.previews.get(s.studioURL())
	switch {
	case p == nil || (p.img == nil && p.err == ""):
		return st.Muted.Render("fetching preview…")
	case p.err != "":
		return st.Error.Render(lipgloss.NewStyle().Width(w).Render(text.Sanitize(p.err)))
	case s.mode == uikit.PreviewKitty:
		return st.Muted.Render(fmt.Sprintf("%d×%d %s (kitty graphics)", p.img.Bounds().Dx(), p.img.Bounds().Dy(), text.Sanitize(p.mimetype)))
	case s.mode.InText() && (p.graphic == "" || p.graphicW != w || p.graphicH != h-1):
		return st.Muted.Render("drawing…")
	case s.mode.InText():
		return st.Muted.Render(fmt.Sprintf("%d×%d %s (%s)", p.img.Bounds().Dx(), p.img.Bounds().Dy(), text.Sanitize(p.mimetype), uikit.PreviewModeNames[s.mode]))
	case p.rendered == "" || p.renderW != w || p.renderH != h-1:
		return st.Muted.Render("drawing…")
	}
	label := fmt.Sprintf("%d×%d %s, %s, %s", p.img.Bounds().Dx(), p.img.Bounds().Dy(), text.Sanitize(p.mimetype), uikit.FormatSize(int64(p.size)),
		scaleText(uikit.PreviewScale(p.img, w, h-1)))
	info := st.Muted.Render(uikit.Fit(label, w))
	return info + "\n" + p.rendered
}

// scaleText says how big the preview is against the image.
func scaleText(scale float64) string {
	if scale >= 1 {
		return "actual size"
	}
	return fmt.Sprintf("at %d%%", max(1, int(scale*100)))
}

// wrapCells breaks a line into at most n lines of w cells.
func wrapCells(s string, w, n int) string {
	r := []rune(s)
	var out []string
	for len(r) > 0 && len(out) < n {
		k := min(len(r), w)
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	for len(out) < n {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}
