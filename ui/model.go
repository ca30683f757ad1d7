// Package ui is fsdeck's Bubble Tea interface, the root model only: it
// holds the components (ui/localpane, ui/remotepane, ui/transfers,
// ui/preview, ui/studio, ui/status) and the dialogs (ui/dialog), gives
// them their sizes and focus, routes keys, the mouse and every other
// message to them, keeps the stack of dialogs, and quits. It owns what
// changes for the whole session (the targets and the one shown, what
// requests to them showed) and tells the components in messages. All I/O
// happens in commands; Update and View only compute.
//
// It imports the component packages, ui/uikit and service packages;
// nothing imports it but internal/cli, to start the interface.
package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
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

// Model is the root of the interface.
type Model struct {
	env *uikit.Env
	ts  targetState

	local     *localpane.Pane
	remote    *remotepane.Pane
	transfers *transfers.Panel
	status    *status.Status
	preview   *preview.Preview // the local entry under the cursor, while on
	studio    *studio.Studio   // nil while closed
	previews  *studio.Cache    // outlives the studio: results are billed
	// always are the components that take every message.
	always []uikit.Component
	// engine runs the transfers (the panel is its view); Shutdown stops it.
	engine Engine

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
	// held are keys typed while a key typed before them waits for what
	// the one before it started (keys.go); nil when none wait.
	held []tea.KeyMsg
	// heldSince is when the keys began to be held: past typeAheadWait a
	// key typed no longer waits (keys.go, hold).
	heldSince time.Time
}

var _ tea.Model = (*Model)(nil)

// minWidth and minHeight are the smallest usable terminal.
const (
	minWidth  = 60
	minHeight = 16
	// paneKeep is the height the panes keep before the transfers panel
	// grows past xferMin (its frame, header and one row).
	paneKeep = 14
	xferMin  = 5
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
func New(d Deps) *Model { return newModel(d, options{}) }

func newModel(d Deps, o options) *Model {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Context == nil {
		d.Context = context.Background()
	}
	env := uikit.NewEnv(uikit.EnvOptions{Settings: d.Settings, Ledger: d.Ledger, Now: d.Now, Getenv: d.Getenv,
		Context: d.Context, Term: d.Clipboard, CopyEnv: d.CopyEnv, CellSize: d.CellSize, Sixel: d.Sixel, LookPath: d.CopyEnv.LookPath,
		Programs: d.Programs})
	s := env.Settings()
	root := rootBase(d.Targets)
	connect := func(c uikit.Connection, mode uikit.Mode) uikit.TargetConn {
		return uikit.ConnTarget(root, c, mode, uikit.RootOptions(s))
	}
	ts := targetState{targets: uikit.NewTargets(d.Targets, d.Target, connect(uikit.Connection{Remote: d.Remote, Scope: d.Scope, Endpoint: d.Endpoint}, d.Mode), d.Mode),
		connect: connect, saveTarget: d.SaveTarget, keyring: dialog.Keyring{Secrets: d.Secrets, Problem: d.KeyringProblem, Connect: d.Connect, ConnectTarget: d.ConnectTarget}}
	m := &Model{env: env, ts: ts, previews: studio.NewCache(), engine: d.Engine}
	if m.engine == nil {
		m.engine = transfer.New(d.Context, transfer.Options{Target: transfers.EngineTarget(d.Ledger, ts.targets.Root()), Now: d.Now})
	}
	m.status = status.New(env, ts.targets, status.Options{Tick: o.statusTick})
	m.local = localpane.New(env, ts.targets, localpane.Options{Dir: d.StartDir, Hidden: s.ShowHidden, Sort: s.Sort, Desc: s.SortDesc,
		Preview: s.ShowPreview, Recent: s.RecentDirs, SaveView: d.SaveView, NoWatch: o.noDirWatch, Rename: o.rename})
	m.remote = remotepane.New(env, ts.targets, remotepane.Options{NoWatch: o.noLedgerWatch})
	m.transfers = transfers.New(env, ts.targets, m.engine, transfers.Options{Listen: o.listen, Dir: d.StartDir})
	m.preview = preview.New(env, preview.Options{Tick: o.previewTick})
	m.always = []uikit.Component{m.status, m.local, m.remote, m.transfers}
	m.local.Focus()
	if d.Notice != "" {
		// As a message, so the message log (L) has it too.
		m.status.Update(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: d.Notice})
	}
	if d.FirstRun && d.Mode == uikit.ModeLocal {
		m.overlay = dialog.Key(env, ts.keyring, ts.targets.Root(), true)
	}
	m.initCmd = tea.Batch(m.local.Init(), m.remote.Reload())
	return m
}

