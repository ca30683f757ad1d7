package store

import (
	"context"

	"github.com/fsdeck/fsdeck/filestack/transfer"
)

// TransferStore is the ledger as the transfer engine sees it, bound to one
// scope: its upload journal and the record of finished uploads. Store
// imports the engine's package for its two plain record types (the engine
// imports only filestack, so there is no cycle); the engine never sees the
// database.
type TransferStore struct {
	l *Ledger
	s Scope
}

var (
	_ transfer.Journal = TransferStore{}
	_ transfer.Ledger  = TransferStore{}
)

// Transfers binds the ledger to a scope for the transfer engine: use the
// result as both the Journal and the Ledger of a transfer.Target.
func (l *Ledger) Transfers(s Scope) TransferStore { return TransferStore{l: l, s: s} }

// StartJob records an upload before it starts and returns its id.
func (t TransferStore) StartJob(ctx context.Context, localPath string, size int64) (int64, error) {
	return t.l.StartJob(ctx, t.s, localPath, size)
}

// SaveSession stores the latest resumable session of a job.
func (t TransferStore) SaveSession(ctx context.Context, id int64, session string) error {
	return t.l.SaveSession(ctx, id, session)
}

// FinishJob removes a job from the journal.
func (t TransferStore) FinishJob(ctx context.Context, id int64) error {
	return t.l.FinishJob(ctx, id)
}

// Jobs lists the scope's unfinished uploads, oldest first.
func (t TransferStore) Jobs(ctx context.Context) ([]transfer.JournalJob, error) {
	jobs, err := t.l.Jobs(ctx, t.s)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.JournalJob, len(jobs))
	for i, j := range jobs {
		out[i] = transfer.JournalJob{ID: j.ID, LocalPath: j.LocalPath, Size: j.Size, Session: j.Session}
	}
	return out, nil
}

// RecordUpload adds a finished upload to the ledger.
func (t TransferStore) RecordUpload(ctx context.Context, u transfer.Uploaded) error {
	return t.l.Add(ctx, t.s, Entry{Handle: u.Handle, Filename: u.Filename, Size: u.Size, Mimetype: u.Mimetype,
		Uploaded: u.At, Source: SourceUpload, LocalPath: u.LocalPath, SHA256: u.SHA256, StorePath: u.StorePath})
}
