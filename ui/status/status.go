// Package status is the status line at the bottom of fsdeck's screen and
// the message log behind it (L). It owns what the line shows, when it
// fades and the last messages; everything else reaches it as messages
// (uikit.StatusMsg, uikit.CopiedMsg, uikit.RetryMsg).
//
// It imports ui/uikit and service packages only; never ui or another
// component.
package status

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// fadeAfter is how long an info or success message stays.
const fadeAfter = 5 * time.Second

// LogSize is how many messages the log keeps.
const LogSize = 100

// fadeMsg clears the line if it still shows message seq.
type fadeMsg struct{ seq int }

// Entry is one message of the log.
type Entry struct {
	At   time.Time
	Kind uikit.StatusKind
	Text string
}

// Options change how the line behaves; zero fields take the defaults.
type Options struct {
	// Tick schedules the fade (tea.Tick; tests that run every command to
	// completion use one that never fires).
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Status is the status line and the message log behind it: info and
// success messages fade after a few seconds, warnings and errors stay
// until the next key, and the last 100 are kept with their time.
type Status struct {
	env   *uikit.Env
	tick  func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	text  string
	kind  uikit.StatusKind
	seq   int
	log   []Entry
	width int
	// local: Filestack is the built-in server, which an empty line says.
	local bool
}

// New makes an empty line.
func New(env *uikit.Env, targets uikit.Targets, o Options) *Status {
	if o.Tick == nil {
		o.Tick = tea.Tick
	}
	return &Status{env: env, tick: o.Tick, local: targets.Mode() == uikit.ModeLocal}
}

// Update takes status messages, copies' reports, retries and fades; keys
// clear a lasting message.
func (s *Status) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case uikit.StatusMsg:
		return s.set(msg.Kind, msg.Text)
	case uikit.CopiedMsg:
		c := copied(msg)
		return s.set(c.Kind, c.Text)
	case uikit.RetryMsg:
		return tea.Batch(s.set(uikit.StatusWarn, msg.Text()), msg.Next)
	case fadeMsg:
		if msg.seq == s.seq {
			s.text = ""
		}
	case tea.KeyMsg:
		if s.kind >= uikit.StatusWarn {
			s.text = ""
		}
	case uikit.TargetsMsg:
		s.local = msg.Targets.Mode() == uikit.ModeLocal
	}
	return nil
}

func (s *Status) set(kind uikit.StatusKind, text string) tea.Cmd {
	s.seq++
	s.text, s.kind = text, kind
	if text == "" {
		return nil
	}
	s.log = append(s.log, Entry{At: s.env.Now(), Kind: kind, Text: text})
	if len(s.log) > LogSize {
		s.log = append([]Entry(nil), s.log[len(s.log)-LogSize:]...)
	}
	if kind >= uikit.StatusWarn {
		return nil
	}
	seq := s.seq
	return s.tick(fadeAfter, func(time.Time) tea.Msg { return fadeMsg{seq: seq} })
}

// Done clears the line if it still shows text (the log keeps it): a step
// that has ended must not still say it is under way.
func (s *Status) Done(text string) {
	if s.text == text {
		s.seq++
		s.text = ""
	}
}

// Shown is the message on the line now ("" when none) and its kind.
func (s *Status) Shown() (uikit.StatusKind, string) { return s.kind, s.text }

// Log is a copy of the messages kept, oldest first.
func (s *Status) Log() []Entry { return append([]Entry(nil), s.log...) }

// SetSize sets the line's width (it is one line high).
func (s *Status) SetSize(w, _ int) { s.width = w }

// Keys: the line takes no keys of its own.
func (s *Status) Keys() uikit.KeyHelp { return uikit.KeyHelp{} }

// View is the line, fitted to its width.
func (s *Status) View() string {
	st := s.env.Styles()
	var style lipgloss.Style
	switch s.kind {
	case uikit.StatusOK:
		style = st.Success
	case uikit.StatusWarn:
		style = st.Warning
	case uikit.StatusErr:
		style = st.Error
	default:
		style = st.Status
	}
	line := text.Sanitize(s.text)
	if line == "" && s.local {
		// A hint, not a message: the log does not have it, so it is not
		// pointed to; its remedy at the end is what matters.
		line = "LOCAL mode: files go to the built-in server. For Filestack, run `fsdeck key set` or press " + s.env.Keys().Keys.Help().Key + "."
		return st.Muted.Render(uikit.FitMiddle(line, s.width))
	}
	return style.Render(fitLine(line, s.width))
}

