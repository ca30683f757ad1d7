package uikit

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
)

// Remote is what the UI needs from the client of the root target's
// connection (Filestack's): ConnTarget makes it the root's TargetConn.
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

// TargetConn is one upload target as the session resolved it.
type TargetConn struct {
	Name, Title string // "filestack"/"Filestack", "imgbb"/"ImgBB"
	// Host is the service's client as a target: what it can do beyond
	// uploading is what it implements of hosts' optional interfaces (and
	// of MetadataReader and SecretHolder), as Caps says.
	Host hosts.Target
	// Root: the registry's root target (hosts.Info.Root), whose emulator
	// is the server itself and whose connection the ctrl+k dialog changes.
	Root bool
	// Scope is its ledger scope (Target, Endpoint, KeyFP).
	Scope store.Scope
	// Endpoint is where it is connected, for the title bar.
	Endpoint string
	// Local: pointed at the built-in emulator (no key set).
	Local bool
	// Caps are its abilities (Host.Capabilities()).
	Caps hosts.Capabilities
	// KeyHelp says where to get a key (from hosts.Info).
	KeyHelp string
	// HTTP is the client the target talks through, for downloads from
	// its URLs (nil: a plain client).
	HTTP *http.Client
}

// SecretStore is where the ctrl+k dialog saves keys.
type SecretStore interface {
	Set(name, value string) error
}

// Connection is what Connect returns: the root target's client and where
// its files belong.
type Connection struct {
	Remote   Remote
	Scope    store.Scope
	Endpoint string
}
