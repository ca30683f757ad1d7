// Package ui is fsdeck's Bubble Tea interface: a local pane, a remote pane
// (the ledger), a transfers panel, the transform studio and dialogs. Each
// is a component that owns its behaviour; the root model only routes
// focus, layout, overlays, the status line and the wiring between them.
// All I/O happens in commands; Update and View only compute.
package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/dialog"
	"github.com/fsdeck/fsdeck/ui/localpane"
	"github.com/fsdeck/fsdeck/ui/preview"
	"github.com/fsdeck/fsdeck/ui/remotepane"
	"github.com/fsdeck/fsdeck/ui/status"
	"github.com/fsdeck/fsdeck/ui/studio"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// focusArea is which part of the screen gets keys.
type focusArea int

const (
	focusLocal focusArea = iota
	focusRemote
	focusTransfers
)

// Model is the root of the UI.
type Model struct {
	env *env

	local     *localpane.Pane
	remote    *remotepane.Pane
	transfers *transfers.Panel
	// engine runs the transfers (the panel is its view); Shutdown stops it.
	engine   Engine
	preview  *preview.Preview // the local entry under the cursor, while on
	studio   *studio.Studio
	previews *studio.Cache // outlives the studio: results are billed
	status   *status.Status

	focus     focusArea
	paneFocus focusArea // the pane to return to when the panel closes
	showXfers bool
	overlay   uikit.Overlay
	queued    []uikit.Overlay // dialogs waiting for the current one to close
	clicks    uikit.ClickTracker

	width, height int
	paneHeight    int
	xferHeight    int // the transfers panel's, while shown
	quitting      bool
	initCmd       tea.Cmd
}

// minWidth and minHeight are the smallest usable terminal.
const (
	minWidth  = 60
	minHeight = 16
)

// options are the root's test seams: how its components schedule and
// listen (zero fields: as in the program).
type options struct {
	// statusTick schedules the status line's fade.
	statusTick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// noDirWatch turns off the local pane's watch of its directory.
	noDirWatch bool
	// rename is how the local pane's cut moves (nil: internal/fsops').
	rename func(old, new string, replace bool) error
	// noLedgerWatch turns off the remote pane's watch of the ledger.
	noLedgerWatch bool
	// listen waits for the transfer engine's progress.
	listen func(<-chan struct{}) tea.Cmd
	// previewTick schedules the file preview's debounce.
	previewTick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// New builds the root model from its dependencies.
func New(d Deps) Model { return newModel(d, options{}) }

func newModel(d Deps, o options) Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Context == nil {
		d.Context = context.Background()
	}
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	if d.Settings.FileConcurrency <= 0 {
		d.Settings = uikit.MergeSettings(d.Settings)
	}
	e := newEnv(d)
	m := Model{env: e, previews: studio.NewCache(), status: status.New(e.ui, e.targets, status.Options{Tick: o.statusTick})}
	m.local = localpane.New(e.ui, e.targets, localpane.Options{Dir: d.StartDir, Hidden: d.Settings.ShowHidden, Sort: d.Settings.Sort,
		Desc: d.Settings.SortDesc, Preview: d.Settings.ShowPreview, Recent: d.Settings.RecentDirs, SaveView: d.SaveView,
		NoWatch: o.noDirWatch, Rename: o.rename})
	m.preview = preview.New(e.ui, preview.Options{Tick: o.previewTick})
	m.remote = remotepane.New(e.ui, e.targets, remotepane.Options{NoWatch: o.noLedgerWatch})
	m.engine = d.Engine
	if m.engine == nil {
		m.engine = transfer.New(d.Context, transfer.Options{Target: transfers.EngineTarget(d.Ledger, e.targets.Filestack()), Now: d.Now})
	}
	m.transfers = transfers.New(e.ui, e.targets, m.engine, transfers.Options{Listen: o.listen, Dir: d.StartDir})
	m.local.Focus()
	if d.Notice != "" {
		// As a message, so the message log (L) has it too.
		m.status.Update(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: d.Notice})
	}
	if d.FirstRun && d.Mode == uikit.ModeLocal {
		m.overlay = dialog.Key(e.ui, e.keyring(), true)
	}
	// The first loads are issued here, not in Init (whose receiver is a
	// copy), so their correlation ids are the model's own.
	m.initCmd = tea.Batch(m.local.Init(), m.remote.Reload())
	return m
}

// Init lists the start directory and the ledger, looks for unfinished
// uploads and starts listening for transfer progress.
func (m Model) Init() tea.Cmd { return tea.Batch(m.initCmd, m.transfers.Init()) }