// inLog ends a message too long for the line: the log (L) has it whole.
const inLog = "… (L: full message)"

// fitLine fits a sanitised message to w cells. One too long is cut at a
// sentence boundary when one leaves at least half the room, else at the
// last word (or path) boundary, never mid-word unless one word fills the
// room, and goes on with inLog: the line never shows half a sentence as if
// it were the message. A closing parenthesised remedy ("(and 2 more: run
// `fsdeck config check`)") stays whole after it when the head keeps a fifth
// of the line.
func fitLine(line string, w int) string {
	if ansi.StringWidth(line) <= w {
		return uikit.Fit(line, w)
	}
	tail := " " + inLog
	if i := strings.LastIndex(line, " ("); i > 0 && strings.HasSuffix(line, ")") {
		remedy := tail + " " + line[i+1:]
		if w-ansi.StringWidth(remedy) >= max(8, w/5) {
			tail, line = remedy, line[:i]
		}
	}
	room := w - ansi.StringWidth(tail)
	if room < 8 {
		return uikit.Fit(line, w)
	}
	return uikit.Fit(cutAtBoundary(line, room)+tail, w)
}

// cutAtBoundary is the start of s, at most room cells, ending at a sentence
// or word boundary.
func cutAtBoundary(s string, room int) string {
	if ansi.StringWidth(s) <= room {
		return s
	}
	head := ansi.Truncate(s, room+1, "")
	cut := -1
	for _, sep := range []string{". ", "; ", ": ", "? ", "! "} {
		if i := strings.LastIndex(head, sep); i >= 0 && i+1 > cut {
			cut = i + 1
		}
	}
	if cut < 0 || ansi.StringWidth(head[:cut]) < room/2 {
		cut = strings.LastIndexByte(head, ' ')
		if i := strings.LastIndexByte(head[:len(head)-1], '/'); i+1 > cut {
			cut = i + 1
		}
		if cut <= 0 {
			// One word wider than the room: cut it, the ellipsis says so.
			cut = len(ansi.Truncate(s, room, ""))
		}
	}
	return strings.TrimRight(head[:cut], " ,")
}

// LogDialog shows the log, newest last, long messages wrapped in full to
// the dialog a screen as wide as the line has (see uikit.Text's View).
func (s *Status) LogDialog() uikit.Overlay {
	st := s.env.Styles()
	var lines []string
	for _, e := range s.log {
		prefix := e.At.Format("15:04:05") + " " + [...]string{"info ", "ok   ", "warn ", "error"}[e.Kind] + " "
		wrapped := lipgloss.NewStyle().Width(max(20, min(s.width-4, 96)-4-len(prefix))).Render(text.Sanitize(e.Text))
		for i, l := range strings.Split(wrapped, "\n") {
			if i > 0 {
				prefix = fmt.Sprintf("%*s", len(prefix), "")
			}
			lines = append(lines, st.Muted.Render(prefix)+l)
		}
	}
	if len(lines) == 0 {
		lines = []string{st.Muted.Render("no messages yet")}
	}
	t := uikit.NewText(s.env, fmt.Sprintf("Messages (last %d)", LogSize), lines)
	return t.ScrollTo(max(0, len(lines)-10))
}

// copied words a copy's report: "copied" only when a clipboard certainly
// has the text, a warning when it was only sent, an error when nothing
// could be done.
func copied(msg uikit.CopiedMsg) uikit.StatusMsg {
	kind := uikit.StatusWarn
	switch {
	case msg.Report.OK():
		kind = uikit.StatusOK
	case msg.Report.Failed():
		kind = uikit.StatusErr
	}
	return uikit.StatusMsg{Kind: kind, Text: msg.Report.String() + " (" + msg.What + ")"}
}

var _ uikit.Component = (*Status)(nil)
