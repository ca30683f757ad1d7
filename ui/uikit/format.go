package uikit

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/dustin/go-humanize"
)

// FormatSize is a compact size: "0 B", "512 B", "1.5 KiB", "12 MiB".
func FormatSize(n int64) string {
	if n < 0 {
		return "?"
	}
	s := humanize.IBytes(uint64(n))
	return strings.Replace(s, ".0 ", " ", 1)
}

// FormatTime is ls-style: "Jan 02 15:04" within the last six months,
// "Jan 02  2006" otherwise. now is injected so views have no clock.
func FormatTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	if now.Sub(t) < 180*24*time.Hour && t.Before(now.Add(24*time.Hour)) {
		return t.Format("Jan _2 15:04")
	}
	return t.Format("Jan _2  2006")
}

// FormatDuration is a short ETA: "42s", "3m05s", "1h02m", "—" when unknown.
func FormatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "—"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()+0.5))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 100*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return "—"
}

// FormatRate is bytes per second, "—" when unknown.
func FormatRate(bps float64) string {
	if bps <= 0 {
		return "—"
	}
	return FormatSize(int64(bps)) + "/s"
}

// Fit truncates (with …) or pads s to exactly w display cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// FitMiddle fits s to w cells eliding its middle: a message's end is
// often its remedy or reason ("… (and 2 more: run `fsdeck config check`)",
// "…: already exists"). The end keeps half the width, or a closing
// parenthesised remedy whole when it takes no more than two thirds.
func FitMiddle(s string, w int) string {
	n := ansi.StringWidth(s)
	if n <= w || w < 20 {
		return Fit(s, w)
	}
	keep := w/2 - 1
	if i := strings.LastIndex(s, " ("); strings.HasSuffix(s, ")") && i > 0 {
		if pw := ansi.StringWidth(s[i:]); pw <= w*2/3 {
			keep = max(keep, pw)
		}
	}
	tail := ansi.TruncateLeft(s, n-keep, "")
	if i := strings.IndexByte(tail, ' '); i >= 0 && i < len(tail)/3 {
		tail = tail[i:]
	}
	head := ansi.Truncate(s, w-1-ansi.StringWidth(tail), "")
	return Fit(head+"…"+tail, w)
}

// FitLeft keeps the end of s (for paths), truncating at the start.
func FitLeft(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return Fit(s, w)
	}
	if w <= 1 {
		return Fit("…", w)
	}
	return Fit("…"+ansi.TruncateLeft(s, ansi.StringWidth(s)-(w-1), ""), w)
}

// AlignRight pads s on the left to w cells.
func AlignRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return Fit(s, w)
}

// RowPrefix is two cells: a cursor arrow (visible without colour) and a
// mark dot.
func RowPrefix(cursor, marked bool, inRange ...bool) string {
	c, m := " ", " "
	if cursor {
		c = "›"
	}
	switch {
	case marked:
		m = "●"
	case len(inRange) > 0 && inRange[0]:
		m = "┆" // what the range key would mark
	}
	return c + m
}

// FooterOf words bindings as "key what · key what".
func FooterOf(bs []key.Binding) string {
	var parts []string
	for _, b := range bs {
		if b.Enabled() && len(b.Keys()) > 0 {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
	}
	return strings.Join(parts, " · ")
}

// FooterLines is FooterOf after prefix, wrapped between keys to lines of
// at most w cells (a key and its words are never cut apart unless one
// alone is wider than w).
func FooterLines(prefix string, bs []key.Binding, w int) []string {
	parts := strings.Split(FooterOf(bs), " · ")
	parts[0] = prefix + parts[0]
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case lipgloss.Width(line+" · "+p) <= w:
			line += " · " + p
		default:
			lines = append(lines, Fit(line, w))
			line = p
		}
	}
	return append(lines, Fit(line, w))
}

// FitStyled truncates a possibly styled line to w cells.
func FitStyled(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	return Fit(s, w)
}

// ShortMiddle cuts s to n runes, keeping its start and end (a URL's host
// and file name): "https://i.ibb.co/…/a.png".
func ShortMiddle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 5 {
		return s
	}
	head := (n - 1) / 2
	return string(r[:head]) + "…" + string(r[len(r)-(n-1-head):])
}

// ListSome joins the first n items and says how many more: "a, b, c and
// 4 more".
func ListSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:n], ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}
