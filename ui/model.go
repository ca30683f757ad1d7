// Package ui is fsdeck's Bubble Tea interface: a local pane, a remote pane
// (the ledger), a transfers panel and dialogs, routed by a small root model.
// All I/O happens in commands; Update and View only compute.
package ui

import (
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/filestack/transform"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// focusArea is which part of the screen gets keys.
type focusArea int

const (
	focusLocal focusArea = iota
	focusRemote
	focusTransfers
)

// statusKind colours the status line.
type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusWarn
	statusErr
)

// statusMsg sets the status line.
type statusMsg struct {
	kind statusKind
	text string
}

func info(format string) tea.Cmd { return emit(statusMsg{kind: statusInfo, text: format}) }

// Model is the root of the UI.
type Model struct {
	d      Deps
	keys   KeyMap
	styles Styles

	local     LocalPane
	remote    RemotePane
	transfers Transfers
	focus     focusArea
	showXfers bool
	overlay   overlay
	queued    []overlay // dialogs waiting for the current one to close

	filtering bool
	filter    textinput.Model

	status     string
	statusKind statusKind
	width      int
	height     int

	nextID int
	wake   chan struct{}
	// listen waits for transfer progress: waitForProgress, which blocks
	// until a transfer pokes wake (tests that run commands one by one use
	// a non-blocking one).
	listen func(<-chan struct{}) tea.Cmd
	// inflight counts transfer commands still running (for Shutdown).
	inflight   *sync.WaitGroup
	batchStart time.Time
	quitting   bool
	initCmd    tea.Cmd

	studio       *Studio
	previews     *previewCache
	transformFor map[string][]transform.Task // the last chain per handle (copy as…)
	kittyPlaced  string
}

// minWidth and minHeight are the smallest usable terminal.
const (
	minWidth  = 60
	minHeight = 16
)

// New builds the root model from its dependencies.
func New(d Deps) Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	if d.Settings.FileConcurrency <= 0 {
		d.Settings = mergeSettings(d.Settings)
	}
	m := Model{d: d, keys: d.Settings.Keys, styles: NewStyles(d.Settings.Theme), wake: make(chan struct{}, 1),
		previews: &previewCache{}, transformFor: map[string][]transform.Task{}}
	m.local = NewLocalPane(&m.keys, &m.styles, d.StartDir, d.Settings.ShowHidden, d.Now)
	m.remote = NewRemotePane(&m.keys, &m.styles, d.Endpoint, d.Now)
	m.transfers = NewTransfers(&m.keys, &m.styles)
	m.local.Focus()
	m.filter = textinput.New()
	m.filter.Prompt = "/"
	if d.Notice != "" {
		m.status, m.statusKind = d.Notice, statusWarn
	}
	if d.FirstRun && d.Mode == ModeLocal {
		m.overlay = m.keyDialog(true)
	}
	// The first loads are issued here, not in Init (whose receiver is a
	// copy), so their correlation ids are the model's own.
	m.initCmd = tea.Batch(m.local.Init(), m.remote.Reload(d.Ledger, d.Scope), loadJobs(d.Ledger, d.Scope))
	m.listen = waitForProgress
	m.inflight = &sync.WaitGroup{}
	return m
}

// mergeSettings fills zero fields with defaults.
func mergeSettings(s Settings) Settings {
	def := DefaultSettings()
	if s.FileConcurrency <= 0 {
		s.FileConcurrency = def.FileConcurrency
	}
	if s.PartConcurrency <= 0 {
		s.PartConcurrency = def.PartConcurrency
	}
	if s.Keys.Quit.Keys() == nil {
		s.Keys = def.Keys
	}
	if s.Theme == (Theme{}) {
		s.Theme = def.Theme
	}
	if s.NotifyAfter == 0 {
		s.NotifyAfter = def.NotifyAfter
	}
	return s
}

// Init lists the start directory and the ledger, looks for unfinished
// uploads and starts listening for transfer progress.
func (m Model) Init() tea.Cmd { return tea.Batch(m.initCmd, m.listen(m.wake)) }

