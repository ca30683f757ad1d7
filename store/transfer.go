package store

import (
	"context"

	"github.com/fsdeck/fsdeck/internal/transfer"
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

// RecordUpload adds a finished upload to the ledger, in the bound scope
// (whose Target is the upload's).
func (t TransferStore) RecordUpload(ctx context.Context, u transfer.Uploaded) error {
	return t.l.Add(ctx, t.s, Entry{Handle: u.Handle, Filename: u.Filename, Size: u.Size, Mimetype: u.Mimetype,
		Uploaded: u.At, Source: SourceUpload, LocalPath: u.LocalPath, SHA256: u.SHA256, StorePath: u.StorePath,
		URL: u.URL, Links: u.Links, Expires: u.Expires})
}

var _ transfer.UploadIndex = TransferStore{}

// FindBySHA256 lists the scope's uploads (not marked gone) whose content
// has the SHA-256 sum, for the engine's duplicate check.
func (t TransferStore) FindBySHA256(ctx context.Context, sum string) ([]transfer.Uploaded, error) {
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

var _ transfer.DownloadJournal = TransferStore{}

// StartDownload records a download whose partial file exists.
func (t TransferStore) StartDownload(ctx context.Context, d transfer.JournalJob) (int64, error) {
	return t.l.StartDownload(ctx, t.s, Download{Handle: d.Handle, Dest: d.LocalPath, Partial: d.Partial, ETag: d.ETag, Size: d.Size})
}

// SaveDownload updates a download's partial file and ETag.
func (t TransferStore) SaveDownload(ctx context.Context, id int64, partial, etag string) error {
	return t.l.SaveDownload(ctx, id, partial, etag)
}

// FinishDownload removes a download from the journal.
func (t TransferStore) FinishDownload(ctx context.Context, id int64) error {
	return t.l.FinishDownload(ctx, id)
}

// Downloads lists the scope's unfinished downloads, oldest first.
func (t TransferStore) Downloads(ctx context.Context) ([]transfer.JournalJob, error) {
	ds, err := t.l.Downloads(ctx, t.s)
	if err != nil {
		return nil, err
	}
	out := make([]transfer.JournalJob, len(ds))
	for i, d := range ds {
		out[i] = transfer.JournalJob{ID: d.ID, Dir: transfer.Download, LocalPath: d.Dest, Size: d.Size,
			Handle: d.Handle, Partial: d.Partial, ETag: d.ETag}
	}
	return out, nil
}

// OwnedPartials lists the partial files of every journaled download.
func (t TransferStore) OwnedPartials(ctx context.Context) ([]string, error) {
	return t.l.OwnedPartials(ctx)
}
