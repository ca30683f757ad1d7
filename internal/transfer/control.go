package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// AddUploads queues files (from Expand) as one group called name and
// returns at once. Files Expand could not read become failed jobs with the
// reason.
func (e *Engine) AddUploads(name string, files []UploadFile) (GroupID, error) {
	return e.add(name, Upload, uploadJobs(files))
}

// AddUploadsTo is AddUploads to an explicit target instead of the engine's
// current one (to send files to another hosting service without switching).
func (e *Engine) AddUploadsTo(t Target, name string, files []UploadFile) (GroupID, error) {
	jobs := uploadJobs(files)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return 0, ErrClosed
	}
	if !t.complete(Upload) {
		return 0, ErrNoTarget
	}
	return e.addGroup(name, Upload, t, jobs), nil
}

func uploadJobs(files []UploadFile) []*job {
	jobs := make([]*job, 0, len(files))
	for _, f := range files {
		j := &job{name: displayName(f), path: f.Path, storePath: f.StorePath, size: f.Size}
		if f.Err != "" {
			j.state, j.err = Failed, f.Err
		}
		jobs = append(jobs, j)
	}
	return jobs
}

// RemoteFile is a file to download.
type RemoteFile struct {
	Handle   string
	Filename string
	// Size is the expected size, for totals before the download starts
	// (0 or less: unknown).
	Size int64
	// From fetches the bytes instead of the target's Filestack client
	// (nil: Filestack, by Handle). See Fetcher.
	From Fetcher
}

// AddDownloads queues remote files for download into dir as one group
// called name. Each is saved under SafeLocalName of its file name; a taken
// name gets " (1)", " (2)"… when the download finishes, so nothing is
// overwritten.
func (e *Engine) AddDownloads(name, dir string, files []RemoteFile) (GroupID, error) {
	jobs := make([]*job, 0, len(files))
	for _, f := range files {
		jobs = append(jobs, downloadJob(dir, f))
	}
	return e.add(name, Download, jobs)
}

func (e *Engine) add(name string, dir Direction, jobs []*job) (GroupID, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return 0, ErrClosed
	}
	if !e.target.complete(dir) {
		return 0, ErrNoTarget
	}
	return e.addGroup(name, dir, e.target, jobs), nil
}

// Unfinished lists the transfers an earlier run (or a crashed one) left in
// the current target's journal, for a front end to offer ResumeJobs or
// DiscardJobs: uploads, then downloads when the journal is a
// DownloadJournal (Dir tells them apart).
func (e *Engine) Unfinished(ctx context.Context) ([]JournalJob, error) {
	e.mu.Lock()
	t := e.target
	e.mu.Unlock()
	if t.Journal == nil {
		return nil, ErrNoTarget
	}
	jobs, err := t.Journal.Jobs(ctx)
	if err != nil {
		return nil, err
	}
	if dj, ok := t.Journal.(DownloadJournal); ok {
		ds, err := dj.Downloads(ctx)
		if err != nil {
			return jobs, err
		}
		jobs = append(jobs, ds...)
	}
	return jobs, nil
}

// ResumeJobs queues journaled transfers as one group. An upload sends only
// the parts its session says the server lacks (restarting cleanly when the
// file changed, the session belongs to another server or the server no
// longer knows it); a job whose session cannot be read starts over, with a
// warning saying so. A download continues its partial file.
func (e *Engine) ResumeJobs(name string, jobs []JournalJob) (GroupID, error) {
	out, dir := e.journaledJobs(jobs)
	return e.add(name, dir, out)
}

// journaledJobs makes the jobs of ResumeJobs, and says whether they
// upload or download (a mix counts as uploads, as ResumeJobs always did).
func (e *Engine) journaledJobs(jobs []JournalJob) ([]*job, Direction) {
	out := make([]*job, 0, len(jobs))
	dir := Download
	for _, jj := range jobs {
		if jj.Dir == Download {
			out = append(out, e.journaledDownload(jj))
			continue
		}
		dir = Upload
		j := &job{name: filepath.Base(jj.LocalPath), path: jj.LocalPath, size: jj.Size, journalID: jj.ID}
		if jj.Session != "" {
			s, err := e.readSession(jj.Session)
			if err != nil {
				j.warnings = append(j.warnings, "journal: the saved session cannot be read, so the upload starts over: "+err.Error())
			} else {
				j.resume, j.storePath = &s, s.StorePath
				j.name = displayName(UploadFile{Path: jj.LocalPath, StorePath: s.StorePath})
			}
		}
		out = append(out, j)
	}
	return out, dir
}