// Init lists the start directory and the ledger, looks for unfinished
// uploads and starts listening for transfer progress.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.initCmd, m.transfers.Init()) }

// Update handles msg (update), then the preview follows the local cursor:
// whatever moved it (a key, a click, a listing, a filter), the entry under
// it is what the preview shows.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if preview.IsOwn(msg) {
		return m, tea.Batch(m.preview.Update(msg), m.placeKitty())
	}
	cmd := m.update(msg)
	sync := m.syncPreview()
	// A kitty image must be gone before the program quits or suspends,
	// or it stays on the shell's screen.
	if km, isKey := msg.(tea.KeyMsg); m.quitting || (isKey && km.Type == tea.KeyCtrlZ) {
		take := m.preview.Place(false, 0, 0) // placed again on resume
		return m, tea.Sequence(take, sync, cmd)
	}
	return m, tea.Batch(cmd, sync)
}

// update routes keys and the mouse by focus and position, takes what is
// the root's own (dialogs, the studio, the targets, quitting), and hands
// every other message to the components.
func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		// Behind keys typed ahead, except quitting, which acts at once
		// (and asks while an upload is being prepared).
		if m.held != nil && !key.Matches(msg, m.env.Keys().QuitKeys()) {
			m.held = append(m.held, msg)
			if time.Since(m.heldSince) > typeAheadWait {
				return releaseHeld(m)
			}
			return nil
		}
		free := m.overlay == nil && m.studio == nil && !m.typing()
		status, cmd := m.status.Update(msg), m.onKey(msg)
		return tea.Batch(status, hold(m, msg, free, cmd))
	case heldKeysMsg:
		if m.held == nil || !msg.since.Equal(m.heldSince) {
			return nil
		}
		// What the key before them started has answered; an upload step
		// it led to (the ctrl+u menu is made in one) still holds them,
		// released when the last one answers (uikit.StepMsg).
		if wait, ok := stillHeld(m); ok {
			return tea.Tick(wait, func(time.Time) tea.Msg { return msg })
		}
		return releaseHeld(m)
	case tea.MouseMsg:
		return m.onMouse(msg)
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
		return tea.Batch(cmd, ocmd)
	case tea.ResumeMsg:
		// Bubble Tea has repainted the frame: put back what suspend took
		// down.
		if m.studio != nil && m.overlay == nil {
			return m.studio.Cover(false)
		}
		return nil
	case uikit.StepMsg:
		// Its owner uncounts it; then its answer is handled.
		cmd := m.route(msg)
		if msg.Msg == nil {
			return cmd
		}
		_, next := m.Update(msg.Msg)
		if _, wait := stillHeld(m); m.held != nil && !wait {
			next = tea.Batch(next, releaseHeld(m))
		}
		return tea.Batch(cmd, next)
	case uikit.ProgressDoneMsg:
		m.status.Done(msg.Text)
		if batch, ok := msg.Msg.(tea.BatchMsg); ok {
			return tea.Batch(batch...) // only the program runs a batch's commands
		}
		if msg.Msg == nil {
			return nil
		}
		_, cmd := m.Update(msg.Msg)
		return cmd
	case uikit.ReachMsg:
		m.ts.observe(msg.Target, msg.Err)
		return nil
	case uikit.OpenMsg:
		cmd := m.openOverlay(msg.Overlay)
		if _, wait := stillHeld(m); m.held != nil && !wait {
			// The keys typed after the one that opened it are its.
			cmd = tea.Batch(cmd, releaseHeld(m))
		}
		return cmd
	case lateMsg:
		return func() tea.Msg { return <-msg.answer }
	case uikit.ShowTransfersMsg:
		m.showXfers = true
	case uikit.DownloadRequestMsg:
		msg.Dir = m.local.Dir()
		return m.route(msg)
	case uikit.OpenStudioMsg:
		m.studio = studio.New(m.env, m.ts.targets, m.previews, msg.Entry, msg.Tasks, m.width, m.height)
		return m.studio.Start()
	case uikit.StudioClosedMsg:
		m.studio = nil
	case uikit.AddKeyMsg:
		tc, ok := m.ts.targets.Named(msg.Target)
		switch {
		case !ok:
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(msg.Target)})
		case tc.Root:
			return m.openOverlay(dialog.Key(m.env, m.ts.keyring, tc, false))
		}
		return m.openOverlay(dialog.TargetKey(m.env, m.ts.keyring, tc))
	case dialog.KeyEnteredMsg:
		return m.openOverlay(dialog.Secret(m.env, m.ts.keyring, msg.APIKey))
	case dialog.KeySavedMsg:
		cmd := m.ts.connected(msg)
		return tea.Batch(cmd, m.route(uikit.TargetsMsg{Targets: m.ts.targets}))
	case dialog.TargetKeySavedMsg:
		cmd := m.ts.reconnected(msg)
		return tea.Batch(cmd, m.route(uikit.TargetsMsg{Targets: m.ts.targets}))
	case dialog.SwitchTargetMsg:
		// The panes drop the old target's rows in this same Update, so a
		// key after the switch never acts on them.
		cmd, ok := m.ts.switchTo(msg.Name)
		if !ok {
			return cmd
		}
		return tea.Batch(cmd, m.route(uikit.TargetsMsg{Targets: m.ts.targets}), m.route(uikit.TargetSwitchedMsg{}))
	case quitNowMsg:
		m.transfers.PauseAll() // pausing keeps every journal entry: nothing to run
		m.quitting = true
		return quitCmd(m.studio)
	}
	return m.route(msg)
}

