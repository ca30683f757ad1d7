// Package filestack is Filestack as a target like the others: it adapts a
// Filestack client (package filestack at the module's root) to
// hosts.Target and to every optional interface of the contract —
// resumable part uploads with a journaled session (PartUploader), ranged
// downloads (RangeDownloader), metadata (Stater), delete (Deleter),
// transformations (Transformer), store from URL (URLStorer), import by
// handle or URL (Importer), signed URLs (Signer) and its own wording of
// failures (Describer) — and registers it (Info) as the registry's root
// target, whose emulator is the Filestack-compatible server itself.
//
// It is the one place outside the client that knows Filestack: the engine,
// the commands and the interface ask the contract for a capability. It
// imports internal/hosts, internal/text and the filestack client,
// transform grammar and emulator; never the engine, the store or a front
// end, and no other target.
package filestack

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"time"

	fsc "github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Name is Filestack's registry name.
const Name = "filestack"

// Client is what the target needs of a Filestack client: *filestack.Client,
// or a front end's wrapper of it (tests gate or fail its calls).
type Client interface {
	Upload(ctx context.Context, path string, opts fsc.UploadOptions) (*fsc.File, error)
	Resume(ctx context.Context, path string, sess fsc.Session, opts fsc.UploadOptions) (*fsc.File, error)
	Download(ctx context.Context, handle string, w io.Writer, opts fsc.DownloadOptions) (int64, error)
	Metadata(ctx context.Context, handle string, extra ...string) (*fsc.Metadata, error)
	Delete(ctx context.Context, handle string) error
	StoreURL(ctx context.Context, url string, opts fsc.UploadOptions) (*fsc.File, error)
	FetchTransform(ctx context.Context, ch transform.Chain, w io.Writer, max int64) (string, error)
	StoreTransform(ctx context.Context, ch transform.Chain, opts fsc.StoreOptions) (*fsc.File, error)
	CDNURL(handle string) string
	SignedURL(handle string, ttl time.Duration) (string, bool)
	TransformURL(ch transform.Chain, ttl time.Duration) string
}

var _ Client = (*fsc.Client)(nil)

// Options are the target's settings, the same for every upload through it.
type Options struct {
	// Store says where and how files are stored; its Path is each
	// upload's own (PartOptions.StorePath), so Store.Path is not used.
	Store fsc.StoreOptions
	// Intelligent uploads through intelligent ingestion.
	Intelligent bool
}

// Target is a Filestack client as a hosts.Target.
type Target struct {
	c Client
	o Options
}

var (
	_ hosts.Target          = (*Target)(nil)
	_ hosts.PartUploader    = (*Target)(nil)
	_ hosts.RangeDownloader = (*Target)(nil)
	_ hosts.Stater          = (*Target)(nil)
	_ hosts.Deleter         = (*Target)(nil)
	_ hosts.Transformer     = (*Target)(nil)
	_ hosts.URLStorer       = (*Target)(nil)
	_ hosts.Importer        = (*Target)(nil)
	_ hosts.Signer          = (*Target)(nil)
	_ hosts.Describer       = (*Target)(nil)
	_ hosts.URLDeriver      = (*Target)(nil)
)

// New makes c a target.
func New(c Client, o Options) *Target { return &Target{c: c, o: o} }

// Name implements hosts.Target.
func (t *Target) Name() string { return Name }

// Capabilities implements hosts.Target: any file, no documented size
// limit, no expiry or privacy option; delete (which needs the app
// secret), metadata, every optional power; the CDN URL is built from the
// handle, so the ledger keeps none.
func (t *Target) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{Kind: hosts.AnyFile, Delete: true, Stat: true, DirectURL: true, DerivedURL: true,
		Resume: true, ResumeAbove: t.resumeAbove(), RangeDownload: true, Intelligent: true, Storage: true,
		Transform: true, StoreURL: true, Import: true, SignedURL: true}
}

