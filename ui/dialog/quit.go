package dialog

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Quit is the quit confirmation. The root rewrites its question whenever
// the transfers change (WithQuestion), so it never describes a moment
// past.
type Quit struct{ uikit.Confirm }

// NewQuit asks question; yes runs onYes.
func NewQuit(env *uikit.Env, question string, onYes tea.Cmd) Quit {
	return Quit{uikit.NewConfirm(env, "Quit?", question, onYes)}
}

// WithQuestion is the dialog asking q instead.
func (q Quit) WithQuestion(question string) Quit { return Quit{q.Confirm.WithQuestion(question)} }

// Update answers yes or no and stays a Quit.
func (q Quit) Update(msg tea.Msg) (uikit.Overlay, tea.Cmd) {
	o, cmd := q.Confirm.Update(msg)
	if c, ok := o.(uikit.Confirm); ok {
		return Quit{c}, cmd
	}
	return o, cmd
}
