package uikit

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
)

// MarkSet is what a pane has marked, by stable id (a path, a handle), so
// marks survive re-listing, sorting and filtering. anchor is the row of the
// last toggle, where a range starts.
type MarkSet struct {
	ids    map[string]MarkPin
	anchor int
	seq    uint64
}

// MarkPin is what a mark knows of what it names: the file's identity on
// its device when the local pane listed it (zero for a remote handle, or
// where the platform gives none), and when it was marked (seq), so a late
// check of an older mark never unmarks a newer one of the same path.
type MarkPin struct {
	ID  FileID
	Seq uint64
	// pinned: the file was looked at once marked (its birth time added
	// where there is one), so pinMarks leaves it.
	Pinned bool
}

// NewMarkSet is an empty set.
func NewMarkSet() MarkSet { return MarkSet{ids: map[string]MarkPin{}, anchor: -1} }

// Anchored reports whether a range is open (a row was toggled last).
func (s *MarkSet) Anchored() bool { return s.anchor >= 0 }

// DropAnchor closes an open range.
func (s *MarkSet) DropAnchor() { s.anchor = -1 }

// Pins is a copy of the marks and what each pins: ranging over it while
// changing the set is safe, and a command may read it from its goroutine.
func (s *MarkSet) Pins() map[string]MarkPin {
	out := make(map[string]MarkPin, len(s.ids))
	for k, v := range s.ids {
		out[k] = v
	}
	return out
}

// Pin is what the mark of id pins (false when id is not marked).
func (s *MarkSet) Pin(id string) (MarkPin, bool) {
	p, ok := s.ids[id]
	return p, ok
}

// SetPin replaces what the mark of id pins (marking id if need be).
func (s *MarkSet) SetPin(id string, p MarkPin) { s.ids[id] = p }

// Delete unmarks id.
func (s *MarkSet) Delete(id string) { delete(s.ids, id) }

// Has reports whether id is marked.
func (s *MarkSet) Has(id string) bool {
	_, ok := s.ids[id]
	return ok
}

// Len is how many are marked.
func (s *MarkSet) Len() int { return len(s.ids) }

// Clear unmarks everything and closes a range.
func (s *MarkSet) Clear() { s.ids, s.anchor = map[string]MarkPin{}, -1 }

// Add marks id (pinned to the file fid) unless it is marked already.
func (s *MarkSet) Add(id string, fid FileID) {
	if _, ok := s.ids[id]; !ok {
		s.seq++
		s.ids[id] = MarkPin{ID: fid, Seq: s.seq}
	}
}

// Toggle marks or unmarks id (pinned to fid), the range anchored at row.
func (s *MarkSet) Toggle(id string, fid FileID, row int) {
	if s.Has(id) {
		delete(s.ids, id)
	} else {
		s.Add(id, fid)
	}
	s.anchor = row
}

// RangeTo marks rows from the anchor to row; without an anchor it toggles
// row and makes it the anchor.
func (s *MarkSet) RangeTo(row, n int, at func(int) (string, FileID)) {
	if s.anchor < 0 || s.anchor >= n {
		id, fid := at(row)
		s.Toggle(id, fid, row)
		return
	}
	for i := min(s.anchor, row); i <= max(s.anchor, row); i++ {
		s.Add(at(i))
	}
	s.anchor = -1
}

// InRange reports whether row lies between the anchor and the cursor:
// what the range key would mark now (shown before it is pressed).
func (s *MarkSet) InRange(row, cursor int) bool {
	return s.anchor >= 0 && s.anchor != cursor && row >= min(s.anchor, cursor) && row <= max(s.anchor, cursor)
}

// RangeHint is the footer's note while a range is open.
func (s *MarkSet) RangeHint(cursor, n int, k key.Binding) string {
	if s.anchor < 0 || s.anchor >= n || s.anchor == cursor {
		return ""
	}
	return fmt.Sprintf(" · %s marks %d (┆)", k.Help().Key, max(s.anchor, cursor)-min(s.anchor, cursor)+1)
}

// ToggleAll marks all n rows, or unmarks them when all are marked.
func (s *MarkSet) ToggleAll(n int, at func(int) (string, FileID)) {
	all := true
	for i := 0; i < n && all; i++ {
		id, _ := at(i)
		all = s.Has(id)
	}
	for i := 0; i < n; i++ {
		if id, fid := at(i); all {
			delete(s.ids, id)
		} else {
			s.Add(id, fid)
		}
	}
}

// MarksHint is the footer's "· 3 marked · 2 not shown": marks the list
// does not show (another directory, the filter, hidden files) are never
// out of sight.
func MarksHint(marked, shown int) string {
	if marked == 0 {
		return ""
	}
	s := fmt.Sprintf(" · %d marked", marked)
	if n := marked - shown; n > 0 {
		s += fmt.Sprintf(" · %d not shown", n)
	}
	return s
}

// ClearedMarks says how many marks esc cleared (nothing when it only
// closed an open range).
func ClearedMarks(n int) tea.Cmd {
	if n == 0 {
		return nil
	}
	return Info("cleared " + text.CountOf(n, "mark"))
}