// AppendUploads adds files to group g, which AddUploads made: a front end
// that walks a large tree queues it in batches as the jobs before end
// (TakeFinished), so that only a batch's jobs exist at once, and the
// group's totals grow as it goes. ErrUnknownJob: no such upload group.
func (e *Engine) AppendUploads(g GroupID, files []UploadFile) error {
	return e.appendTo(g, Upload, uploadJobs(files))
}

// AppendResumed adds journaled uploads to group g, which ResumeJobs made
// (see AppendUploads).
func (e *Engine) AppendResumed(g GroupID, jobs []JournalJob) error {
	out, _ := e.journaledJobs(jobs)
	return e.appendTo(g, Upload, out)
}

// appendTo adds jobs to the existing group g of direction dir, going to
// the current target.
func (e *Engine) appendTo(g GroupID, dir Direction, jobs []*job) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if !e.target.complete(dir) {
		return ErrNoTarget
	}
	for _, gr := range e.groups {
		if gr.id == g && gr.dir == dir {
			e.addJobs(gr, e.target, jobs)
			return nil
		}
	}
	return ErrUnknownJob
}

// readSession reads a journaled upload session through the current
// target, the one that journaled it.
func (e *Engine) readSession(journaled string) (hosts.Session, error) {
	e.mu.Lock()
	svc := e.target.Service
	e.mu.Unlock()
	pu, ok := svc.(hosts.PartUploader)
	if !ok {
		return hosts.Session{}, errors.New("the target does not resume uploads")
	}
	return pu.ReadSession(journaled)
}

// DiscardJobs removes journaled transfers the person gave up on (and the
// partial files of downloads).
func (e *Engine) DiscardJobs(ctx context.Context, jobs []JournalJob) error {
	e.mu.Lock()
	t := e.target
	e.mu.Unlock()
	if t.Journal == nil {
		return ErrNoTarget
	}
	var errs []error
	for _, j := range jobs {
		if j.Dir == Download {
			errs = append(errs, discardDownload(ctx, t.Journal, j))
			continue
		}
		if err := t.Journal.FinishJob(ctx, j.ID); err != nil {
			errs = append(errs, fmt.Errorf("forgetting the upload of %s: %w", j.LocalPath, err))
		}
	}
	return errors.Join(errs...)
}

// Pause stops a running or queued job; Resume continues it from where it
// stopped (an upload sends only the missing parts, a download asks for the
// rest of its partial file).
func (e *Engine) Pause(id JobID) error { return e.act(id, e.pause) }

// Resume queues a paused job again.
func (e *Engine) Resume(id JobID) error { return e.act(id, e.resume) }

// Cancel stops a job for good: an upload leaves the journal, a download
// removes its partial file. Retry starts a cancelled job from zero.
func (e *Engine) Cancel(id JobID) error { return e.act(id, e.cancel) }

// Retry queues a failed or cancelled job again: a failed upload resumes its
// session, a failed download its partial file; a cancelled job starts over.
func (e *Engine) Retry(id JobID) error { return e.act(id, e.retry) }

// PauseAll pauses every running and queued job and returns how many.
func (e *Engine) PauseAll() int { return e.actAll(0, e.pause) }

// ResumeAll queues every paused job again and returns how many.
func (e *Engine) ResumeAll() int { return e.actAll(0, e.resume) }

// CancelAll cancels every job not done or cancelled already (failed ones
// included) and returns how many.
func (e *Engine) CancelAll() int { return e.actAll(0, e.cancel) }

// PauseGroup pauses a group's running and queued jobs; it returns how many.
func (e *Engine) PauseGroup(g GroupID) int { return e.actAll(g, e.pause) }

// ResumeGroup queues a group's paused jobs again; it returns how many.
func (e *Engine) ResumeGroup(g GroupID) int { return e.actAll(g, e.resume) }

// CancelGroup cancels a group's jobs not done or cancelled already; it
// returns how many.
func (e *Engine) CancelGroup(g GroupID) int { return e.actAll(g, e.cancel) }

// RetryGroup queues a group's failed and cancelled jobs again; it returns
// how many.
func (e *Engine) RetryGroup(g GroupID) int { return e.actAll(g, e.retry) }

// The actions on one job report whether they applied; the caller holds e.mu.

