package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
)

// markSet is what a pane has marked, by stable id (a path, a handle), so
// marks survive re-listing, sorting and filtering. anchor is the row of the
// last toggle, where a range starts.
type markSet struct {
	ids    map[string]markPin
	anchor int
	seq    uint64
}

// markPin is what a mark knows of what it names: the file's identity on
// its device when the local pane listed it (zero for a remote handle, or
// where the platform gives none), and when it was marked (seq), so a late
// check of an older mark never unmarks a newer one of the same path.
type markPin struct {
	id  fileID
	seq uint64
	// pinned: the file was looked at once marked (its birth time added
	// where there is one), so pinMarks leaves it.
	pinned bool
}

func newMarkSet() markSet { return markSet{ids: map[string]markPin{}, anchor: -1} }

func (s *markSet) has(id string) bool {
	_, ok := s.ids[id]
	return ok
}

func (s *markSet) len() int { return len(s.ids) }

func (s *markSet) clear() { s.ids, s.anchor = map[string]markPin{}, -1 }

// add marks id (pinned to the file fid) unless it is marked already.
func (s *markSet) add(id string, fid fileID) {
	if _, ok := s.ids[id]; !ok {
		s.seq++
		s.ids[id] = markPin{id: fid, seq: s.seq}
	}
}

func (s *markSet) toggle(id string, fid fileID, row int) {
	if s.has(id) {
		delete(s.ids, id)
	} else {
		s.add(id, fid)
	}
	s.anchor = row
}

// rangeTo marks rows from the anchor to row; without an anchor it toggles
// row and makes it the anchor.
func (s *markSet) rangeTo(row, n int, at func(int) (string, fileID)) {
	if s.anchor < 0 || s.anchor >= n {
		id, fid := at(row)
		s.toggle(id, fid, row)
		return
	}
	for i := min(s.anchor, row); i <= max(s.anchor, row); i++ {
		s.add(at(i))
	}
	s.anchor = -1
}

// inRange reports whether row lies between the anchor and the cursor:
// what the range key would mark now (shown before it is pressed).
func (s *markSet) inRange(row, cursor int) bool {
	return s.anchor >= 0 && s.anchor != cursor && row >= min(s.anchor, cursor) && row <= max(s.anchor, cursor)
}

// rangeHint is the footer's note while a range is open.
func (s *markSet) rangeHint(cursor, n int, k key.Binding) string {
	if s.anchor < 0 || s.anchor >= n || s.anchor == cursor {
		return ""
	}
	return fmt.Sprintf(" · %s marks %d (┆)", k.Help().Key, max(s.anchor, cursor)-min(s.anchor, cursor)+1)
}

// toggleAll marks all n rows, or unmarks them when all are marked.
func (s *markSet) toggleAll(n int, at func(int) (string, fileID)) {
	all := true
	for i := 0; i < n && all; i++ {
		id, _ := at(i)
		all = s.has(id)
	}
	for i := 0; i < n; i++ {
		if id, fid := at(i); all {
			delete(s.ids, id)
		} else {
			s.add(id, fid)
		}
	}
}

// marksHint is the footer's "· 3 marked · 2 not shown": marks the list
// does not show (another directory, the filter, hidden files) are never
// out of sight.
func marksHint(marked, shown int) string {
	if marked == 0 {
		return ""
	}
	s := fmt.Sprintf(" · %d marked", marked)
	if n := marked - shown; n > 0 {
		s += fmt.Sprintf(" · %d not shown", n)
	}
	return s
}

// clearedMarks says how many marks esc cleared (nothing when it only
// closed an open range).
func clearedMarks(n int) tea.Cmd {
	if n == 0 {
		return nil
	}
	return info("cleared " + text.CountOf(n, "mark"))
}

// navigate applies the movement keys to a list; it reports whether the key
// was one of them.
func (l *listState) navigate(msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.move(-1)
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.PageUp):
		l.page(-1)
	case key.Matches(msg, k.PageDown):
		l.page(1)
	case key.Matches(msg, k.Top):
		l.jump(0)
	case key.Matches(msg, k.Bottom):
		l.jump(l.n - 1)
	default:
		return false
	}
	return true
}

// row picks a list row's style: the cursor (focused or not) first, then
// marked, then the pane's own style for the row.
func (st *Styles) row(cursor, focused, marked bool, plain lipgloss.Style) lipgloss.Style {
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

// boxed draws lines (each already fitted to width cells) in a bordered box
// of height rows. Lines are padded and cut here, so lipgloss only adds the
// border and never re-wraps: a frame costs what its visible rows cost.
func boxed(box lipgloss.Style, lines []string, width, height int) string {
	blank := strings.Repeat(" ", width)
	out := make([]string, height)
	for i := range out {
		switch {
		case i < len(lines) && lipgloss.Width(lines[i]) == width:
			out[i] = lines[i]
		case i < len(lines):
			out[i] = fitStyled(lines[i], width)
			if w := lipgloss.Width(out[i]); w < width {
				out[i] += strings.Repeat(" ", width-w)
			}
		default:
			out[i] = blank
		}
	}
	return box.Render(strings.Join(out, "\n"))
}

// paneFrame draws a pane: the body lines at the top, the footer on its last
// line, in the focused or blurred box.
func (st *Styles) paneFrame(focused bool, body []string, footer string, width, height int) string {
	rows := height - 2
	lines := make([]string, 0, rows)
	lines = append(lines, body[:min(len(body), rows-1)]...)
	for len(lines) < rows-1 {
		lines = append(lines, "")
	}
	lines = append(lines, st.Muted.Render(fit(footer, width)))
	box := st.PaneBlurred
	if focused {
		box = st.PaneFocused
	}
	return boxed(box, lines, width, rows)
}
