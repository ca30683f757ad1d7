package ui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// targetKeySavedMsg is the outcome of saving a target's key and
// connecting with it.
type targetKeySavedMsg struct {
	name    string
	conn    *uikit.TargetConn
	saved   bool
	saveErr error
	err     error
}

// targetKeyDialog asks for the key of a target other than Filestack
// (masked), saying where to get one.
func targetKeyDialog(e *env, tc uikit.TargetConn) uikit.Overlay {
	title := text.Sanitize(tc.Title)
	hint := "Where to get it: " + text.Sanitize(tc.KeyHelp) + "."
	if tc.KeyHelp == "" {
		hint = ""
	}
	if e.d.Secrets != nil {
		hint += " It is stored in the OS keyring, never in a file."
	} else {
		why := ""
		if e.d.KeyringProblem != "" {
			why = " (" + e.d.KeyringProblem + ")"
		}
		hint += " The OS keyring is not available here" + why + ", so the key is used for this session only and never written to disk."
	}
	secrets, connect, name := e.d.Secrets, e.d.ConnectTarget, tc.Name
	return uikit.NewInput(e.ui, title+" key", hint, title+" key or token", true, func(v string) tea.Cmd {
		if v == "" {
			return uikit.Info("no key entered: " + title + " stays as it was")
		}
		return saveTargetKey(secrets, connect, name, v)
	})
}

// saveTargetKey stores the key under the target's keyring name (when a
// keyring exists) and rebuilds the target with it.
func saveTargetKey(s uikit.SecretStore, connect func(string, string) (uikit.TargetConn, error), name, key string) tea.Cmd {
	return func() tea.Msg {
		out := targetKeySavedMsg{name: name}
		if s != nil {
			out.saveErr = s.Set(store.TargetSecret(name), key)
			out.saved = out.saveErr == nil
		}
		if connect == nil {
			out.err = errors.New("restart fsdeck to use the new key")
			return out
		}
		c, err := connect(name, key)
		if err != nil {
			out.err = err
			return out
		}
		out.conn = &c
		return out
	}
}

// targetConnected puts the rebuilt target in place; when it is the one
// shown, the panes reload.
func targetConnected(e *env, msg targetKeySavedMsg) tea.Cmd {
	note := savedNote(msg.saved, msg.saveErr)
	title := text.Sanitize(e.targets.Title(msg.name))
	if msg.err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: title + ": " + note + "; " + text.Sanitize(msg.err.Error())})
	}
	e.targets = e.targets.Reconnected(*msg.conn)
	e.forgetReach(msg.name)
	// Nothing was sent yet: the key is set, not known to work.
	text := title + " key set (" + note + "); not checked yet: the first request to " + title + " will tell"
	if msg.conn.Local {
		text = title + " uses the built-in emulator (" + note + ")"
	}
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: text}), uikit.Emit(uikit.TargetSwitchedMsg{}))
}