func (e *Engine) pause(j *job) bool {
	if j.state != Running && j.state != Queued {
		return false
	}
	e.stop(j, errPaused)
	return true
}

func (e *Engine) resume(j *job) bool {
	if j.state != Paused {
		return false
	}
	e.enqueue(j)
	return true
}

func (e *Engine) cancel(j *job) bool {
	if j.state == Done || j.state == Cancelled {
		return false
	}
	e.stop(j, errCancelled)
	return true
}

func (e *Engine) retry(j *job) bool {
	if j.state != Failed && j.state != Cancelled {
		return false
	}
	if j.state == Cancelled {
		j.resume, j.journalID, j.part = nil, 0, partial{}
	}
	e.enqueue(j)
	return true
}

func (e *Engine) act(id JobID, f func(*job) bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	j := e.byID(id)
	if j == nil {
		return ErrUnknownJob
	}
	if f(j) {
		e.schedule()
		e.changed()
	}
	return nil
}

// actAll applies f to every job of group g (0: of all groups).
func (e *Engine) actAll(g GroupID, f func(*job) bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, j := range e.jobs {
		if (g == 0 || j.group == g) && f(j) {
			n++
		}
	}
	if n > 0 {
		e.schedule()
		e.changed()
	}
	return n
}

// ClearFinished drops done and cancelled jobs (and groups left empty) from
// snapshots and returns how many jobs went.
func (e *Engine) ClearFinished() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	kept := e.jobs[:0]
	used := map[GroupID]bool{}
	for _, j := range e.jobs {
		if j.state == Done || j.state == Cancelled {
			continue
		}
		kept = append(kept, j)
		used[j.group] = true
	}
	n := len(e.jobs) - len(kept)
	clear(e.jobs[len(kept):])
	e.jobs = kept
	groups := e.groups[:0]
	for _, g := range e.groups {
		if used[g.id] {
			groups = append(groups, g)
		} else {
			delete(e.retired, g.id)
		}
	}
	clear(e.groups[len(groups):])
	e.groups = groups
	e.changed()
	return n
}

// stop cancels a running job with a cause (its goroutine settles the
// state), or settles a queued, paused or failed one at once; cancelling
// drops its journal entry or partial download in the background. The
// caller holds e.mu.
func (e *Engine) stop(j *job, cause error) {
	switch j.state {
	case Running:
		j.stopWith(cause)
	case Queued:
		j.state = Paused
		if cause == errCancelled {
			j.state = Cancelled
			e.forget(j)
		}
	case Paused, Failed:
		if cause == errCancelled {
			j.state = Cancelled
			e.forget(j)
		}
	}
}

// forget removes what a cancelled job leaves behind: its partial file or
// its journal entry. It runs in the background, tracked for Shutdown; a
// failure stays on the job as a warning. The caller holds e.mu.
func (e *Engine) forget(j *job) {
	part, id, t := j.part.path, j.journalID, j.target
	j.part, j.journalID, j.resume = partial{}, 0, nil
	if part == "" && id == 0 {
		return
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		if part != "" {
			if err := os.Remove(part); err != nil && !errors.Is(err, fs.ErrNotExist) {
				e.warn(j, "could not remove the partial file: "+text.FSError(err, true))
			}
		}
		if id != 0 {
			ctx, cancel := e.bookkeeping()
			defer cancel()
			if err := finishJournaled(ctx, t.Journal, j.dir, id); err != nil {
				e.warn(j, "journal: removing the cancelled "+j.dir.String()+" failed, so the next start may offer to resume it: "+err.Error())
			}
		}
	}()
}

// Shutdown stops running transfers (uploads, and downloads when the
// journal is a DownloadJournal, stay journaled for the next start), waits
// up to wait for them to wind down, and removes the partial files of
// downloads no journal keeps, which cannot be resumed after exit. It reports whether
// every transfer stopped in time. The engine accepts no jobs afterwards.
func (e *Engine) Shutdown(wait time.Duration) bool {
	e.mu.Lock()
	e.closed = true
	for _, j := range e.jobs {
		if j.state == Running {
			j.stopWith(errShutdown)
		}
	}
	e.mu.Unlock()
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	t := time.NewTimer(wait)
	defer t.Stop()
	stopped := true
	select {
	case <-done:
	case <-t.C:
		stopped = false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, j := range e.jobs {
		if j.part.path != "" && j.state != Running && j.journalID == 0 {
			os.Remove(j.part.path)
			j.part = partial{}
		}
	}
	e.changed()
	return stopped
}
