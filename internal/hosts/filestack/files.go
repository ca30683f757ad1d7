package filestack

import (
	"cmp"
	"context"
	"io"
	"time"

	fsc "github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
)

// DownloadRange implements hosts.RangeDownloader through the client's
// Download (CDN URL, signed with the app secret when one is set).
func (t *Target) DownloadRange(ctx context.Context, id string, w io.Writer, opts hosts.RangeOptions) (int64, error) {
	n, err := t.c.Download(ctx, id, w, fsc.DownloadOptions{Offset: opts.Offset, ETag: opts.ETag, Restart: opts.Restart,
		OnETag: opts.OnETag, Progress: opts.Progress, OnRetry: opts.OnRetry})
	return n, classify(err)
}

// Stat implements hosts.Stater with the file's metadata. An id that is
// not a handle names no file: hosts.ErrNotFound.
func (t *Target) Stat(ctx context.Context, id string) (hosts.Result, error) {
	md, err := t.c.Metadata(ctx, id)
	if err != nil {
		if !fsc.ValidHandle(id) {
			return hosts.Result{}, &classified{err: err, kind: hosts.ErrNotFound}
		}
		return hosts.Result{}, classify(err)
	}
	r := hosts.Result{Target: Name, ID: id, Name: md.Filename, URL: t.URLOf(id), Created: md.Uploaded, Mimetype: md.Mimetype}
	if md.Size != nil {
		r.Size = *md.Size
	}
	return r, nil
}

// Delete implements hosts.Deleter (it needs the app secret: without one,
// filestack.ErrNoSecret, which is hosts.ErrAuth).
func (t *Target) Delete(ctx context.Context, id string) error {
	err := t.c.Delete(ctx, id)
	if err != nil && !fsc.ValidHandle(id) {
		return &classified{err: err, kind: hosts.ErrNotFound}
	}
	return classify(err)
}

// URLOf implements hosts.URLDeriver: the CDN URL of the handle.
func (t *Target) URLOf(id string) string { return t.c.CDNURL(id) }

// ParseRef implements hosts.Importer: a handle, or a CDN, File API or
// processing URL ending in one.
func (t *Target) ParseRef(ref string) (string, bool) { return fsc.ParseHandle(ref) }

// SignedURL implements hosts.Signer (false without the app secret).
func (t *Target) SignedURL(id string, ttl time.Duration) (string, bool) {
	return t.c.SignedURL(id, ttl)
}

// StoreURL implements hosts.URLStorer: Filestack fetches url and stores
// it with the target's storage, named opts.Title when given.
func (t *Target) StoreURL(ctx context.Context, url string, opts hosts.UploadOptions) (hosts.Result, error) {
	f, err := t.c.StoreURL(ctx, url, fsc.UploadOptions{Filename: opts.Title, Store: t.o.Store})
	return t.result(f, err)
}

// TransformURL implements hosts.Transformer.
func (t *Target) TransformURL(ch transform.Chain, ttl time.Duration) string {
	return t.c.TransformURL(ch, ttl)
}

// FetchTransform implements hosts.Transformer.
func (t *Target) FetchTransform(ctx context.Context, ch transform.Chain, w io.Writer, max int64) (string, error) {
	typ, err := t.c.FetchTransform(ctx, ch, w, max)
	return typ, classify(err)
}

// StoreTransform implements hosts.Transformer with the target's storage.
func (t *Target) StoreTransform(ctx context.Context, ch transform.Chain, storePath string) (hosts.Result, error) {
	st := t.o.Store
	st.Path = cmp.Or(storePath, st.Path)
	f, err := t.c.StoreTransform(ctx, ch, st)
	return t.result(f, err)
}
