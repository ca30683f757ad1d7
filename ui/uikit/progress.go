package uikit

import (
	tea "github.com/charmbracelet/bubbletea"
)

// Progress shows text (an info message ending in "…") while cmd runs, and
// takes it down when cmd's answer arrives unless another message replaced
// it: a step that has ended must not still say it is under way (a dialog
// asking about its result would sit under "checking…").
func Progress(text string, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return Info(text)
	}
	// In sequence: run side by side, a quick answer could overtake the
	// text and leave it up.
	return tea.Sequence(Info(text), func() tea.Msg { return ProgressDoneMsg{Text: text, Msg: cmd()} })
}

// ProgressDoneMsg carries the answer of a command started with progress.
type ProgressDoneMsg struct {
	Text string
	Msg  tea.Msg
}
