package session

import (
	"context"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
)

// EngineOptions are what a command or the interface says about the
// transfers beside config.toml.
type EngineOptions struct {
	// UploadOptions go with every upload (expiry, privacy: checked
	// against the target's capabilities by the caller).
	UploadOptions hosts.UploadOptions
	// FileConcurrency and PartConcurrency override config.toml's files
	// and parts at once when not 0.
	FileConcurrency, PartConcurrency int
}

// Engine is the transfer engine moving files to and from t, journaling
// and recording them in the session's ledger under t's scope. It runs
// until ctx ends or it is shut down.
func (s *Session) Engine(ctx context.Context, t *Target, o EngineOptions) *transfer.Engine {
	bk := bookkeeping.For(s.Ledger, t.Scope)
	files, parts := o.FileConcurrency, o.PartConcurrency
	if files == 0 {
		files = s.Config.Files
	}
	if parts == 0 {
		parts = s.Config.Parts
	}
	return transfer.New(ctx, transfer.Options{Target: transfer.Target{Service: t.Service, UploadOptions: o.UploadOptions,
		Journal: bk, Ledger: bk}, FileConcurrency: files, PartConcurrency: parts})
}
