package transfers

import (
	"context"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// Engine is what the panel needs of the transfer engine: its snapshots
// and wake channel, adding jobs, acting on them, and the journal of an
// earlier run. *transfer.Engine is one; tests give a panel canned
// snapshots through their own.
type Engine interface {
	Wake() <-chan struct{}
	Snapshot() transfer.Snapshot
	SetTarget(t transfer.Target)

	AddUploads(name string, files []transfer.UploadFile) (transfer.GroupID, error)
	AddUploadsTo(t transfer.Target, name string, files []transfer.UploadFile) (transfer.GroupID, error)
	AddDownloads(name, dir string, files []transfer.RemoteFile) (transfer.GroupID, error)
	AddDownloadsTo(t transfer.Target, name, dir string, files []transfer.RemoteFile) (transfer.GroupID, error)
	AddLocal(name string, move bool, items []transfer.LocalItem) (transfer.GroupID, error)
	FindDuplicates(ctx context.Context, files []transfer.UploadFile, progress func(done, total int64)) ([]transfer.Duplicate, error)

	Pause(id transfer.JobID) error
	Resume(id transfer.JobID) error
	Cancel(id transfer.JobID) error
	Retry(id transfer.JobID) error
	PauseAll() int
	CancelAll() int
	ClearFinished() int
	PauseGroup(g transfer.GroupID) int
	ResumeGroup(g transfer.GroupID) int
	CancelGroup(g transfer.GroupID) int
	RetryGroup(g transfer.GroupID) int

	Unfinished(ctx context.Context) ([]transfer.JournalJob, error)
	ResumeJobs(name string, jobs []transfer.JournalJob) (transfer.GroupID, error)
	DiscardJobs(ctx context.Context, jobs []transfer.JournalJob) error
	CleanPartials(ctx context.Context, dirs ...string) ([]string, error)
	Shutdown(wait time.Duration) bool
}

var _ Engine = (*transfer.Engine)(nil)
