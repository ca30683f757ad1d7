package transfer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// partial is a partial download: its file next to the destination and the
// ETag of the content it holds.
type partial struct {
	path string
	etag string
}

// PartialPrefix starts the names of partial download files, hidden next to
// their destination until they are complete.
const PartialPrefix = ".fsdeck-download-"

// runDownload writes to a partial file next to the destination and renames
// it into place at the end, so a failed download never leaves a partial
// file under the final name. A paused or failed download keeps its partial
// file and a later run continues it with a Range request (If-Range on the
// ETag); a cancelled one, or one stopped at shutdown, removes it.
func (e *Engine) runDownload(ctx context.Context, j *job) {
	e.mu.Lock()
	dl := dlState{part: j.part, id: j.journalID}
	e.mu.Unlock()
	if dl.id != 0 {
		dl.saved = dl.part
	}
	final, err := e.download(ctx, j, &dl)
	cause := e.stopCause(ctx, j)
	cancelled := err != nil && errors.Is(cause, errCancelled)
	stopped := err != nil && (errors.Is(cause, errShutdown) || e.parent.Err() != nil)
	// A journaled download stopped at exit stays for the next start; a
	// fetch cannot be continued, so its partial file never stays.
	if cancelled || (stopped && dl.id == 0) || (err != nil && j.fetch != nil) {
		if rerr := os.Remove(dl.part.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			e.warn(j, "could not remove the partial file: "+text.FSError(rerr, true))
		}
		dl.part = partial{}
	}
	if dl.id != 0 && (err == nil || cancelled) {
		dl.id = e.finishDownloadJournal(j, dl.id)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended(j)
	j.part, j.journalID = dl.part, dl.id
	switch {
	case err == nil:
		j.state, j.savedAs = Done, final
	case errors.Is(cause, errPaused):
		j.state = Paused
	case errors.Is(cause, errCancelled):
		j.state = Cancelled
	case errors.Is(cause, errShutdown), e.parent.Err() != nil:
		j.state = Paused
	default:
		j.state, j.err, j.cause = Failed, downloadFailure(j, err), err
	}
	e.schedule()
	e.changed()
}

// downloadFailure words why a download failed: in the target's words when
// it downloaded the file, as the fetch said otherwise.
func downloadFailure(j *job, err error) string {
	if j.fetch != nil {
		return err.Error()
	}
	return hosts.DescribeFor(j.target.Service, err)
}

// dlState is a running download's partial file, its journal id and what
// the journal holds.
type dlState struct {
	part, saved partial
	id          int64
}

// finishDownloadJournal drops a done or cancelled download from the
// journal and returns the id left (0 when it was removed).
func (e *Engine) finishDownloadJournal(j *job, id int64) int64 {
	ctx, cancel := e.bookkeeping()
	defer cancel()
	if err := finishJournaled(ctx, j.target.Journal, Download, id); err != nil {
		e.warn(j, "journal: removing the finished download failed, so the next start may offer to resume it: "+err.Error())
		return id
	}
	return 0
}

// download fills the partial file and renames it to a free name beside the
// destination, which it returns.
func (e *Engine) download(ctx context.Context, j *job, dl *dlState) (string, error) {
	part := &dl.part
	f, offset, err := openPart(part, j.path)
	if err != nil {
		return "", err
	}
	if j.fetch == nil {
		dl.id = e.journalDownload(j, dl.id, *part, &dl.saved)
	}
	j.live.mu.Lock()
	j.live.acked, j.live.resumed = offset, offset
	j.live.mu.Unlock()
	if j.fetch != nil {
		err = e.fetchInto(ctx, j, f)
	} else {
		err = e.remoteDownload(ctx, j, f, offset, dl)
	}
	// What the partial file holds is what a resume continues from, also
	// when the last write was not reported before the download stopped.
	if pos, serr := f.Seek(0, io.SeekCurrent); serr == nil {
		j.live.mu.Lock()
		j.live.acked = pos
		j.live.mu.Unlock()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	final, err := publish(part.path, j.path)
	if err != nil {
		return "", fmt.Errorf("cannot move the download into place: %s", text.FSError(err, true))
	}
	*part = partial{}
	return final, nil
}

// remoteDownload runs the target's download of the job's id into f,
// continuing at offset.
func (e *Engine) remoteDownload(ctx context.Context, j *job, f *os.File, offset int64, dl *dlState) error {
	part := &dl.part
	rd, ok := j.target.Service.(hosts.RangeDownloader)
	if !ok {
		return ErrNoTarget // refused when the job was added
	}
	_, err := rd.DownloadRange(ctx, j.handle, f, hosts.RangeOptions{
		Offset: offset,
		ETag:   part.etag,
		OnETag: func(etag string) {
			part.etag = etag
			dl.id = e.journalDownload(j, dl.id, *part, &dl.saved)
		},
		Restart: func() error {
			j.live.restartDownload("the server sent the whole file (it changed, or ignores ranges); downloading from the start")
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			return f.Truncate(0)
		},
		Progress: func(n, total int64) {
			e.moved(j.live.written(n, total, e.now()))
			e.poke()
		},
		OnRetry: func(attempt int, err error) {
			j.live.downloadRetry(attempt, err)
			e.poke()
		},
	})
	return err
}

// openPart opens the partial file to append to, or creates one; offset is
// how much it already holds.
func openPart(part *partial, dest string) (*os.File, int64, error) {
	if part.path != "" {
		f, err := os.OpenFile(part.path, os.O_WRONLY, 0)
		if err == nil {
			offset, serr := f.Seek(0, io.SeekEnd)
			if serr == nil {
				return f, offset, nil
			}
			f.Close()
		}
		// The partial file went away: start over in a new one.
		*part = partial{}
	}
	f, err := CreatePartial(filepath.Dir(dest))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot write in %s: %s", filepath.Dir(dest), text.FSError(err, true))
	}
	part.path = f.Name()
	return f, 0, nil
}

// CreatePartial makes a new hidden partial file in dir. Unlike os.CreateTemp
// (0600) it asks for 0666, so the finished download gets the permissions
// the user's umask gives any new file.
func CreatePartial(dir string) (*os.File, error) {
	for {
		var b [8]byte
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, PartialPrefix+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// publish moves the finished partial file to dest, or to dest with " (1)",
// " (2)"… before the extension when that name is taken, and never replaces
// a file: a check-then-rename would overwrite a file created in between,
// such as a concurrent download of another file with the same name.
func publish(partial, dest string) (string, error) {
	ext := filepath.Ext(dest)
	stem := strings.TrimSuffix(dest, ext)
	for i := 0; ; i++ {
		c := dest
		if i > 0 {
			c = fmt.Sprintf("%s (%d)%s", stem, i, ext)
		}
		err := publishAs(partial, c)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

// publishAs puts partial at name only if nothing is there. A hard link
// fails with EEXIST instead of replacing; where links are unsupported
// (FAT, some Windows shares) an O_EXCL create reserves the name and the
// rename then replaces only that reservation of ours.
func publishAs(partial, name string) error {
	lerr := os.Link(partial, name)
	if lerr == nil {
		os.Remove(partial)
		return nil
	}
	if errors.Is(lerr, fs.ErrExist) {
		return lerr
	}
	if _, err := os.Lstat(partial); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	f.Close()
	if err := os.Rename(partial, name); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
