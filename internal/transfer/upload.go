package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// runUpload uploads one file through a target that uploads in parts:
// journaled from its first session on, then the ledger. Each session is
// saved before the target's OnSession returns, and the target sends no
// part after its start, nor another part from the worker of a stored one,
// until then: a process killed at any moment has journaled every part the
// server acknowledged but those in flight (the ledger's WAL commit is
// durable across a kill without an fsync). The target makes one call at
// a time, so parts acknowledged during a save go together in the next.
func (e *Engine) runUpload(ctx context.Context, j *job, pu hosts.PartUploader) {
	e.mu.Lock()
	journalID, resume, storePath := j.journalID, j.resume, j.storePath
	e.mu.Unlock()
	var jmu sync.Mutex // OnSession calls come one at a time; this orders them with the reads below
	var latest *hosts.Session
	journal := func(s hosts.Session) {
		jmu.Lock()
		defer jmu.Unlock()
		latest = &s
		// Journaled from the first session the server gave: an upload
		// refused at its start (a wrong key, a refused file) has
		// nothing to resume, so it must not be offered as unfinished.
		if journalID == 0 {
			journalID = e.startJournal(j)
		}
		e.saveSession(j, journalID, s)
	}
	hash := make(chan string, 1)
	go func() { hash <- fileSHA256(ctx, j.path) }()
	opts := e.partOptions(j, storePath, journal)
	var res hosts.Result
	var err error
	if resume != nil {
		res, err = pu.ResumeParts(ctx, j.path, *resume, opts)
	} else {
		res, err = pu.UploadParts(ctx, j.path, opts)
	}
	sum := <-hash
	if err == nil {
		err = e.record(j, res, sum, storePath)
	}
	cause := e.stopCause(ctx, j)
	jmu.Lock()
	defer jmu.Unlock()
	if err == nil || errors.Is(cause, errCancelled) {
		journalID = e.finishJournal(j, journalID)
	}
	if latest == nil {
		latest = resume
	}
	e.uploadEnded(j, res, err, cause, journalID, latest)
}

// partOptions are the target's options for one upload; progress goes to
// the job's live state and each session to journal, which returns once it
// is saved.
func (e *Engine) partOptions(j *job, storePath string, journal func(hosts.Session)) hosts.PartOptions {
	return hosts.PartOptions{
		StorePath:   storePath,
		Concurrency: e.opts.PartConcurrency,
		Progress: func(ev hosts.PartEvent) {
			e.moved(j.live.apply(ev, e.now()))
			e.poke()
		},
		OnSession: journal,
	}
}

// startJournal records the upload once the server has a session for it;
// a failure is kept on the job, which then cannot be resumed after a crash.
func (e *Engine) startJournal(j *job) int64 {
	info, err := os.Stat(j.path)
	if err != nil {
		return 0 // the client reports why the file cannot be read
	}
	ctx, cancel := e.bookkeeping()
	defer cancel()
	id, err := j.target.Journal.StartJob(ctx, j.path, info.Size())
	if err != nil {
		e.warn(j, "journal: recording the upload failed, so it cannot be resumed after a crash: "+err.Error())
		return 0
	}
	e.mu.Lock()
	j.journalID = id
	e.mu.Unlock()
	return id
}

func (e *Engine) saveSession(j *job, id int64, s hosts.Session) {
	if id == 0 {
		return
	}
	err := errors.New("the target gave no session to keep")
	if s.Journal != "" {
		ctx, cancel := e.bookkeeping()
		err = j.target.Journal.SaveSession(ctx, id, s.Journal)
		cancel()
	}
	if err != nil {
		e.warn(j, "journal: saving the upload session failed, so a resume would send parts again: "+err.Error())
	}
}

// finishJournal drops the job from the journal and returns the id left
// (0 when it was removed).
func (e *Engine) finishJournal(j *job, id int64) int64 {
	if id == 0 {
		return 0
	}
	ctx, cancel := e.bookkeeping()
	defer cancel()
	if err := j.target.Journal.FinishJob(ctx, id); err != nil {
		e.warn(j, "journal: removing the finished upload failed, so the next start may offer to resume it: "+err.Error())
		return id
	}
	return 0
}

// record adds a finished upload to the ledger; failing to is the job's
// error, since the remote pane would not show the file. A URL the target
// derives from the id is not kept.
func (e *Engine) record(j *job, r hosts.Result, sum, storePath string) error {
	ctx, cancel := e.bookkeeping()
	defer cancel()
	u := Uploaded{Handle: r.ID, Filename: r.Name, Size: r.Size, Mimetype: r.Mimetype, At: e.now(),
		LocalPath: j.path, SHA256: sum, StorePath: storePath, Target: j.target.name()}
	named := r.ID
	if !j.target.Service.Capabilities().DerivedURL {
		u.URL, u.Links, u.Expires, named = r.URL, r.Links, r.Expires, r.URL
	}
	if err := j.target.Ledger.RecordUpload(ctx, u); err != nil {
		return fmt.Errorf("uploaded as %s, but recording it in the ledger failed: %w", named, err)
	}
	return nil
}

// uploadEnded settles the job's state from the outcome and starts what may
// run next.
func (e *Engine) uploadEnded(j *job, r hosts.Result, err, cause error, journalID int64, latest *hosts.Session) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended(j)
	j.journalID = journalID
	switch {
	case err == nil:
		j.state, j.handle = Done, r.ID
		if !j.target.Service.Capabilities().DerivedURL {
			j.url = r.URL
		}
		j.resume = nil
	case errors.Is(cause, errPaused):
		j.state, j.resume = Paused, latest
	case errors.Is(cause, errCancelled):
		j.state, j.resume, j.journalID = Cancelled, nil, 0
	case errors.Is(cause, errShutdown), e.parent.Err() != nil:
		j.state, j.resume = Paused, latest
	default:
		j.state, j.err, j.cause, j.resume = Failed, hosts.DescribeFor(j.target.Service, err), err, latest
	}
	e.schedule()
	e.changed()
}

// fileSHA256 hashes a file for the ledger ("is this already uploaded?"),
// "" when it cannot. It gives up when ctx ends, so pausing a large upload
// does not wait for the hash of a file that will not be recorded now.
func fileSHA256(ctx context.Context, p string) string {
	sum, _ := HashFile(ctx, p)
	return sum
}

// ctxReader stops reading once its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
