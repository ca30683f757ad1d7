package uikit

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// StatusKind colours the status line.
type StatusKind int

// Kinds of status message: info and success fade, warnings and errors
// stay until the next key.
const (
	StatusInfo StatusKind = iota
	StatusOK
	StatusWarn
	StatusErr
)

// StatusMsg sets the status line.
type StatusMsg struct {
	Kind StatusKind
	Text string
}

// Info is a command that shows text as an info message.
func Info(text string) tea.Cmd { return Emit(StatusMsg{Kind: StatusInfo, Text: text}) }

// Emit turns a value into a command that returns it as a message.
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

// UploadRequestMsg asks the transfers panel to upload paths (files or
// directories) relative to Base.
type UploadRequestMsg struct {
	Paths []string
	Base  string
	// Ask: "upload to…" was pressed, so the target is asked for even when
	// only one has a key.
	Ask bool
}

// DownloadRequestMsg asks the transfers panel to download entries into
// Dir (the root fills in the directory the local pane shows).
type DownloadRequestMsg struct {
	Entries []store.Entry
	Dir     string
	// Target is the target the entries are on ("": the root target,
	// whose files the engine downloads itself).
	Target string
}

// LocalJobsMsg asks the transfers panel to run local copies or moves.
type LocalJobsMsg struct {
	Name string
	Move bool
	Jobs []transfer.LocalItem
}

// AddKeyMsg asks the root to open the key dialog of the target called
// Target (from a menu that greyed it out for want of a key).
type AddKeyMsg struct{ Target string }

// ShowTransfersMsg asks the root to show the transfers panel (a batch was
// queued).
type ShowTransfersMsg struct{}

// RemoteReloadMsg and LocalReloadMsg ask a pane to list again (a transfer
// finished).
type (
	RemoteReloadMsg struct{}
	LocalReloadMsg  struct{}
)

// DamageReporter is a ledger that can have been opened read-only because
// SQLite found it damaged (store.Ledger).
type DamageReporter interface{ Damaged() *store.DamagedError }
