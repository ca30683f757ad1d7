package ui

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// keyEnteredMsg carries the API key typed in the first step to the second.
type keyEnteredMsg struct{ apiKey string }

// keySavedMsg is the outcome of saving keys and connecting.
type keySavedMsg struct {
	conn    *uikit.Connection
	saved   bool
	saveErr error
	err     error
}

// keyDialog asks for the API key (masked). Esc keeps local mode.
func keyDialog(e *env, welcome bool) uikit.Overlay {
	title, hint := "Filestack API key", "Find it in the Filestack dashboard."
	if welcome {
		title = "Welcome to fsdeck"
		hint = "Enter your Filestack API key to work with Filestack, or press esc to continue in local mode with the built-in server."
	}
	if e.d.Secrets != nil {
		hint += " It is stored in the OS keyring, never in a file."
	} else {
		why := ""
		if e.d.KeyringProblem != "" {
			why = " (" + e.d.KeyringProblem + ")"
		}
		hint += " The OS keyring is not available here" + why + ", so the key is used for this session only and never written to disk; set " +
			store.EnvAPIKey + " (and " + store.EnvAppSecret + ") in the environment to keep it."
	}
	return uikit.NewInput(e.ui, title, hint, "API key", true, func(v string) tea.Cmd {
		if v == "" {
			return uikit.Info("no key entered: staying in local mode")
		}
		return uikit.Emit(keyEnteredMsg{apiKey: v})
	})
}

// secretDialog asks for the optional app secret, then saves and connects.
func secretDialog(e *env, apiKey string) uikit.Overlay {
	secrets, connect := e.d.Secrets, e.d.Connect
	return uikit.NewInput(e.ui, "App secret (optional)",
		"Needed to delete files and to sign URLs. Press enter to skip.", "app secret", true, func(v string) tea.Cmd {
			return saveKeys(secrets, connect, apiKey, v)
		})
}

// saveKeys stores the keys (when a keyring exists) and connects with them.
func saveKeys(s uikit.SecretStore, connect func(string, string) (uikit.Connection, error), apiKey, secret string) tea.Cmd {
	return func() tea.Msg {
		var out keySavedMsg
		if s != nil {
			out.saveErr = s.Set(store.SecretAPIKey, apiKey)
			if out.saveErr == nil && secret != "" {
				out.saveErr = s.Set(store.SecretAppSecret, secret)
			}
			out.saved = out.saveErr == nil
		}
		if connect == nil {
			out.err = errors.New("restart fsdeck to use the new key")
			return out
		}
		c, err := connect(apiKey, secret)
		if err != nil {
			out.err = err
			return out
		}
		out.conn = &c
		return out
	}
}

// savedNote says where an entered key went: the keyring, or this session
// only (and why).
func savedNote(saved bool, saveErr error) string {
	switch {
	case saved:
		return "key saved in the OS keyring"
	case saveErr != nil:
		return "not saved (" + firstSentence(saveErr.Error()) + "); used for this session only"
	}
	return "used for this session only (no keyring)"
}

// connected switches every component to the new connection.
func connected(e *env, msg keySavedMsg) tea.Cmd {
	note := savedNote(msg.saved, msg.saveErr)
	if msg.err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: note + "; " + msg.err.Error()})
	}
	e.d.Remote, e.d.Scope, e.d.Endpoint, e.d.Mode = msg.conn.Remote, msg.conn.Scope, msg.conn.Endpoint, uikit.ModeCloud
	e.targets = e.targets.Connected(*msg.conn)
	e.forgetReach(uikit.FilestackName)
	// Nothing was sent yet: the key is set, not known to work.
	return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: "Filestack key set (" + note + "); not checked yet: the first request to Filestack will tell"}),
		uikit.Emit(connectedMsg{}))
}

func firstSentence(s string) string {
	for i, r := range s {
		if r == ':' || r == '.' {
			return s[:i]
		}
	}
	return s
}
