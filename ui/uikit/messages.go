package uikit

import tea "github.com/charmbracelet/bubbletea"

// statusKind colours the status line.
type StatusKind int

const (
	StatusInfo StatusKind = iota
	StatusOK
	StatusWarn
	StatusErr
)

// statusMsg sets the status line.
type StatusMsg struct {
	Kind StatusKind
	Text string
}

func Info(text string) tea.Cmd { return Emit(StatusMsg{Kind: StatusInfo, Text: text}) }

// emit turns a value into a command that returns it as a message.
func Emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
