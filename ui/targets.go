package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/hosts/builtin"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// targetState is what the root owns of what changes in a session: the
// targets and the one shown (the root target over the live connection), and what
// the latest request to each showed. Only the root's Update changes it;
// the components get the targets as a value (uikit.TargetsMsg) and report
// requests' outcomes as messages (uikit.ReachMsg).
type targetState struct {
	targets uikit.Targets
	// reach is what the latest request to each target (by name) showed:
	// connected, or why it could not reach it (reach.go).
	reach map[string]reach
	// connect is the root target over a connection (the ctrl+k dialog's).
	connect func(uikit.Connection, uikit.Mode) uikit.TargetConn
	// saveTarget remembers the target shown for the next run (nil: not).
	saveTarget func(name string) error
	keyring    dialog.Keyring
}

// switchTo shows the target called name and remembers it for the next
// run; false when there is none of that name (nothing changed).
func (s *targetState) switchTo(name string) (tea.Cmd, bool) {
	switched, ok := s.targets.Switched(name)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(name)}), false
	}
	s.targets = switched
	tc := s.targets.Current()
	cmds := []tea.Cmd{uikit.Info("showing " + text.Sanitize(tc.Title) + " (" + text.Sanitize(uikit.Where(tc)) + ")")}
	if save := s.saveTarget; save != nil {
		cmds = append(cmds, func() tea.Msg {
			if err := save(name); err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not remember the target: " + err.Error()}
			}
			return nil
		})
	}
	return tea.Batch(cmds...), true
}

// connected puts the root target's new connection in place (the key
// dialog).
func (s *targetState) connected(msg dialog.KeySavedMsg) tea.Cmd {
	note := dialog.SavedNote(msg.Saved, msg.SaveErr)
	if msg.Err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: note + "; " + msg.Err.Error()})
	}
	s.targets = s.targets.Connected(s.connect(*msg.Conn, uikit.ModeCloud))
	root := s.targets.Root()
	delete(s.reach, root.Name)
	// Nothing was sent yet: the key is set, not known to work.
	title := text.Sanitize(root.Title)
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: title + " key set (" + note + "); not checked yet: the first request to " + title + " will tell"}),
		uikit.Emit(uikit.ConnectedMsg{}))
}

// reconnected puts a target rebuilt with its new key in place; the panes
// reload (uikit.TargetSwitchedMsg).
func (s *targetState) reconnected(msg dialog.TargetKeySavedMsg) tea.Cmd {
	note := dialog.SavedNote(msg.Saved, msg.SaveErr)
	title := text.Sanitize(s.targets.Title(msg.Name))
	if msg.Err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: title + ": " + note + "; " + text.Sanitize(msg.Err.Error())})
	}
	s.targets = s.targets.Reconnected(*msg.Conn)
	delete(s.reach, msg.Name)
	// Nothing was sent yet: the key is set, not known to work.
	text := title + " key set (" + note + "); not checked yet: the first request to " + title + " will tell"
	if msg.Conn.Local {
		text = title + " uses the built-in emulator (" + note + ")"
	}
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: text}), uikit.Emit(uikit.TargetSwitchedMsg{}))
}

// titleBar is the top line: fsdeck, the target shown and where, what the
// last request to it showed, and summary (the transfers') at the right.
func (s *targetState) titleBar(st *uikit.Styles, summary string, width int) string {
	tc := s.targets.Current()
	badge := st.TitleCloud.Render(" " + strings.ToUpper(text.Sanitize(tc.Title)) + " ")
	if tc.Local {
		badge = st.TitleLocal.Render(" LOCAL ")
		if s.targets.Len() > 1 {
			// Local mode serves every target: name the one shown.
			badge += " " + st.Title.Render(text.Sanitize(tc.Title))
		}
	}
	var after string
	if reached, failed := s.reachText(tc); failed {
		after = " " + st.Error.Render(text.Sanitize(reached))
	} else if reached != "" {
		after = st.Muted.Render(" · " + reached)
	}
	head := st.Title.Render(" fsdeck ") + badge + " "
	endpoint := text.Sanitize(tc.Endpoint)
	// A long address gives way to the transfers summary, cut at a host or
	// path boundary (uikit.CutAddress), while a useful part of it fits.
	if room := width - lipgloss.Width(head+after) - lipgloss.Width(summary) - 1; room >= 16 && ansi.StringWidth(endpoint) > room {
		endpoint = uikit.CutAddress(endpoint, room)
	}
	left := head + st.Muted.Render(endpoint) + after
	gap := width - lipgloss.Width(left) - lipgloss.Width(summary)
	if gap < 1 {
		return uikit.Fit(left, width)
	}
	return left + strings.Repeat(" ", gap) + summary
}

// rootBase is the registry's root target (the one whose emulator is the
// server) as the session listed it, else as the registry describes it;
// uikit.ConnTarget connects it.
func rootBase(list []uikit.TargetConn) uikit.TargetConn {
	reg := builtin.Registry()
	info, _ := reg.Info(reg.Root())
	for _, tc := range list {
		if tc.Name == info.Name {
			return tc
		}
	}
	return uikit.TargetConn{Name: info.Name, Title: info.Title, KeyHelp: info.KeyHelp}
}