// route hands a message to every component; each ignores what is not its
// own. Keys reach only the focused one (the components check focus).
func (m *Model) route(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.always)+3)
	for _, c := range m.always {
		cmds = append(cmds, c.Update(msg))
	}
	if m.studio != nil {
		cmds = append(cmds, m.studio.Update(msg))
	}
	if _, key := msg.(tea.KeyMsg); !key && m.overlay != nil {
		var cmd tea.Cmd
		m.overlay, cmd = m.overlay.Update(msg)
		cmds = append(cmds, cmd)
		if m.overlay == nil { // closed by a command's answer (the path prompt)
			cmds = append(cmds, m.closeOverlay())
		}
	}
	m.layout()
	m.refreshQuit()
	return tea.Batch(cmds...)
}

// layout gives each component its size.
func (m *Model) layout() {
	m.status.SetSize(m.width, 1)
	body := m.height - 3
	if m.showXfers {
		// The panel shrinks before the panes do: they keep paneKeep lines
		// (nine rows of files) while the panel can still show one row.
		xh := min(m.transfers.WantHeight(), body/2, max(xferMin, body-paneKeep))
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
		return m.studio.Cover(true)
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
		return m.studio.Cover(false)
	}
	return nil
}

// LocalDir is the directory the local pane shows (after quitting, where
// --cwd-file sends the shell).
func (m *Model) LocalDir() string { return m.local.Dir() }

// Shutdown is for after the program has quit: it stops running transfers
// (uploads stay journaled for the next start), waits up to wait for them to
// wind down, and removes the partial files of downloads that will not be
// resumed.
func (m *Model) Shutdown(wait time.Duration) {
	m.local.StopWatch()
	m.engine.Shutdown(wait)
}
