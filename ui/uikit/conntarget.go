package uikit

import (
	"context"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"
)

// MetadataReader is implemented by targets whose metadata call returns
// more than hosts.Stater's Result and takes extra fields on request (the
// image's size, the store path, hashes the service computes): the remote
// pane's details, refresh and import read them, and its details dialog
// offers the hashes.
type MetadataReader interface {
	Metadata(ctx context.Context, id string, extra ...string) (*filestack.Metadata, error)
}

// SecretHolder is implemented by targets some of whose powers (delete,
// signed URLs) need a signing secret the connection may lack: HasSecret
// says whether it has one, so those keys are off without it.
type SecretHolder interface {
	HasSecret() bool
}

// RootOptions are the root target's options from the settings: where and
// how files are stored, intelligent ingestion.
func RootOptions(s Settings) fstarget.Options {
	return fstarget.Options{Store: s.Store, Intelligent: s.Intelligent}
}

// ConnTarget is the root target's TargetConn over a connection: base (its
// registry name, title and key help) with c's scope and endpoint, local in
// ModeLocal, and as Host the registry's root target over c's client with
// o (storage options, intelligent ingestion), which also answers
// MetadataReader and SecretHolder from that client.
func ConnTarget(base TargetConn, c Connection, mode Mode, o fstarget.Options) TargetConn {
	host := connHost{Target: fstarget.New(c.Remote, o), r: c.Remote}
	base.Host, base.Caps = host, host.Capabilities()
	base.Scope, base.Endpoint, base.Local = c.Scope, c.Endpoint, mode == ModeLocal
	return base
}

// connHost is the root target over a connection's client, with the
// client's metadata and secret beside the contract's interfaces.
type connHost struct {
	*fstarget.Target
	r Remote
}

var (
	_ MetadataReader = connHost{}
	_ SecretHolder   = connHost{}
)

// Metadata implements MetadataReader with the client's call.
func (h connHost) Metadata(ctx context.Context, id string, extra ...string) (*filestack.Metadata, error) {
	return h.r.Metadata(ctx, id, extra...)
}

// HasSecret implements SecretHolder: the client has an app secret (false
// without a client).
func (h connHost) HasSecret() bool { return h.r != nil && h.r.HasSecret() }

// CanImport: tc adopts a file from a reference a person pastes
// (hosts.Importer), the import dialog's (I) work.
func CanImport(tc TargetConn) bool {
	_, ok := tc.Host.(hosts.Importer)
	return ok && tc.Caps.Import
}

// CanStoreURL: tc stores a file it fetches from a URL (hosts.URLStorer),
// the store-from-URL dialog's (U) work.
func CanStoreURL(tc TargetConn) bool {
	_, ok := tc.Host.(hosts.URLStorer)
	return ok && tc.Caps.StoreURL
}
