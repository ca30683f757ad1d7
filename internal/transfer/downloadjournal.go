package transfer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// StalePartialAge is how old (by modification time) a partial download
// file no journal owns must be before CleanPartials removes it: a younger
// one may belong to a download another fsdeck is running and has not
// journaled yet.
const StalePartialAge = 10 * time.Minute

// journaledDownload is a download job continuing a journal entry: its
// partial file counts as already received.
func (e *Engine) journaledDownload(jj JournalJob) *job {
	name := filepath.Base(jj.LocalPath)
	j := &job{dir: Download, name: name, path: jj.LocalPath, handle: jj.Handle, size: jj.Size,
		journalID: jj.ID, part: partial{path: jj.Partial, etag: jj.ETag}}
	j.live = newLive(jj.Size, nil, e.opts.SpeedWindow, time.Time{})
	if info, err := os.Stat(jj.Partial); jj.Partial != "" && err == nil {
		j.live.acked, j.live.resumed = info.Size(), info.Size()
	}
	return j
}

// finishJournaled removes a finished or given-up job from its journal.
func finishJournaled(ctx context.Context, jn Journal, dir Direction, id int64) error {
	if dir == Upload {
		return jn.FinishJob(ctx, id)
	}
	if dj, ok := jn.(DownloadJournal); ok {
		return dj.FinishDownload(ctx, id)
	}
	return nil
}

// discardDownload forgets a journaled download and removes its partial file.
func discardDownload(ctx context.Context, jn Journal, j JournalJob) error {
	var errs []error
	if j.Partial != "" {
		if err := os.Remove(j.Partial); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("removing the partial download of %s: %s", j.LocalPath, text.FSError(err, true)))
		}
	}
	if err := finishJournaled(ctx, jn, Download, j.ID); err != nil {
		errs = append(errs, fmt.Errorf("forgetting the download of %s: %w", j.LocalPath, err))
	}
	return errors.Join(errs...)
}

// journalDownload records the download's partial file and ETag when they
// are new, so that a crash leaves it resumable; it returns the journal id
// (0: the journal keeps no downloads, or recording failed, which stays on
// the job as a warning).
func (e *Engine) journalDownload(j *job, id int64, part partial, saved *partial) int64 {
	dj, ok := j.target.Journal.(DownloadJournal)
	if !ok || part.path == "" || part == *saved {
		return id
	}
	ctx, cancel := e.bookkeeping()
	defer cancel()
	var err error
	if id == 0 {
		id, err = dj.StartDownload(ctx, JournalJob{Dir: Download, LocalPath: j.path, Size: j.size, Handle: j.handle,
			Partial: part.path, ETag: part.etag})
	} else {
		err = dj.SaveDownload(ctx, id, part.path, part.etag)
	}
	if err != nil {
		e.warn(j, "journal: recording the download failed, so it cannot be resumed after a crash: "+err.Error())
		return id
	}
	*saved = part
	e.mu.Lock()
	j.journalID = id
	e.mu.Unlock()
	return id
}

// CleanPartials removes partial download files (PartialPrefix) that no
// journal owns and that were not modified for StalePartialAge: what a
// crash of an fsdeck without a download journal, or a download that was
// never journaled, left behind. It looks in dirs (those the front end
// knows, such as its download directory) and in the directories of the
// current target's journaled downloads; files of this engine's jobs and of
// any journaled download are kept. A front end calls it once at start,
// off its event loop. It returns the removed paths.
func (e *Engine) CleanPartials(ctx context.Context, dirs ...string) ([]string, error) {
	e.mu.Lock()
	jn := e.target.Journal
	owned := map[string]bool{}
	for _, j := range e.jobs {
		if j.part.path != "" {
			owned[filepath.Clean(j.part.path)] = true
		}
	}
	e.mu.Unlock()
	dj, ok := jn.(DownloadJournal)
	if ok {
		paths, err := dj.OwnedPartials(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing journaled downloads: %w", err)
		}
		for _, p := range paths {
			owned[filepath.Clean(p)] = true
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	return removeStale(dirs, owned, e.now().Add(-StalePartialAge))
}

// removeStale removes the unowned partial files older than before in dirs.
func removeStale(dirs []string, owned map[string]bool, before time.Time) ([]string, error) {
	var removed []string
	var errs []error
	seen := map[string]bool{}
	for _, d := range dirs {
		d = filepath.Clean(d)
		if seen[d] {
			continue
		}
		seen[d] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			continue // a directory that went away holds nothing to clean
		}
		for _, en := range entries {
			p := filepath.Join(d, en.Name())
			if !strings.HasPrefix(en.Name(), PartialPrefix) || !en.Type().IsRegular() || owned[p] {
				continue
			}
			info, err := en.Info()
			if err != nil || info.ModTime().After(before) {
				continue
			}
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("removing %s: %s", p, text.FSError(err, true)))
				continue
			}
			removed = append(removed, p)
		}
	}
	return removed, errors.Join(errs...)
}
