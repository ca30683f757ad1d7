package text

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes untrusted text (file names, server replies) safe to draw:
// C0 controls become their Unicode control pictures (ESC shows as ␛), DEL
// as ␡, C1 controls and bidirectional overrides as '?', invalid UTF-8 as
// U+FFFD. No escape sequence can reach the terminal through it.
func Sanitize(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		case isC1(r), IsBidiControl(r):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SanitizeLines is Sanitize that keeps line breaks and tabs: messages
// quote server replies and file names, and some are laid out over several
// lines.
func SanitizeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		cells := strings.Split(l, "\t")
		for j, c := range cells {
			cells[j] = Sanitize(c)
		}
		lines[i] = strings.Join(cells, "\t")
	}
	return strings.Join(lines, "\n")
}

// replyMax is how many characters of a service's message are kept.
const replyMax = 300

// Reply is a service's message made fit for one line of a status bar or
// an error: its runs of white space (line breaks of an HTML error page
// included) made one space, sanitized, and at most 300 characters.
func Reply(s string) string { return Cut(Sanitize(strings.Join(strings.Fields(s), " ")), replyMax) }

// Cut keeps at most n characters of s, ending with "…" when it cut.
func Cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// IsControl reports the characters Sanitize replaces: C0 and C1 controls
// and DEL.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || isC1(r) }

func isC1(r rune) bool { return r >= 0x80 && r < 0xa0 }

// IsBidiControl reports the Unicode bidirectional formatting characters,
// which can make a name read differently from what it is ("gnp.exe").
func IsBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// SafeLocalName turns a server's file name into one that is safe to create
// in a directory on Linux, macOS and Windows: path separators, the
// characters Windows forbids (: * ? " < > |), control characters and
// bidirectional overrides become '_', invalid UTF-8 too, and leading or
// trailing dots and spaces go. fallback is used when nothing is left.
func SafeLocalName(name, fallback string) string {
	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(func(r rune) rune {
		switch {
		case IsControl(r), IsBidiControl(r),
			r == '/', r == '\\', r == ':', r == '*', r == '?', r == '"', r == '<', r == '>', r == '|':
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" {
		return fallback
	}
	return name
}
