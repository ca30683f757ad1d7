package uikit

import (
	"testing"
	"time"
)

func TestListState(t *testing.T) {
	l := List{}
	l.SetHeight(5)
	l.SetLen(100)
	steps := []struct {
		op             func()
		cursor, offset int
	}{
		{func() { l.Move(1) }, 1, 0},
		{func() { l.Move(4) }, 5, 1},
		{func() { l.Page(1) }, 9, 5},
		{func() { l.Jump(99) }, 99, 95},
		{func() { l.Move(10) }, 99, 95},
		{func() { l.Page(-1) }, 95, 95},
		{func() { l.Move(-1) }, 94, 94},
		{func() { l.Jump(0) }, 0, 0},
		{func() { l.SetLen(3) }, 0, 0},
		{func() { l.Jump(2); l.SetLen(1) }, 0, 0},
		{func() { l.SetLen(0) }, 0, 0},
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
		FormatSize(0):                          "0 B",
		FormatSize(1536):                       "1.5 KiB",
		FormatSize(8 << 20):                    "8 MiB",
		FormatTime(now.Add(-time.Hour), now):   "Nov 26 11:00",
		FormatTime(now.AddDate(-1, 0, 0), now): "Nov 26  2025",
		FormatDuration(42 * time.Second):       "42s",
		FormatDuration(185 * time.Second):      "3m05s",
		FormatDuration(-1):                     "—",
		Fit("abcdef", 4):                       "abc…",
		Fit("ab", 4):                           "ab  ",
		Fit("日本語テキスト", 5):                      "日本…",
		FitLeft("/very/long/path/to/dir", 10):  "…th/to/dir",
		AlignRight("12", 4):                    "  12",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
