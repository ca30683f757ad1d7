package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// statusFade is how long an info or success message stays.
const statusFade = 5 * time.Second

// logSize is how many messages the log keeps.
const logSize = 100

// statusFadeMsg clears the line if it still shows message seq.
type statusFadeMsg struct{ seq int }

// logEntry is one message of the log.
type logEntry struct {
	at   time.Time
	kind uikit.StatusKind
	text string
}

// statusBar is the status line and the message log behind it: info and
// success messages fade after a few seconds, warnings and errors stay
// until the next key, and the last 100 are kept with their time.
type statusBar struct {
	env *env
	// tick schedules the fade (tea.Tick; tests that run every command to
	// completion use one that never fires).
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	text string
	kind uikit.StatusKind
	seq  int
	log  []logEntry
}

// Update takes status messages and fades; keys clear a lasting message.
func (s statusBar) Update(msg tea.Msg) (statusBar, tea.Cmd) {
	switch msg := msg.(type) {
	case uikit.StatusMsg:
		return s.set(msg.Kind, msg.Text)
	case uikit.CopiedMsg:
		c := copied(msg)
		return s.set(c.Kind, c.Text)
	case statusFadeMsg:
		if msg.seq == s.seq {
			s.text = ""
		}
	case tea.KeyMsg:
		if s.kind >= uikit.StatusWarn {
			s.text = ""
		}
	}
	return s, nil
}

func (s statusBar) set(kind uikit.StatusKind, text string) (statusBar, tea.Cmd) {
	s.seq++
	s.text, s.kind = text, kind
	if text == "" {
		return s, nil
	}
	s.log = append(s.log, logEntry{at: s.env.d.Now(), kind: kind, text: text})
	if len(s.log) > logSize {
		s.log = append([]logEntry(nil), s.log[len(s.log)-logSize:]...)
	}
	if kind >= uikit.StatusWarn {
		return s, nil
	}
	seq := s.seq
	return s, s.tick(statusFade, func(time.Time) tea.Msg { return statusFadeMsg{seq: seq} })
}

// View is the line, fitted to width.
func (s statusBar) View(width int) string {
	st := &s.env.styles
	style := map[uikit.StatusKind]lipgloss.Style{uikit.StatusInfo: st.Status, uikit.StatusOK: st.Success, uikit.StatusWarn: st.Warning, uikit.StatusErr: st.Error}[s.kind]
	text := text.Sanitize(s.text)
	if text == "" && s.env.d.Mode == uikit.ModeLocal {
		text = "LOCAL mode: files go to fsdeck's built-in server. For Filestack, run `fsdeck key set` or press K."
		style = st.Muted
	}
	return style.Render(uikit.FitMiddle(text, width))
}

// logDialog shows the log, newest last, long messages wrapped in full to
// the dialog a screen width wide has (see textOverlay.View).
func (s statusBar) logDialog(width int) uikit.Overlay {
	st := &s.env.styles
	var lines []string
	for _, e := range s.log {
		prefix := e.at.Format("15:04:05") + " " + [...]string{"info ", "ok   ", "warn ", "error"}[e.kind] + " "
		wrapped := lipgloss.NewStyle().Width(max(20, min(width-4, 96)-4-len(prefix))).Render(text.Sanitize(e.text))
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
	t := uikit.NewText(s.env.ui, fmt.Sprintf("Messages (last %d)", logSize), lines)
	return t.ScrollTo(max(0, len(lines)-10))
}

// done clears the line if it still shows text (the log keeps it).
func (s statusBar) done(text string) statusBar {
	if s.text == text {
		s.seq++
		s.text = ""
	}
	return s
}