// update routes keys and mouse by focus and position, and every other
// message to the components, each taking what is its own.
func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case uikit.StepMsg:
		// Its owner uncounts it; then its answer is handled.
		mm, cmd := m.route(msg)
		if msg.Msg == nil {
			return mm, cmd
		}
		next, cmd2 := mm.Update(msg.Msg)
		return next, tea.Batch(cmd, cmd2)
	case uikit.ReachMsg:
		m.env.observe(msg.Target, msg.Err)
		return m, nil
	case uikit.ProgressDoneMsg:
		m.status.Done(msg.Text)
		if batch, ok := msg.Msg.(tea.BatchMsg); ok {
			// Only the program runs a batch's commands.
			return m, tea.Batch(batch...)
		}
		if msg.Msg == nil {
			return m, nil
		}
		return m.Update(msg.Msg)
	case tea.ResumeMsg:
		return m.resumed()
	case uikit.RetryMsg:
		return m, m.status.Update(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		var cmd, ocmd tea.Cmd
		if m.studio != nil {
			cmd = m.studio.Update(msg)
		}
		if m.overlay != nil {
			m.overlay, ocmd = m.overlay.Update(msg)
		}
		return m, tea.Batch(cmd, ocmd)
	case tea.KeyMsg:
		var cmd tea.Cmd
		cmd = m.status.Update(msg)
		mm, kcmd := m.onKey(msg)
		return mm, tea.Batch(cmd, kcmd)
	case tea.MouseMsg:
		return m.onMouse(msg)
	case uikit.OpenMsg:
		return m, m.openOverlay(msg.Overlay)
	case uikit.ShowTransfersMsg:
		m.showXfers = true
	case uikit.DownloadRequestMsg:
		msg.Dir = m.local.Dir()
		return m.route(msg)
	case uikit.OpenStudioMsg:
		m.studio = studio.New(m.env.ui, m.env.targets, m.previews, msg.Entry, msg.Tasks, m.width, m.height)
		return m, m.studio.Start()
	case uikit.StudioClosedMsg:
		m.studio = nil
	case dialog.KeyEnteredMsg:
		return m, m.openOverlay(dialog.Secret(m.env.ui, m.env.keyring(), msg.APIKey))
	case dialog.KeySavedMsg:
		cmd := connected(m.env, msg)
		mm, rcmd := m.route(uikit.TargetsMsg{Targets: m.env.targets})
		return mm, tea.Batch(cmd, rcmd)
	case dialog.SwitchTargetMsg:
		// The panes drop the old target's rows in this same Update, so a
		// key after the switch never acts on them.
		cmd := switchTarget(m.env, msg.Name)
		if m.env.targets.Current().Name != msg.Name { // unknown: nothing changed
			return m, cmd
		}
		mm, tcmd := m.route(uikit.TargetsMsg{Targets: m.env.targets})
		mm, rcmd := mm.(Model).route(uikit.TargetSwitchedMsg{})
		return mm, tea.Batch(cmd, tcmd, rcmd)
	case dialog.TargetKeySavedMsg:
		cmd := targetConnected(m.env, msg)
		mm, rcmd := m.route(uikit.TargetsMsg{Targets: m.env.targets})
		return mm, tea.Batch(cmd, rcmd)
	case quitNowMsg:
		m.transfers.PauseAll() // pausing keeps every journal entry: nothing to run
		m.quitting = true
		return m, m.quitCmd()
	}
	return m.route(msg)
}

// route hands a message to every component; each ignores what is not its
// own. Keys reach only the focused one (the components check focus).
func (m Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmds := make([]tea.Cmd, 6)
	cmds[0] = m.status.Update(msg)
	cmds[1] = m.local.Update(msg)
	cmds[2] = m.remote.Update(msg)
	cmds[3] = m.transfers.Update(msg)
	if m.studio != nil {
		cmds[4] = m.studio.Update(msg)
	}
	if m.overlay != nil {
		if _, key := msg.(tea.KeyMsg); !key {
			m.overlay, cmds[5] = m.overlay.Update(msg)
			if m.overlay == nil { // closed by a command's answer (the path prompt)
				cmds = append(cmds, m.closeOverlay())
			}
		}
	}
	m.layout()
	m.refreshQuit()
	return m, tea.Batch(cmds...)
}

// layout gives each component its size.
func (m *Model) layout() {
	m.status.SetSize(m.width, 1)
	body := m.height - 3
	if m.showXfers {
		xh := min(m.transfers.WantHeight(), body/2)
		m.transfers.SetSize(m.width, xh)
		m.xferHeight = xh
		body -= xh
	}
	m.paneHeight = body
	lw := m.width / 2
	m.local.SetSize(lw, body)
	m.remote.SetSize(m.width-lw, body)
	m.preview.SetSize(m.width-lw, body)
}

// setFocus moves keyboard focus; the last pane focused is remembered for
// when the transfers panel closes.
func (m *Model) setFocus(f focusArea) {
	if f != focusTransfers {
		m.paneFocus = f
	}
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

// openOverlay shows a dialog now, or after the one that is open; the
// studio takes its kitty image down while a dialog covers it.
func (m *Model) openOverlay(o uikit.Overlay) tea.Cmd {
	o, _ = o.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	if m.overlay != nil {
		m.queued = append(m.queued, o)
		return nil
	}
	m.overlay = o
	if m.studio != nil {
		var cmd tea.Cmd
		cmd = m.studio.Cover(true)
		return cmd
	}
	return nil
}

// closeOverlay shows the next dialog waiting, or uncovers the studio.
func (m *Model) closeOverlay() tea.Cmd {
	m.overlay = nil
	if len(m.queued) > 0 {
		m.overlay, m.queued = m.queued[0], m.queued[1:]
		return nil
	}
	if m.studio != nil {
		var cmd tea.Cmd
		cmd = m.studio.Cover(false)
		return cmd
	}
	return nil
}

// Shutdown is for after the program has quit: it stops running transfers
// (uploads stay journaled for the next start), waits up to wait for them to
// wind down, and removes the partial files of downloads that will not be
// resumed.
func (m Model) Shutdown(wait time.Duration) {
	m.local.StopWatch()
	m.engine.Shutdown(wait)
}
