package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// switchTarget makes name the current target and remembers it for the
// next run; the root then has the panes reload (uikit.TargetSwitchedMsg).
func switchTarget(e *env, name string) tea.Cmd {
	switched, ok := e.targets.Switched(name)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(name)})
	}
	e.targets = switched
	tc := e.targets.Current()
	cmds := []tea.Cmd{uikit.Info("showing " + text.Sanitize(tc.Title) + " (" + text.Sanitize(uikit.Where(tc)) + ")")}
	if save := e.d.SaveTarget; save != nil {
		cmds = append(cmds, func() tea.Msg {
			if err := save(name); err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not remember the target: " + err.Error()}
			}
			return nil
		})
	}
	return tea.Batch(cmds...)
}

// connected switches every component to the new Filestack connection.
func connected(e *env, msg dialog.KeySavedMsg) tea.Cmd {
	note := dialog.SavedNote(msg.Saved, msg.SaveErr)
	if msg.Err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: note + "; " + msg.Err.Error()})
	}
	e.d.Remote, e.d.Scope, e.d.Endpoint, e.d.Mode = msg.Conn.Remote, msg.Conn.Scope, msg.Conn.Endpoint, uikit.ModeCloud
	e.targets = e.targets.Connected(*msg.Conn)
	e.forgetReach(uikit.FilestackName)
	// Nothing was sent yet: the key is set, not known to work.
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: "Filestack key set (" + note + "); not checked yet: the first request to Filestack will tell"}),
		uikit.Emit(uikit.ConnectedMsg{}))
}

// targetConnected puts the rebuilt target in place; when it is the one
// shown, the panes reload.
func targetConnected(e *env, msg dialog.TargetKeySavedMsg) tea.Cmd {
	note := dialog.SavedNote(msg.Saved, msg.SaveErr)
	title := text.Sanitize(e.targets.Title(msg.Name))
	if msg.Err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: title + ": " + note + "; " + text.Sanitize(msg.Err.Error())})
	}
	e.targets = e.targets.Reconnected(*msg.Conn)
	e.forgetReach(msg.Name)
	// Nothing was sent yet: the key is set, not known to work.
	text := title + " key set (" + note + "); not checked yet: the first request to " + title + " will tell"
	if msg.Conn.Local {
		text = title + " uses the built-in emulator (" + note + ")"
	}
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: text}), uikit.Emit(uikit.TargetSwitchedMsg{}))
}

// keyring is what the key dialogs need of Deps.
func (e *env) keyring() dialog.Keyring {
	return dialog.Keyring{Secrets: e.d.Secrets, Problem: e.d.KeyringProblem, Connect: e.d.Connect, ConnectTarget: e.d.ConnectTarget}
}
