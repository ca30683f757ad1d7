package ui

import (
	"testing"
	"time"
)

func TestListState(t *testing.T) {
	l := listState{}
	l.setHeight(5)
	l.setLen(100)
	steps := []struct {
		op             func()
		cursor, offset int
	}{
		{func() { l.move(1) }, 1, 0},
		{func() { l.move(4) }, 5, 1},
		{func() { l.page(1) }, 9, 5},
		{func() { l.jump(99) }, 99, 95},
		{func() { l.move(10) }, 99, 95},
		{func() { l.page(-1) }, 95, 95},
		{func() { l.move(-1) }, 94, 94},
		{func() { l.jump(0) }, 0, 0},
		{func() { l.setLen(3) }, 0, 0},
		{func() { l.jump(2); l.setLen(1) }, 0, 0},
		{func() { l.setLen(0) }, 0, 0},
	}
	for i, s := range steps {
		s.op()
		if l.cursor != s.cursor || l.offset != s.offset {
			t.Fatalf("step %d: cursor %d offset %d, want %d %d", i, l.cursor, l.offset, s.cursor, s.offset)
		}
	}
}

func TestFormat(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	cases := map[string]string{
		formatSize(0):                          "0 B",
		formatSize(1536):                       "1.5 KiB",
		formatSize(8 << 20):                    "8 MiB",
		formatTime(now.Add(-time.Hour), now):   "Nov 26 11:00",
		formatTime(now.AddDate(-1, 0, 0), now): "Nov 26  2025",
		formatDuration(42 * time.Second):       "42s",
		formatDuration(185 * time.Second):      "3m05s",
		formatDuration(-1):                     "—",
		fit("abcdef", 4):                       "abc…",
		fit("ab", 4):                           "ab  ",
		fit("日本語テキスト", 5):                      "日本…",
		fitLeft("/very/long/path/to/dir", 10):  "…th/to/dir",
		alignRight("12", 4):                    "  12",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
