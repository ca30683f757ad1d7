// Package hosts is the contract between fsdeck's front ends (transfer
// engine, TUI, CLI) and the services files go to: Filestack and the
// file-hosting services beside it. It owns the Target interface, the
// optional interfaces for the powers only some targets have (delete, list,
// stat, resumable part uploads, ranged downloads, transformations, store
// from URL, import, signed URLs) and the same as Capabilities data, the
// registry, pacing, typed errors and what the emulators share (storage,
// quota, memory).
//
// Each target lives in its own sub-package with a client (a Target) and
// an emulator (an http.Handler speaking the service's wire format);
// internal/hosts/builtin registers them all, Filestack included, and
// internal/hosts/conformance is the contract as a test suite run against
// every registered target's emulator. Front ends depend only on this
// package and the registry, so a new target never touches them.
//
// It imports the standard library, internal/text and of filestack only
// what the contract speaks (transform's grammar, the emulators' content
// headers); never a target's package, the engine, the store or a front
// end. Target packages import it, never each other.
package hosts

import (
	"context"
	"io"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Target is one service files go to, configured with its endpoint and key.
// Optional abilities are separate interfaces (Deleter, Lister, Stater and
// those in optional.go) so a service that lacks one simply does not
// implement it; Capabilities says the same thing as data for menus and
// flag validation.
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
	// Mimetype is the type the service gives the file ("" when it says
	// none).
	Mimetype string
}