// resumeAbove is the size up to which the client stores a file in one
// request (its SimpleMax), so an upload that small has no session to
// resume; intelligent ingestion sends every file in parts.
func (t *Target) resumeAbove() int64 {
	if t.o.Intelligent {
		return 0
	}
	simple := int64(fsc.DefaultSimpleMax)
	if c, ok := t.c.(interface{ Config() fsc.Config }); ok {
		simple = c.Config().SimpleMax
	}
	return max(simple, 0)
}

// Close releases the client's idle connections when it has any to release.
func (t *Target) Close() {
	if c, ok := t.c.(interface{ Close() }); ok {
		c.Close()
	}
}

// readerUploader is the client's upload from a reader read at offsets.
type readerUploader interface {
	UploadReader(ctx context.Context, r io.ReaderAt, size int64, opts fsc.UploadOptions) (*fsc.File, error)
}

// Upload implements hosts.Target: f's body goes straight to the client
// when it can be read at offsets, else through a temporary file (parts
// are read in parallel). Expiry and privacy are not Filestack's
// (Capabilities.Check refuses them).
func (t *Target) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	uo := fsc.UploadOptions{Filename: cmp.Or(opts.Title, f.Name, "unnamed_file"), Store: t.o.Store,
		Intelligent: t.o.Intelligent, Progress: func(ev fsc.Event) {
			if progress != nil && ev.Kind == fsc.EventProgress {
				progress(ev.Sent, ev.Total)
			}
		}}
	ur, direct := t.c.(readerUploader)
	if ra, ok := f.Body.(io.ReaderAt); direct && ok && f.Size >= 0 {
		file, err := ur.UploadReader(ctx, ra, f.Size, uo)
		return t.result(file, err)
	}
	tmp, err := os.CreateTemp("", ".fsdeck-upload-*")
	if err != nil {
		return hosts.Result{}, err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, f.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return hosts.Result{}, err
	}
	file, err := t.c.Upload(ctx, tmp.Name(), uo)
	return t.result(file, err)
}

// result is a stored file as the contract reports it.
func (t *Target) result(f *fsc.File, err error) (hosts.Result, error) {
	if err != nil {
		return hosts.Result{}, classify(err)
	}
	return hosts.Result{Target: Name, ID: f.Handle, Name: f.Filename, Size: f.Size, URL: t.URLOf(f.Handle),
		Mimetype: f.Mimetype}, nil
}

// Describe implements hosts.Describer: the client's message (it words
// network and file failures already), and what to do about a rejected key.
func (t *Target) Describe(err error) string {
	s := err.Error()
	if fsc.IsUnauthorized(err) {
		s += " — the API key was rejected; check it with `fsdeck key status`"
	}
	return s
}

// classify makes a client error match the contract's sentinels
// (errors.Is(err, hosts.ErrNotFound), …) while keeping its text and the
// client's own predicates (filestack.IsUnauthorized, errors.As to
// *filestack.Error). Errors of no kind are returned as they are.
func classify(err error) error {
	var kind error
	switch {
	case err == nil:
		return nil
	case fsc.IsUnauthorized(err), errors.Is(err, fsc.ErrNoSecret):
		kind = hosts.ErrAuth
	case fsc.IsNotFound(err):
		kind = hosts.ErrNotFound
	case status(err) == http.StatusTooManyRequests:
		kind = hosts.ErrRateLimit
	case fsc.IsInsufficientStorage(err):
		kind = hosts.ErrQuota
	default:
		return err
	}
	return &classified{err: err, kind: kind}
}

// status is the HTTP status of a client error (0: none).
func status(err error) int {
	var e *fsc.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// classified is a client error with the contract's kind beside it.
type classified struct {
	err  error
	kind error
}

func (c *classified) Error() string   { return c.err.Error() }
func (c *classified) Unwrap() []error { return []error{c.err, c.kind} }
