package ui

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/store"
)

// Causes passed to a transfer's cancel function.
var (
	errPaused    = errors.New("paused")
	errCancelled = errors.New("cancelled")
	// errQuit stops transfers when fsdeck exits: uploads stay journaled,
	// partial downloads are removed.
	errQuit = errors.New("quitting")
)

// uploadFile is one file an upload request expanded to; err says why it
// cannot be uploaded (it vanished, is unreadable, is not a regular file).
type uploadFile struct {
	path      string
	storePath string
	size      int64
	err       string
}

// expandedMsg is the result of walking an upload request.
type expandedMsg struct {
	files []uploadFile
}

// expandUploads walks directories in a command: every regular file below
// them is uploaded with its path relative to the pane's directory as the
// store path. What cannot be uploaded (vanished or unreadable files and
// directories, sockets, devices) is listed with the reason.
func expandUploads(paths []string, base, prefix string) tea.Cmd {
	return func() tea.Msg {
		var out expandedMsg
		skip := func(p, storePath, why string) {
			out.files = append(out.files, uploadFile{path: p, storePath: storePath, err: why})
		}
		for _, p := range paths {
			info, err := os.Stat(p)
			if err != nil {
				skip(p, storePathFor(prefix, ""), describeFSError(err))
				continue
			}
			if !info.IsDir() {
				if info.Mode().IsRegular() {
					out.files = append(out.files, uploadFile{path: p, size: info.Size(), storePath: storePathFor(prefix, "")})
				} else {
					skip(p, storePathFor(prefix, ""), "not a regular file")
				}
				continue
			}
			filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
				rel, _ := filepath.Rel(base, fp)
				sp := storePathFor(prefix, filepath.ToSlash(rel))
				if err != nil {
					skip(fp, sp, describeFSError(err))
					return nil
				}
				if d.IsDir() {
					return nil
				}
				fi, err := os.Stat(fp)
				switch {
				case err != nil:
					skip(fp, sp, describeFSError(err))
				case !fi.Mode().IsRegular():
					skip(fp, sp, "not a regular file")
				default:
					out.files = append(out.files, uploadFile{path: fp, size: fi.Size(), storePath: sp})
				}
				return nil
			})
		}
		return out
	}
}

// storePathFor joins the configured prefix and a relative path; a lone
// prefix ending in "/" keeps Filestack's "folder" meaning.
func storePathFor(prefix, rel string) string {
	if rel == "" {
		return prefix
	}
	if prefix == "" {
		return rel
	}
	return path.Join(strings.TrimSuffix(prefix, "/"), rel)
}

// uploadDoneMsg is the final result of an upload command; it is returned
// by the command itself so completion is never dropped. journalErr says
// the journal could not be written (the upload went on, unresumable).
type uploadDoneMsg struct {
	id         int
	file       *filestack.File
	err        error
	cause      error
	jobID      int64
	journalErr error
}

// uploadJob is everything an upload command needs, captured by value.
type uploadJob struct {
	id          int
	path        string
	store       filestack.StoreOptions
	jobID       int64
	resume      *filestack.Session
	partConc    int
	intelligent bool
	remote      Remote
	ledger      Ledger
	scope       store.Scope
	live        *live
	wake        chan<- struct{}
	now         func() time.Time
}

// runUpload uploads one file. Sessions are journaled from a goroutine of
// their own so the progress callback never waits on the database.
func runUpload(ctx context.Context, j uploadJob) tea.Cmd {
	return func() tea.Msg {
		bg := context.Background()
		var journalErr error
		if j.jobID == 0 {
			if info, err := os.Stat(j.path); err == nil {
				j.jobID, journalErr = j.ledger.StartJob(bg, j.scope, j.path, info.Size())
			}
		}
		sessions := make(chan filestack.Session, 1)
		journaled := make(chan error, 1)
		go func() { journaled <- journalSessions(j, sessions) }()
		hash := make(chan string, 1)
		go func() { hash <- fileSHA256(j.path) }()
		opts := filestack.UploadOptions{
			Store:           j.store,
			PartConcurrency: j.partConc,
			Intelligent:     j.intelligent,
			Progress:        func(e filestack.Event) { j.live.apply(e); poke(j.wake) },
			OnSession: func(s filestack.Session) {
				j.live.setSession(s)
				select { // keep only the newest session waiting
				case <-sessions:
				default:
				}
				sessions <- s
			},
		}
		var f *filestack.File
		var err error
		if j.resume != nil {
			f, err = j.remote.Resume(ctx, j.path, *j.resume, opts)
		} else {
			f, err = j.remote.Upload(ctx, j.path, opts)
		}
		close(sessions)
		journalErr = errors.Join(journalErr, <-journaled)
		cause := context.Cause(ctx)
		if err == nil {
			e := store.Entry{Handle: f.Handle, Filename: f.Filename, Size: f.Size, Mimetype: f.Mimetype,
				Uploaded: j.now(), Source: store.SourceUpload, LocalPath: j.path, SHA256: <-hash, StorePath: j.store.Path}
			if aerr := j.ledger.Add(bg, j.scope, e); aerr != nil {
				err = fmt.Errorf("uploaded as %s, but recording it in the ledger failed: %w", f.Handle, aerr)
			}
		}
		if (err == nil || errors.Is(cause, errCancelled)) && j.jobID != 0 {
			journalErr = errors.Join(journalErr, j.ledger.FinishJob(bg, j.jobID))
		}
		return uploadDoneMsg{id: j.id, file: f, err: err, cause: cause, jobID: j.jobID, journalErr: journalErr}
	}
}

