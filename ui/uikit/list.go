package uikit

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// List is a cursor over n items with a window of height rows. Every
// method is O(1): drawing and moving never depend on the number of items.
type List struct {
	cursor, offset, n, height int
}

// Cursor is the row under the cursor.
func (l *List) Cursor() int { return l.cursor }

// Offset is the first row on screen.
func (l *List) Offset() int { return l.offset }

// Len is the number of rows.
func (l *List) Len() int { return l.n }

// Height is how many rows the window shows.
func (l *List) Height() int { return l.height }

// AtEnd reports whether the cursor is on the last row (or there is none).
func (l *List) AtEnd() bool { return l.cursor >= l.n-1 }

// Reset empties the list, keeping its height.
func (l *List) Reset() { *l = List{height: l.height} }

// Follow shows the rows from focus down as far as they fit (the last
// rows when fewer are left), moving the cursor to focus only when it
// would be off screen.
func (l *List) Follow(focus int) {
	if l.n == 0 {
		return
	}
	l.offset = max(0, min(focus, l.n-l.height))
	if l.cursor < l.offset || l.cursor >= l.offset+l.height {
		l.cursor = focus
	}
	l.clamp()
}

// SetLen sets the number of items.
func (l *List) SetLen(n int) {
	l.n = n
	l.clamp()
}

// SetHeight sets how many rows the window shows (at least one).
func (l *List) SetHeight(h int) {
	l.height = max(1, h)
	l.clamp()
}

// Move moves the cursor delta rows.
func (l *List) Move(delta int) {
	l.cursor += delta
	l.clamp()
}

// Jump puts the cursor on item i.
func (l *List) Jump(i int) {
	l.cursor = i
	l.clamp()
}

// Page moves the cursor a window up (dir -1) or down (1).
func (l *List) Page(dir int) { l.Move(dir * max(1, l.height-1)) }

// clamp keeps cursor in range and visible, scrolling the least possible.
func (l *List) clamp() {
	if l.n == 0 {
		l.cursor, l.offset = 0, 0
		return
	}
	l.cursor = min(max(l.cursor, 0), l.n-1)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.height > 0 && l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = min(max(l.offset, 0), max(0, l.n-l.height))
}

// Visible is the half-open range of items on screen.
func (l *List) Visible() (from, to int) {
	return l.offset, min(l.n, l.offset+max(1, l.height))
}

// doubleClick is the longest gap between the presses of a double click.
const doubleClick = 400 * time.Millisecond

// ClickTracker tells double clicks from single ones (the terminal reports
// only presses).
type ClickTracker struct {
	at   time.Time
	x, y int
}

// Press records a press at x, y; it reports a double click.
func (c *ClickTracker) Press(now time.Time, x, y int) bool {
	double := x == c.x && y == c.y && now.Sub(c.at) <= doubleClick && !c.at.IsZero()
	c.at, c.x, c.y = now, x, y
	if double {
		c.at = time.Time{} // a third press starts over
	}
	return double
}

// MouseMsg is a press in a component's own coordinates (0,0 is its top
// left corner); the component resolves it against the rows it drew.
type MouseMsg struct {
	X, Y   int
	Button tea.MouseButton
	Double bool
}

// WheelStep is how many rows a wheel notch scrolls.
const WheelStep = 3

// Wheel is how far a press scrolls (0 for other buttons).
func Wheel(b tea.MouseButton) int {
	switch b {
	case tea.MouseButtonWheelUp:
		return -WheelStep
	case tea.MouseButtonWheelDown:
		return WheelStep
	}
	return 0
}

// PaneRow is the list row under a press in a pane: the pane's border,
// title and column header take the first three lines.
func PaneRow(l List, y int) (int, bool) {
	const first = 3
	row := l.offset + y - first
	if y < first || y >= first+l.height || row >= l.n {
		return 0, false
	}
	return row, true
}

// Navigate applies the movement keys to a list; it reports whether the key
// was one of them.
func (l *List) Navigate(msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.Move(-1)
	case key.Matches(msg, k.Down):
		l.Move(1)
	case key.Matches(msg, k.PageUp):
		l.Page(-1)
	case key.Matches(msg, k.PageDown):
		l.Page(1)
	case key.Matches(msg, k.Top):
		l.Jump(0)
	case key.Matches(msg, k.Bottom):
		l.Jump(l.n - 1)
	default:
		return false
	}
	return true
}
