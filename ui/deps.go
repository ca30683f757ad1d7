package ui

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Remote is what the UI needs from the Filestack client.
type Remote interface {
	Upload(ctx context.Context, path string, opts filestack.UploadOptions) (*filestack.File, error)
	Resume(ctx context.Context, path string, sess filestack.Session, opts filestack.UploadOptions) (*filestack.File, error)
	Metadata(ctx context.Context, handle string, extra ...string) (*filestack.Metadata, error)
	Download(ctx context.Context, handle string, w io.Writer, opts filestack.DownloadOptions) (int64, error)
	Delete(ctx context.Context, handle string) error
	StoreURL(ctx context.Context, url string, opts filestack.UploadOptions) (*filestack.File, error)
	FetchTransform(ctx context.Context, ch transform.Chain, w io.Writer, max int64) (string, error)
	StoreTransform(ctx context.Context, ch transform.Chain, opts filestack.StoreOptions) (*filestack.File, error)
	CDNURL(handle string) string
	SignedURL(handle string, ttl time.Duration) (string, bool)
	TransformURL(ch transform.Chain, ttl time.Duration) string
	HasSecret() bool
}

var _ Remote = (*filestack.Client)(nil)

// Ledger is what the UI needs from the local database.
type Ledger interface {
	List(ctx context.Context, s store.Scope) ([]store.Entry, error)
	Add(ctx context.Context, s store.Scope, e store.Entry) error
	// Refresh updates an entry only if it is still there (false if not).
	Refresh(ctx context.Context, s store.Scope, e store.Entry) (bool, error)
	Get(ctx context.Context, s store.Scope, handle string) (store.Entry, error)
	Remove(ctx context.Context, s store.Scope, handles ...string) error
	FindBySHA256(ctx context.Context, s store.Scope, sum string) ([]store.Entry, error)
	StartJob(ctx context.Context, s store.Scope, localPath string, size int64) (int64, error)
	SaveSession(ctx context.Context, id int64, session string) error
	FinishJob(ctx context.Context, id int64) error
	Jobs(ctx context.Context, s store.Scope) ([]store.Job, error)
	Bookmarks(ctx context.Context) ([]string, error)
	AddBookmark(ctx context.Context, path string) error
	RemoveBookmark(ctx context.Context, path string) error
}

var _ Ledger = (*store.Ledger)(nil)

// Mode says whether fsdeck talks to the built-in server or to Filestack.
type Mode int

// Modes.
const (
	ModeLocal Mode = iota
	ModeCloud
)

// Deps is everything the UI is given from outside. All I/O goes through
// these, inside commands.
type Deps struct {
	Remote Remote
	Ledger Ledger
	Scope  store.Scope
	Mode   Mode
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
	Now     func() time.Time
	// Context is the program's: transfers stop when it ends (nil:
	// context.Background()).
	Context  context.Context
	Settings Settings
	// Secrets stores keys in the OS keyring (nil: cannot store).
	Secrets SecretStore
	// Connect builds a client for a key, to switch from local mode to
	// Filestack without restarting (nil: restart needed).
	Connect func(apiKey, appSecret string) (Connection, error)
	// FirstRun opens the welcome dialog asking for a key.
	FirstRun bool
	// KeyringProblem says why the OS keyring cannot be used ("" when it can).
	KeyringProblem string
	// SaveView remembers show-hidden and the local sort for the next run
	// (nil: not remembered).
	SaveView func(store.ViewState) error

	// Targets are the upload targets of the session: Filestack first, then
	// every registered hosting target.
	Targets []TargetConn
	// Target is the target to start on (the last used, or config).
	Target string
	// ConnectTarget rebuilds one target after its key was saved with the
	// K dialog (nil: restart needed).
	ConnectTarget func(name, key string) (TargetConn, error)
	// SaveTarget remembers the current target for the next run (nil: not).
	SaveTarget func(name string) error
}

// TargetConn is one upload target as the session resolved it.
type TargetConn struct {
	Name, Title string // "filestack"/"Filestack", "imgbb"/"ImgBB"
	// Host is the hosting service's client; nil for Filestack (Deps.Remote
	// is used).
	Host hosts.Target
	// Scope is its ledger scope (Target, Endpoint, KeyFP).
	Scope store.Scope
	// Endpoint is where it is connected, for the title bar.
	Endpoint string
	// Local: pointed at the built-in emulator (no key set).
	Local bool
	// Caps are its abilities (Filestack: all of them).
	Caps hosts.Capabilities
	// KeyHelp says where to get a key (from hosts.Info).
	KeyHelp string
	// HTTP is the client the target talks through, for downloads from
	// its URLs (nil: a plain client).
	HTTP *http.Client
}

// SecretStore is where the K dialog saves keys.
type SecretStore interface {
	Set(name, value string) error
}

// Connection is what Connect returns: a client and where its files belong.
type Connection struct {
	Remote   Remote
	Scope    store.Scope
	Endpoint string
}

// Settings are the interface's configurable behaviour (from config.toml).
type Settings = uikit.Settings

// SettingsFrom turns a validated config into the interface's settings.
func SettingsFrom(c store.Config) Settings { return uikit.SettingsFrom(c) }

// DefaultSettings are used when config.toml says nothing.
func DefaultSettings() Settings { return uikit.DefaultSettings() }

// NewTerminalWriter wraps the terminal's output so that every writer
// shares one lock: give the result both to tea.WithOutput and to
// Deps.Clipboard. A terminal file stays recognisable as one.
func NewTerminalWriter(w io.Writer) io.Writer { return uikit.NewTerminalWriter(w) }
