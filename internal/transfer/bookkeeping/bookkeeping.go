// Package bookkeeping binds the store's ledger to one scope as the
// transfer engine's bookkeeping: its upload journal, its download journal,
// the record of finished uploads and the index the duplicate check reads.
//
// It is the one place the engine's interfaces meet the database, so that
// neither imports the other: store keeps its own types and knows nothing
// of the engine or the targets, and the engine (internal/transfer) never
// sees the database. Composition sites (the commands, the interface)
// build a transfer.Target's Journal and Ledger with For.
//
// It imports internal/transfer and store, and nothing of the targets or
// the front ends.
//
// It imports the store and the engine only; neither imports it.
package bookkeeping

import (
	"context"
	"path/filepath"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// Ledger is the ledger as the transfer engine sees it, bound to one scope:
// its upload journal and the record of finished uploads.
type Ledger struct {
	l *store.Ledger
	s store.Scope
}

var (
	_ transfer.Journal         = Ledger{}
	_ transfer.Ledger          = Ledger{}
	_ transfer.UploadIndex     = Ledger{}
	_ transfer.DownloadJournal = Ledger{}
)

// For binds the ledger to a scope for the transfer engine: use the result
// as both the Journal and the Ledger of a transfer.Target.
func For(l *store.Ledger, s store.Scope) Ledger { return Ledger{l: l, s: s} }

// StartJob records an upload before it starts and returns its id.
func (t Ledger) StartJob(ctx context.Context, localPath string, size int64) (int64, error) {
	return t.l.StartJob(ctx, t.s, localPath, size)
}

// SaveSession stores the latest resumable session of a job.
func (t Ledger) SaveSession(ctx context.Context, id int64, session string) error {
	return t.l.SaveSession(ctx, id, session)
}

// FinishJob removes a job from the journal.
func (t Ledger) FinishJob(ctx context.Context, id int64) error {
	return t.l.FinishJob(ctx, id)
}

// Jobs lists the scope's unfinished uploads, oldest first.
func (t Ledger) Jobs(ctx context.Context) ([]transfer.JournalJob, error) {
	jobs, err := t.l.Jobs(ctx, t.s)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.JournalJob, len(jobs))
	for i, j := range jobs {
		out[i] = transfer.JournalJob{ID: j.ID, LocalPath: j.LocalPath, Size: j.Size, Session: j.Session,
			Created: j.Created, Updated: j.Updated}
	}
	return out, nil
}

// RecordUpload adds a finished upload to the ledger, in the bound scope
// (whose Target is the upload's).
func (t Ledger) RecordUpload(ctx context.Context, u transfer.Uploaded) error {
	// A name that is not UTF-8 reaches the server as a copy with U+FFFD
	// for its bad bytes; the ledger keeps the file's own bytes.
	name := u.Filename
	if u.LocalPath != "" {
		name = store.ExactName(filepath.Base(u.LocalPath), u.Filename)
	}
	return t.l.Add(ctx, t.s, store.Entry{Handle: u.Handle, Filename: name, Size: u.Size, Mimetype: u.Mimetype,
		Uploaded: u.At, Source: store.SourceUpload, LocalPath: u.LocalPath, SHA256: u.SHA256, StorePath: u.StorePath,
		URL: u.URL, Links: u.Links, Expires: u.Expires})
}

// FindBySHA256 lists the scope's uploads (not marked gone) whose content
// has the SHA-256 sum, for the engine's duplicate check.
func (t Ledger) FindBySHA256(ctx context.Context, sum string) ([]transfer.Uploaded, error) {
	en, err := t.l.FindBySHA256(ctx, t.s, sum)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.Uploaded, len(en))
	for i, e := range en {
		out[i] = transfer.Uploaded{Handle: e.Handle, Filename: e.Filename, Size: e.Size, Mimetype: e.Mimetype,
			At: e.Uploaded, LocalPath: e.LocalPath, SHA256: e.SHA256, StorePath: e.StorePath,
			Target: t.s.Target, URL: e.URL, Links: e.Links, Expires: e.Expires}
	}
	return out, nil
}

// StartDownload records a download whose partial file exists.
func (t Ledger) StartDownload(ctx context.Context, d transfer.JournalJob) (int64, error) {
	return t.l.StartDownload(ctx, t.s, store.Download{Handle: d.Handle, Dest: d.LocalPath, Partial: d.Partial, ETag: d.ETag, Size: d.Size})
}

// SaveDownload updates a download's partial file and ETag.
func (t Ledger) SaveDownload(ctx context.Context, id int64, partial, etag string) error {
	return t.l.SaveDownload(ctx, id, partial, etag)
}

// FinishDownload removes a download from the journal.
func (t Ledger) FinishDownload(ctx context.Context, id int64) error {
	return t.l.FinishDownload(ctx, id)
}

// Downloads lists the scope's unfinished downloads, oldest first.
func (t Ledger) Downloads(ctx context.Context) ([]transfer.JournalJob, error) {
	ds, err := t.l.Downloads(ctx, t.s)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.JournalJob, len(ds))
	for i, d := range ds {
		out[i] = transfer.JournalJob{ID: d.ID, Dir: transfer.Download, LocalPath: d.Dest, Size: d.Size,
			Handle: d.Handle, Partial: d.Partial, ETag: d.ETag, Created: d.Created, Updated: d.Updated}
	}
	return out, nil
}

// OwnedPartials lists the partial files of every journaled download.
func (t Ledger) OwnedPartials(ctx context.Context) ([]string, error) {
	return t.l.OwnedPartials(ctx)
}