// Update routes messages: keys to the overlay, the filter or the focused
// pane; data messages to whoever owns them.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		if m.studio != nil {
			m.studio.width, m.studio.height = msg.Width, msg.Height
			m.kittyPlaced = ""
			return m, tea.Batch(m.studioPreview(), m.placeKitty())
		}
		return m, nil
	case tea.KeyMsg:
		return m.onKey(msg)
	case tea.MouseMsg:
		return m.onMouse(msg)
	case statusMsg:
		m.status, m.statusKind = msg.text, msg.kind
		return m, nil
	case localListedMsg, localViewMsg:
		var cmd tea.Cmd
		m.local, cmd = m.local.Update(msg)
		return m, cmd
	case remoteListedMsg:
		var cmd tea.Cmd
		m.remote, cmd = m.remote.Update(msg)
		return m, cmd
	case overlayMsg:
		m.openOverlay(msg.o)
		return m, nil
	}
	return m.onData(msg)
}

// onData handles results of commands and intents from panes.
func (m Model) onData(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case uploadRequestMsg:
		return m, expandUploads(msg.paths, msg.base, m.d.Settings.Store.Path)
	case expandedMsg:
		return m.onExpanded(msg)
	case uploadDoneMsg:
		return m.onUploadDone(msg)
	case downloadDoneMsg:
		return m.onDownloadDone(msg)
	case transferTickMsg:
		m.transfers.refresh(m.d.Now())
		return m, m.listen(m.wake)
	case transferKeyMsg:
		return m.onTransferKey(msg)
	case remoteActionMsg:
		return m.onRemoteAction(msg)
	case localDetailsRequestMsg:
		return m, localDetails(msg.entry, m.d.Ledger, m.d.Scope)
	case detailsMsg:
		m.openOverlay(textOverlay{title: msg.title, lines: msg.lines, keys: &m.keys})
		return m, nil
	case copiedMsg:
		return m.onCopied(msg)
	case jobsMsg:
		return m.onJobs(msg)
	case refreshedMsg:
		return m.onRefreshed(msg)
	case hashesMsg:
		return m.onHashes(msg)
	case ledgerChangedMsg:
		m.status, m.statusKind = msg.text, msg.kind
		return m, m.remote.Reload(m.d.Ledger, m.d.Scope)
	case keyEnteredMsg:
		m.overlay = m.secretDialog(msg.apiKey)
		return m, nil
	case keySavedMsg:
		return m.onKeySaved(msg)
	case studioMsg:
		return m.onStudioMsg(msg)
	case studioAddMsg:
		if m.studio != nil {
			return m, m.studio.addTask(msg.name)
		}
	case previewTickMsg:
		if m.studio != nil && msg.version == m.studio.version {
			return m, tea.Batch(m.studioPreview(), m.placeKitty())
		}
	case previewFetchedMsg:
		return m.onPreviewFetched(msg)
	case previewRenderedMsg:
		return m.onPreviewRendered(msg)
	}
	if mm, cmd, ok := m.onMenuData(msg); ok {
		return mm, cmd
	}
	return m, nil
}

// overlayMsg opens a dialog from a command.
type overlayMsg struct{ o overlay }

// layout gives each component its size.
func (m *Model) layout() {
	body := m.height - 3
	if m.showXfers {
		xh := min(max(5, 2*len(m.transfers.rows)+3), body/2)
		m.transfers.SetSize(m.width, xh)
		body -= xh
	}
	lw := m.width / 2
	m.local.SetSize(lw, body)
	m.remote.SetSize(m.width-lw, body)
}

func (m *Model) setFocus(f focusArea) {
	m.focus = f
	m.local.Blur()
	m.remote.Blur()
	m.transfers.Blur()
	switch f {
	case focusLocal:
		m.local.Focus()
	case focusRemote:
		m.remote.Focus()
	case focusTransfers:
		m.transfers.Focus()
	}
}

func (m *Model) setStatus(kind statusKind, text string) {
	m.status, m.statusKind = text, kind
}

// openOverlay shows a dialog now, or after the one that is open.
func (m *Model) openOverlay(o overlay) {
	if m.overlay != nil {
		m.queued = append(m.queued, o)
		return
	}
	m.overlay = o
}

// closeOverlay closes the dialog and shows the next one waiting.
func (m *Model) closeOverlay() {
	m.overlay = nil
	if len(m.queued) > 0 {
		m.overlay, m.queued = m.queued[0], m.queued[1:]
	}
}
