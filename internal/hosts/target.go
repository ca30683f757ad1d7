// Package hosts is the contract between fsdeck's front ends (transfer engine,
// TUI, CLI) and the file-hosting services other than Filestack. Each service
// lives in its own sub-package with a client (a Target) and an emulator (an
// http.Handler speaking the service's wire format); front ends depend only on
// this package, so a new service never touches them.
package hosts

import (
	"context"
	"io"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Target is one hosting service, configured with its endpoint and key.
// Optional abilities are separate interfaces (Deleter, Lister, Stater) so a
// service that lacks one simply does not implement it; Capabilities says the
// same thing as data for menus and flag validation.
type Target interface {
	// Name is the registry name ("imgbb"), stable for ledgers and flags.
	Name() string
	// Capabilities describes what the service accepts and can do.
	Capabilities() Capabilities
	// Upload sends f and reports bytes handed to the network via progress
	// (which may be nil). It honours ctx for cancellation at any point.
	Upload(ctx context.Context, f File, opts UploadOptions, progress Progress) (Result, error)
}

// Deleter is implemented by targets whose API can delete an upload.
type Deleter interface {
	Delete(ctx context.Context, id string) error
}

// Lister is implemented by targets with a server-side list API.
type Lister interface {
	// List returns one page (1-based) and the total number of items the
	// server reports, so callers can page without guessing.
	List(ctx context.Context, page, perPage int) (items []Result, total int, err error)
}

// Stater is implemented by targets that can fetch one upload's metadata.
type Stater interface {
	Stat(ctx context.Context, id string) (Result, error)
}

// Progress receives the bytes of the file body sent so far and the total
// (-1 when unknown). It is called from the uploading goroutine.
type Progress func(sent, total int64)

// File is what to upload. Body is read once, start to end.
type File struct {
	Name string
	Size int64 // -1 when unknown
	Body io.Reader
}

// Privacy is a paste/upload visibility, for services that have one.
type Privacy int

// Privacy values, in the order Pastebin numbers them (0, 1, 2).
const (
	Public Privacy = iota
	Unlisted
	Private
)

// UploadOptions are the per-upload choices a front end can offer. Zero
// values mean the service's default (keep forever, public).
type UploadOptions struct {
	// Expiry asks for automatic deletion after this long; 0 keeps the
	// upload. Targets with a fixed set of choices accept only those
	// listed in Capabilities.Expiry.Choices.
	Expiry  time.Duration
	Privacy Privacy
	// Title is a display name where the service keeps one.
	Title string
}

// Link is one labelled URL of a result ("viewer", "thumb", "delete", …), in
// the order the UI should offer them for copy-as. It is text.Link, so the
// ledger keeps a result's links without importing this package.
type Link = text.Link

// Result describes one upload as the service reported it.
type Result struct {
	Target  string
	ID      string
	Name    string
	Size    int64
	URL     string // the main URL to copy
	Links   []Link // extra URLs (copy-as)
	Created time.Time
	Expires time.Time // zero when the upload does not expire
}
