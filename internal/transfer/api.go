package transfer

import (
	"context"
	"errors"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Journal keeps unfinished uploads so that a later run can resume them. A
// job is started before its first byte is sent, its session saved each time
// a part is stored, and finished when the upload is done or given up.
type Journal interface {
	StartJob(ctx context.Context, localPath string, size int64) (int64, error)
	SaveSession(ctx context.Context, id int64, session string) error
	FinishJob(ctx context.Context, id int64) error
	Jobs(ctx context.Context) ([]JournalJob, error)
}

// JournalJob is an unfinished transfer as the journal keeps it. For an
// upload, Session is the target's session as it journals it
// (hosts.Session.Journal; "" when the upload had not started yet). For a download (Dir), LocalPath is the destination,
// Handle the remote file, Partial the partial file holding what arrived
// and ETag the content it belongs to.
type JournalJob struct {
	ID        int64
	LocalPath string
	Size      int64
	Session   string

	Dir     Direction
	Handle  string
	Partial string
	ETag    string

	// Created and Updated are when the journal first recorded the
	// transfer and last saved it (zero when the journal does not say).
	Created, Updated time.Time
}

// DownloadJournal is an optional interface of a Journal: it keeps
// unfinished downloads, so that a download survives a crash (Unfinished
// then lists it, and ResumeJobs continues its partial file). Without it,
// partial downloads last only as long as the engine.
type DownloadJournal interface {
	// StartDownload records a download once its partial file exists.
	StartDownload(ctx context.Context, d JournalJob) (int64, error)
	// SaveDownload updates the partial file and the ETag of its content.
	SaveDownload(ctx context.Context, id int64, partial, etag string) error
	FinishDownload(ctx context.Context, id int64) error
	Downloads(ctx context.Context) ([]JournalJob, error)
	// OwnedPartials lists the partial files of every journaled download in
	// the store, whatever its endpoint and key, so that CleanPartials never
	// removes one another scope (or another process) will resume.
	OwnedPartials(ctx context.Context) ([]string, error)
}

// Ledger records finished uploads (the remote pane lists them).
type Ledger interface {
	RecordUpload(ctx context.Context, u Uploaded) error
}

// Uploaded is a finished upload as the ledger records it. Handle is the
// service's id of the file (a Filestack handle, an ImgBB id, …).
type Uploaded struct {
	Handle    string
	Filename  string
	Size      int64
	Mimetype  string
	At        time.Time
	LocalPath string
	SHA256    string
	StorePath string
	// Target is the target's registry name (a ledger's own rows may say
	// "" for Filestack's, recorded before targets existed).
	Target string
	// URL is the service's main URL ("" where Capabilities.DerivedURL:
	// Filestack's CDN URL is computed from the handle); Links its
	// labelled extra URLs.
	URL   string
	Links []hosts.Link
	// Expires is when the service deletes the file (zero: never).
	Expires time.Time
}

// Target is where jobs go: the service and the journal and ledger of its
// endpoint and key. A job keeps the target it was added with.
//
// The engine asks the service for capabilities, never for its name: an
// upload goes through its PartUploader when it has one (parts journaled
// as they are stored, resumed after a pause, a quit or a crash), else
// through Target.Upload in one request (not journaled; checked against
// its Capabilities before a byte is sent). A download by id goes through
// its RangeDownloader (a partial file continued with a Range request);
// a file the service serves at a URL comes through a Fetcher instead.
type Target struct {
	// Service is the target files go to (Filestack, ImgBB, …).
	Service hosts.Target
	// UploadOptions are the options every upload through Service.Upload
	// uses (expiry, privacy), checked against its Capabilities before a
	// byte is sent.
	UploadOptions hosts.UploadOptions
	Journal       Journal
	Ledger        Ledger
}

// name is the target's registry name ("" without a service).
func (t Target) name() string {
	if t.Service == nil {
		return ""
	}
	return t.Service.Name()
}

// ranged reports whether the service downloads by id, continuing a
// partial file.
func (t Target) ranged() bool {
	_, ok := t.Service.(hosts.RangeDownloader)
	return ok
}

// complete reports whether jobs of dir can run against t.
func (t Target) complete(dir Direction) bool {
	if t.Journal == nil || t.Ledger == nil || t.Service == nil {
		return false
	}
	return dir == Upload || t.ranged()
}

// Options configure an engine. Zero values take the defaults noted.
type Options struct {
	Target Target
	// FileConcurrency is how many jobs run at once (default 4).
	FileConcurrency int
	// PartConcurrency is how many parts of one upload are sent at once
	// (default 8), where the target uploads in parts. Where and how the
	// target stores files (Filestack's storage options, intelligent
	// ingestion) is the target's own configuration.
	PartConcurrency int
	// Now is the engine's clock (default time.Now).
	Now func() time.Time
	// SpeedWindow is the rolling window of speed and ETA (default 5 s).
	SpeedWindow time.Duration
	// BookkeepingTimeout bounds each journal and ledger call (default 30 s).
	// They run outside the transfer's context, so that a cancelled or
	// paused upload is still recorded correctly.
	BookkeepingTimeout time.Duration
}

// Errors returned by the engine's methods.
var (
	// ErrClosed: the engine was shut down.
	ErrClosed = errors.New("the transfer engine is shut down")
	// ErrUnknownJob: no job has the id (it may have been cleared).
	ErrUnknownJob = errors.New("no such transfer")
	// ErrNoTarget: the target lacks a service, journal or ledger, or
	// (downloads by id) a service that downloads by id.
	ErrNoTarget = errors.New("the transfer target lacks a client, journal or ledger")
)

// Causes of a stopped transfer's context.
var (
	errPaused    = errors.New("paused")
	errCancelled = errors.New("cancelled")
	errShutdown  = errors.New("shutting down")
)

// JobID identifies a job within one engine.
type JobID int64

// GroupID identifies a group of jobs: one AddUploads, AddDownloads or
// ResumeJobs call.
type GroupID int64

// Direction says whether a job uploads or downloads.
type Direction int

// Directions.
const (
	Upload Direction = iota
	Download
)

func (d Direction) String() string {
	switch d {
	case Download:
		return "download"
	case Copy:
		return "copy"
	case Move:
		return "move"
	}
	return "upload"
}

// State is a job's state.
type State int

// States. Queued jobs start as file concurrency allows; Paused ones wait
// for Resume; Done, Failed and Cancelled are final until Retry.
const (
	Queued State = iota
	Running
	Paused
	Done
	Failed
	Cancelled
)

var stateNames = [...]string{"queued", "running", "paused", "done", "failed", "cancelled"}

func (s State) String() string {
	if int(s) >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Finished reports whether the state is final (until Retry).
func (s State) Finished() bool { return s == Done || s == Failed || s == Cancelled }

// PartState is one part of a multipart upload.
type PartState uint8

// Part states. Only PartDone parts count as acknowledged.
const (
	PartPending PartState = iota
	PartSending
	PartRetrying
	PartDone
)
