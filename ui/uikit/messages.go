package uikit

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/store"
)

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

// OpenStudioMsg asks the root to open the transform studio on an image,
// with the chain last used on it.
type OpenStudioMsg struct {
	Entry store.Entry
	Tasks []transform.Task
}

// StudioClosedMsg says the studio closed: the remote pane keeps the chain
// for copy-as and details, the root drops the studio.
type StudioClosedMsg struct {
	Handle string
	Tasks  []transform.Task
}
