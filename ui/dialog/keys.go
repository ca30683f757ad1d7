package dialog

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Keyring is where entered keys are kept and what connects with them.
type Keyring struct {
	// Secrets stores keys in the OS keyring (nil: it cannot).
	Secrets uikit.SecretStore
	// Problem says why the OS keyring cannot be used ("" when it can).
	Problem string
	// Connect builds a Filestack client for a key (nil: restart needed).
	Connect func(apiKey, appSecret string) (uikit.Connection, error)
	// ConnectTarget rebuilds another target with its key (nil: restart
	// needed).
	ConnectTarget func(name, key string) (uikit.TargetConn, error)
}

// KeyEnteredMsg carries the API key typed in the first step to the second.
type KeyEnteredMsg struct{ APIKey string }

// KeySavedMsg is the outcome of saving Filestack's keys and connecting.
type KeySavedMsg struct {
	Conn    *uikit.Connection
	Saved   bool
	SaveErr error
	Err     error
}

// TargetKeySavedMsg is the outcome of saving a target's key and
// connecting with it.
type TargetKeySavedMsg struct {
	Name    string
	Conn    *uikit.TargetConn
	Saved   bool
	SaveErr error
	Err     error
}

// Key asks for the API key of root, the root target (masked); welcome is
// the first start's wording. Esc keeps local mode.
func Key(env *uikit.Env, k Keyring, root uikit.TargetConn, welcome bool) uikit.Overlay {
	service := text.Sanitize(root.Title)
	title, hint := service+" API key", "Find it in the "+service+" dashboard."
	if welcome {
		title = "Welcome to fsdeck"
		hint = "Enter your " + service + " API key to work with " + service + ", or press esc to continue in local mode with the built-in server."
	}
	if k.Secrets != nil {
		hint += " It is stored in the OS keyring, never in a file."
	} else {
		why := ""
		if k.Problem != "" {
			why = " (" + k.Problem + ")"
		}
		hint += " The OS keyring is not available here" + why + ", so the key is used for this session only and never written to disk; set " +
			store.EnvAPIKey + " (and " + store.EnvAppSecret + ") in the environment to keep it."
	}
	return uikit.NewInput(env, title, hint, "API key", true, func(v string) tea.Cmd {
		if v == "" {
			return uikit.Info("no key entered: staying in local mode")
		}
		return uikit.Emit(KeyEnteredMsg{APIKey: v})
	})
}

// Secret asks for the optional app secret, then saves and connects.
func Secret(env *uikit.Env, k Keyring, apiKey string) uikit.Overlay {
	return uikit.NewInput(env, "App secret (optional)",
		"Needed to delete files and to sign URLs. Press enter to skip.", "app secret", true, func(v string) tea.Cmd {
			return saveKeys(k.Secrets, k.Connect, apiKey, v)
		})
}

// saveKeys stores the keys (when a keyring exists) and connects with them.
func saveKeys(s uikit.SecretStore, connect func(string, string) (uikit.Connection, error), apiKey, secret string) tea.Cmd {
	return func() tea.Msg {
		var out KeySavedMsg
		if s != nil {
			out.SaveErr = s.Set(store.SecretAPIKey, apiKey)
			if out.SaveErr == nil && secret != "" {
				out.SaveErr = s.Set(store.SecretAppSecret, secret)
			}
			out.Saved = out.SaveErr == nil
		}
		if connect == nil {
			out.Err = errors.New("restart fsdeck to use the new key")
			return out
		}
		c, err := connect(apiKey, secret)
		if err != nil {
			out.Err = err
			return out
		}
		out.Conn = &c
		return out
	}
}

// TargetKey asks for the key of a target other than the root (masked),
// saying where to get one.
func TargetKey(env *uikit.Env, k Keyring, tc uikit.TargetConn) uikit.Overlay {
	title := text.Sanitize(tc.Title)
	hint := "Where to get it: " + text.Sanitize(tc.KeyHelp) + "."
	if tc.KeyHelp == "" {
		hint = ""
	}
	if k.Secrets != nil {
		hint += " It is stored in the OS keyring, never in a file."
	} else {
		why := ""
		if k.Problem != "" {
			why = " (" + k.Problem + ")"
		}
		hint += " The OS keyring is not available here" + why + ", so the key is used for this session only and never written to disk."
	}
	secrets, connect, name := k.Secrets, k.ConnectTarget, tc.Name
	return uikit.NewInput(env, title+" key", hint, title+" key or token", true, func(v string) tea.Cmd {
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
		out := TargetKeySavedMsg{Name: name}
		if s != nil {
			out.SaveErr = s.Set(store.TargetSecret(name), key)
			out.Saved = out.SaveErr == nil
		}
		if connect == nil {
			out.Err = errors.New("restart fsdeck to use the new key")
			return out
		}
		c, err := connect(name, key)
		if err != nil {
			out.Err = err
			return out
		}
		out.Conn = &c
		return out
	}
}

// SavedNote says where an entered key went: the keyring, or this session
// only (and why).
func SavedNote(saved bool, saveErr error) string {
	switch {
	case saved:
		return "key saved in the OS keyring"
	case saveErr != nil:
		return "not saved (" + firstSentence(saveErr.Error()) + "); used for this session only"
	}
	return "used for this session only (no keyring)"
}

func firstSentence(s string) string {
	for i, r := range s {
		if r == ':' || r == '.' {
			return s[:i]
		}
	}
	return s
}
