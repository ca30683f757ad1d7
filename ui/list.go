package ui

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