// journalSessions saves each session as it comes; it returns the first
// error (later sessions are still tried).
func journalSessions(j uploadJob, sessions <-chan filestack.Session) error {
	var first error
	for s := range sessions {
		if j.jobID == 0 {
			continue
		}
		b, err := json.Marshal(s)
		if err == nil {
			err = j.ledger.SaveSession(context.Background(), j.jobID, string(b))
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// fileSHA256 hashes a file for the ledger ("is this already uploaded?").
func fileSHA256(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// downloadDoneMsg is the final result of a download command.
type downloadDoneMsg struct {
	id    int
	path  string
	err   error
	cause error
	// part is what a paused or failed download leaves to resume from.
	part downloadPart
}

// downloadPart is a partial download: its file next to the destination and
// the ETag of the content it holds.
type downloadPart struct {
	path string
	etag string
}

// runDownload writes to a partial file next to the destination and renames
// it into place at the end, so a failed download never leaves a partial file
// under the final name. A paused or failed download keeps its partial file
// (in part) and a later run continues it with a Range request; a cancelled
// one removes it.
func runDownload(ctx context.Context, id int, r Remote, handle, dest string, part downloadPart, lv *live, wake chan<- struct{}) tea.Cmd {
	return func() tea.Msg {
		f, offset, err := openPart(&part, dest)
		if err != nil {
			return downloadDoneMsg{id: id, err: err}
		}
		_, err = r.Download(ctx, handle, f, filestack.DownloadOptions{
			Offset: offset,
			ETag:   part.etag,
			OnETag: func(etag string) { part.etag = etag },
			Restart: func() error {
				lv.restartBytes("the server sent the whole file (it changed, or ignores ranges); downloading from the start")
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return err
				}
				return f.Truncate(0)
			},
			Progress: func(n, total int64) {
				lv.setBytes(n, total)
				poke(wake)
			},
		})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			final := uniquePath(dest)
			if err = os.Rename(part.path, final); err == nil {
				return downloadDoneMsg{id: id, path: final}
			}
		}
		cause := context.Cause(ctx)
		if errors.Is(cause, errCancelled) || errors.Is(cause, errQuit) {
			os.Remove(part.path)
			part = downloadPart{}
		}
		return downloadDoneMsg{id: id, err: err, cause: cause, part: part}
	}
}

// openPart opens the partial file to append to, or creates one; offset is
// how much it already holds.
func openPart(part *downloadPart, dest string) (*os.File, int64, error) {
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
		*part = downloadPart{}
	}
	f, err := createPart(filepath.Dir(dest))
	if err != nil {
		return nil, 0, fmt.Errorf("cannot write in %s: %s", filepath.Dir(dest), describeFSError(err))
	}
	part.path = f.Name()
	return f, 0, nil
}

// createPart makes a new hidden partial file in dir. Unlike os.CreateTemp
// (0600) it asks for 0666, so the finished download gets the permissions
// the user's umask gives any new file.
func createPart(dir string) (*os.File, error) {
	for {
		var b [8]byte
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, ".fsdeck-download-"+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// uniquePath adds " (1)", " (2)"… before the extension until the name is free.
func uniquePath(p string) string {
	if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return p
	}
	ext := filepath.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	for i := 1; ; i++ {
		c := fmt.Sprintf("%s (%d)%s", stem, i, ext)
		if _, err := os.Lstat(c); errors.Is(err, fs.ErrNotExist) {
			return c
		}
	}
}

// safeLocalName makes a remote filename usable as a local one: no path
// separators, no control characters, no reserved names.
func safeLocalName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20, r == 0x7f, r == '/', r == '\\', r == ':', r == '*', r == '?', r == '"', r == '<', r == '>', r == '|':
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	if name == "" {
		return fallback
	}
	return name
}

// transferTickMsg means progress moved; the root redraws and re-arms.
type transferTickMsg struct{}

// waitForProgress sleeps until a transfer pokes, then lets a frame's worth
// of progress accumulate, so redraws stay near 20 per second at most.
func waitForProgress(wake <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		<-wake
		time.Sleep(50 * time.Millisecond)
		return transferTickMsg{}
	}
}
