package ui

import (
	"context"
	"io"
	"time"

	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Deps is everything the UI is given from outside. All I/O goes through
// these, inside commands.
type Deps struct {
	Remote uikit.Remote
	Ledger uikit.Ledger
	Scope  store.Scope
	Mode   uikit.Mode
	// Endpoint describes where fsdeck is connected, for the title bar.
	Endpoint string
	// Notice is shown in the status bar at start (e.g. why the keyring
	// could not be read).
	Notice   string
	StartDir string
	// Clipboard receives OSC 52 sequences (the terminal's output).
	Clipboard io.Writer
	// CopyEnv is where copies look and what they may run (tmux, clipboard
	// tools): clipboard.System() in the program. Left empty, copies run
	// nothing and can only send OSC 52.
	CopyEnv clipboard.Env
	Getenv  func(string) string
	// CellSize asks the terminal for its cell size in pixels, so images
	// keep their aspect ratio (nil: cells twice as high as wide).
	CellSize func() uikit.CellSize
	// Sixel: the terminal's device attributes list sixel graphics.
	Sixel bool
	Now   func() time.Time
	// Context is the program's: transfers stop when it ends (nil:
	// context.Background()).
	Context  context.Context
	Settings Settings
	// Secrets stores keys in the OS keyring (nil: cannot store).
	Secrets uikit.SecretStore
	// Connect builds a client for a key, to switch from local mode to
	// Filestack without restarting (nil: restart needed).
	Connect func(apiKey, appSecret string) (uikit.Connection, error)
	// FirstRun opens the welcome dialog asking for a key.
	FirstRun bool
	// KeyringProblem says why the OS keyring cannot be used ("" when it can).
	KeyringProblem string
	// SaveView remembers show-hidden and the local sort for the next run
	// (nil: not remembered).
	SaveView func(store.ViewState) error

	// Targets are the upload targets of the session: Filestack first, then
	// every registered hosting target. The registry's root (Filestack) is
	// connected through Remote, Scope, Endpoint and Mode (uikit.ConnTarget);
	// its entry here gives its title and key help.
	Targets []uikit.TargetConn
	// Target is the target to start on (the last used, or config).
	Target string
	// ConnectTarget rebuilds one target after its key was saved with the
	// ctrl+k dialog (nil: restart needed).
	ConnectTarget func(name, key string) (uikit.TargetConn, error)
	// SaveTarget remembers the current target for the next run (nil: not).
	SaveTarget func(name string) error

	// Engine runs the transfers, with the session's policy (concurrency,
	// store options, intelligent ingestion); the interface only shows it
	// and asks it to act. Nil: an engine with the engine's own defaults
	// over Remote and Ledger, for tests and embedders.
	Engine Engine

	// Programs starts what o, e, !, S and R hand files to: openers beside
	// the interface, editors and shells on the terminal (nil: the
	// system's, uikit.SystemPrograms).
	Programs uikit.Programs
}

// Settings are the interface's configurable behaviour (from config.toml).
type Settings = uikit.Settings

// CellSize is a terminal cell's size in pixels (zero: unknown).
type CellSize = uikit.CellSize

// SettingsFrom turns a validated config into the interface's settings.
func SettingsFrom(c store.Config) Settings { return uikit.SettingsFrom(c) }

// DefaultSettings are used when config.toml says nothing.
func DefaultSettings() Settings { return uikit.DefaultSettings() }

// NewTerminalWriter wraps the terminal's output so that every writer
// shares one lock: give the result both to tea.WithOutput and to
// Deps.Clipboard. A terminal file stays recognisable as one.
func NewTerminalWriter(w io.Writer) io.Writer { return uikit.NewTerminalWriter(w) }

// The types Deps is made of, as the components share them.
type (
	// Engine is what the interface needs of the transfer engine
	// (*transfer.Engine is one).
	Engine = transfers.Engine
	// Remote is what the interface needs from the Filestack client.
	Remote = uikit.Remote
	// Ledger is what the interface needs from the local database.
	Ledger = uikit.Ledger
	// Mode says whether fsdeck talks to the built-in server or to Filestack.
	Mode = uikit.Mode
	// TargetConn is one upload target as the session resolved it.
	TargetConn = uikit.TargetConn
	// SecretStore is where the ctrl+k dialog saves keys.
	SecretStore = uikit.SecretStore
	// Connection is what Connect returns: a client and where its files belong.
	Connection = uikit.Connection
)

// Modes.
const (
	ModeLocal = uikit.ModeLocal
	ModeCloud = uikit.ModeCloud
)
