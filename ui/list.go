package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// listState is a cursor over n items with a window of height rows. Every
// method is O(1): drawing and moving never depend on the number of items.
type listState struct {
	cursor, offset, n, height int
}

func (l *listState) setLen(n int) {
	l.n = n
	l.clamp()
}

func (l *listState) setHeight(h int) {
	l.height = max(1, h)
	l.clamp()
}

func (l *listState) move(delta int) {
	l.cursor += delta
	l.clamp()
}

func (l *listState) jump(i int) {
	l.cursor = i
	l.clamp()
}

func (l *listState) page(dir int) { l.move(dir * max(1, l.height-1)) }

// clamp keeps cursor in range and visible, scrolling the least possible.
func (l *listState) clamp() {
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

// visible is the half-open range of items on screen.
func (l listState) visible() (from, to int) {
	return l.offset, min(l.n, l.offset+max(1, l.height))
}

// doubleClick is the longest gap between the presses of a double click.
const doubleClick = 400 * time.Millisecond

// clickTracker tells double clicks from single ones (the terminal reports
// only presses).
type clickTracker struct {
	at   time.Time
	x, y int
}

func (c *clickTracker) press(now time.Time, x, y int) bool {
	double := x == c.x && y == c.y && now.Sub(c.at) <= doubleClick && !c.at.IsZero()
	c.at, c.x, c.y = now, x, y
	if double {
		c.at = time.Time{} // a third press starts over
	}
	return double
}

// mouseMsg is a press in a component's own coordinates (0,0 is its top
// left corner); the component resolves it against the rows it drew.
type mouseMsg struct {
	x, y   int
	button tea.MouseButton
	double bool
}

// wheelStep is how many rows a wheel notch scrolls.
const wheelStep = 3

// wheel is how far a press scrolls (0 for other buttons).
func wheel(b tea.MouseButton) int {
	switch b {
	case tea.MouseButtonWheelUp:
		return -wheelStep
	case tea.MouseButtonWheelDown:
		return wheelStep
	}
	return 0
}

// paneRow is the list row under a press in a pane: the pane's border,
// title and column header take the first three lines.
func paneRow(l listState, y int) (int, bool) {
	const first = 3
	row := l.offset + y - first
	if y < first || y >= first+l.height || row >= l.n {
		return 0, false
	}
	return row, true
}
