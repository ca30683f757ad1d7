package transfer

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Local copies and moves run on the engine like transfers, so the
// transfers panel shows them with progress, pause, cancel and retry, and a
// copy of 10,000 files or 2 GB never blocks the interface. Each file,
// directory or link is one job (a group for the whole paste); progress is
// the bytes written to the destination, nothing else.

// Directions of local jobs.
const (
	// Copy copies a file, directory or link to another place.
	Copy Direction = iota + 2
	// Move copies, verifies, then removes the source (a move across file
	// systems: one within a file system is a rename and needs no job).
	Move
)

// LocalKind is what a local job makes at its destination.
type LocalKind int

// Local kinds.
const (
	LocalFile LocalKind = iota
	LocalDir
	LocalLink
)

// LocalItem is one entry of a local copy or move (from an expansion that
// read the sources with Lstat: a link is a LocalLink, never followed).
type LocalItem struct {
	Src, Dst string
	// Name is what the panel shows (the path below the paste's directory).
	Name string
	Kind LocalKind
	Size int64
	Mode fs.FileMode
	// ModTime is kept on copied files.
	ModTime time.Time
	// Overwrite lets the job replace a file or link at Dst (the person
	// chose "overwrite"); without it a taken Dst fails the job and
	// nothing is replaced, even a file created after the paste was asked.
	Overwrite bool
	// Root is a move's source root: once a moved entry's source is gone,
	// its emptied parent directories up to and including Root go too.
	Root string
	// Err, when set, makes the job fail at once with this reason (an
	// unreadable directory found by the expansion).
	Err string
}

// localConcurrency is how many local jobs run at once. One: on one disk
// more would mostly seek, and copying 10,000 small files must leave the
// other core to the interface (BenchmarkKeyPressDuringCopy in ui). They
// run beside transfers, in a lane of their own, so a big copy never holds
// up an upload.
const localConcurrency = 1

// push queues a job in its lane; the caller holds e.mu.
func (e *Engine) push(j *job) {
	if j.local != nil {
		e.localQueue = append(e.localQueue, j)
		return
	}
	e.queue = append(e.queue, j)
}

// count adds d to the running jobs of j's lane; the caller holds e.mu.
func (e *Engine) count(j *job, d int) {
	if j.local != nil {
		e.localRunning += d
		return
	}
	e.running += d
}

// scheduleLocal starts queued local jobs, oldest first; the caller holds
// e.mu (from schedule, which checks the engine is open).
func (e *Engine) scheduleLocal() {
	for e.localRunning < localConcurrency && len(e.localQueue) > 0 {
		j := e.localQueue[0]
		e.localQueue[0] = nil
		e.localQueue = e.localQueue[1:]
		if j.state == Queued {
			e.start(j)
		}
	}
}

// AddLocal queues local copies (move false) or moves as one group. Local
// jobs need no Filestack target.
func (e *Engine) AddLocal(name string, move bool, items []LocalItem) (GroupID, error) {
	dir := Copy
	if move {
		dir = Move
	}
	jobs := make([]*job, 0, len(items))
	for i := range items {
		it := items[i]
		j := &job{dir: dir, name: it.Name, path: it.Src, savedAs: it.Dst, size: it.Size, local: &it}
		if it.Kind != LocalFile {
			j.size = 0
		}
		if it.Err != "" {
			j.state, j.err = Failed, it.Err
		}
		jobs = append(jobs, j)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return 0, ErrClosed
	}
	return e.addGroup(name, dir, e.target, jobs), nil
}

// runLocal runs one local job and settles its state like a download's.
func (e *Engine) runLocal(ctx context.Context, j *job) {
	var err error
	e.localWorker.do(func() { err = e.local(ctx, j) })
	cause := e.stopCause(ctx, j)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended(j)
	switch {
	case err == nil:
		j.state = Done
	case errors.Is(cause, errPaused):
		j.state = Paused
	case errors.Is(cause, errCancelled):
		j.state = Cancelled
	case errors.Is(cause, errShutdown), e.parent.Err() != nil:
		j.state = Cancelled
	default:
		j.state, j.err, j.cause = Failed, err.Error(), err
	}
	e.schedule()
	e.changed()
}

func (e *Engine) local(ctx context.Context, j *job) error {
	it := j.local
	if err := ctx.Err(); err != nil {
		return err
	}
	var err error
	switch it.Kind {
	case LocalDir:
		err = os.MkdirAll(it.Dst, it.Mode.Perm()|0o700)
		if err != nil {
			return fmt.Errorf("cannot make the directory: %s", text.FSError(err, true))
		}
	case LocalLink:
		err = copyLink(it)
		if err == nil && j.dir == Move {
			if rerr := os.Remove(it.Src); rerr != nil {
				err = fmt.Errorf("linked, but removing the source link failed: %s", text.FSError(rerr, true))
			}
		}
	default:
		err = e.copyFile(ctx, j, it)
	}
	if err != nil || j.dir != Move {
		return err
	}
	removeEmptied(it)
	return nil
}

// removeEmptied removes a moved entry's source directory and its parents
// up to Root once they are empty (os.Remove refuses a directory that still
// holds something, such as a file whose move failed or is still queued:
// the last entry to go takes them).
func removeEmptied(it *LocalItem) {
	dir := it.Src
	if it.Kind != LocalDir {
		dir = filepath.Dir(it.Src)
	}
	for it.Root != "" {
		rel, err := filepath.Rel(it.Root, dir)
		if err != nil || rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
			return
		}
		if os.Remove(dir) != nil || rel == "." {
			return
		}
		dir = filepath.Dir(dir)
	}
}

// copyLink makes a link with the same target (never copying what it
// points to); a move then removes the source link.
func copyLink(it *LocalItem) error {
	target, err := os.Readlink(it.Src)
	if err != nil {
		return fmt.Errorf("cannot read the link: %s", text.FSError(err, true))
	}
	if err := os.MkdirAll(filepath.Dir(it.Dst), 0o777); err != nil {
		return fmt.Errorf("cannot make the directory: %s", text.FSError(err, true))
	}
	if fi, err := os.Lstat(it.Dst); err == nil {
		if !it.Overwrite || fi.IsDir() {
			return errors.New("the destination already exists (not replaced)")
		}
		if err := os.Remove(it.Dst); err != nil {
			return fmt.Errorf("cannot replace the destination: %s", text.FSError(err, true))
		}
	}
	if err := os.Symlink(target, it.Dst); err != nil {
		return fmt.Errorf("cannot make the link: %s", text.FSError(err, true))
	}
	return nil
}

// copyFile writes the source to a hidden file beside the destination and
// publishes it (replacing only when Overwrite), so a stopped copy never
// leaves a partial file under the final name. A move then checks the
// copy's size and SHA-256 against what was read before removing the
// source.
func (e *Engine) copyFile(ctx context.Context, j *job, it *LocalItem) error {
	src, err := openRegular(it.Src)
	if err != nil {
		return err
	}
	defer src.Close()
	dir := filepath.Dir(it.Dst)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("cannot make the directory: %s", text.FSError(err, true))
	}
	tmp, err := createTemp(dir, ".fsdeck-copy-")
	if err != nil {
		return fmt.Errorf("cannot write in the destination: %s", text.FSError(err, true))
	}
	var sum hash.Hash
	if j.dir == Move {
		sum = sha256.New()
	}
	n, err := e.pour(ctx, j, tmp, src, sum)
	if err == nil {
		err = finishTemp(tmp, it)
	} else {
		tmp.Close()
	}
	if err == nil {
		err = publishLocal(tmp.Name(), it)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if j.dir != Move {
		return nil
	}
	if err := verifyCopy(ctx, it.Dst, n, sum.Sum(nil)); err != nil {
		return err
	}
	if err := os.Remove(it.Src); err != nil {
		return fmt.Errorf("copied and verified, but removing the source failed: %s", text.FSError(err, true))
	}
	return nil
}

// openRegular opens a file the expansion saw as a regular file, refusing
// one that became something else (a link would be followed).
func openRegular(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the source: %s", text.FSError(err, true))
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("the source is no longer a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the source: %s", text.FSError(err, true))
	}
	if now, err := f.Stat(); err != nil || !os.SameFile(fi, now) {
		f.Close()
		return nil, errors.New("the source changed while being opened")
	}
	return f, nil
}

// pour copies src into dst in 1 MiB steps, counting written bytes as the
// job's progress and stopping when ctx ends.
func (e *Engine) pour(ctx context.Context, j *job, dst io.Writer, src io.Reader, sum hash.Hash) (int64, error) {
	// A small file gets a small buffer: zeroing 1 MiB for each of 10,000
	// small files would cost more than copying them (and feed the GC).
	buf := make([]byte, min(max(j.local.Size+1, 512), 1<<20))
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		r, rerr := src.Read(buf)
		if r > 0 {
			if sum != nil {
				sum.Write(buf[:r])
			}
			w, werr := dst.Write(buf[:r])
			n += int64(w)
			e.moved(j.live.written(n, 0, e.now()))
			e.poke()
			if werr != nil {
				return n, fmt.Errorf("cannot write the copy: %s", text.FSError(werr, true))
			}
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, fmt.Errorf("cannot read the source: %s", text.FSError(rerr, true))
		}
	}
}

// finishTemp gives the copy the source's permissions and time, and closes it.
func finishTemp(tmp *os.File, it *LocalItem) error {
	err := tmp.Chmod(it.Mode.Perm())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot finish the copy: %s", text.FSError(err, true))
	}
	if !it.ModTime.IsZero() {
		os.Chtimes(tmp.Name(), it.ModTime, it.ModTime)
	}
	return nil
}

// publishLocal puts the finished copy at its destination: replacing a
// file only when the person chose to, never a directory.
func publishLocal(tmp string, it *LocalItem) error {
	if !it.Overwrite {
		if err := publishAs(tmp, it.Dst); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return errors.New("the destination already exists (not replaced)")
			}
			return fmt.Errorf("cannot move the copy into place: %s", text.FSError(err, true))
		}
		return nil
	}
	if fi, err := os.Lstat(it.Dst); err == nil && fi.IsDir() {
		return errors.New("a directory is in the way (not replaced)")
	}
	if err := os.Rename(tmp, it.Dst); err != nil {
		return fmt.Errorf("cannot move the copy into place: %s", text.FSError(err, true))
	}
	return nil
}

// verifyCopy reads the destination back: its size and SHA-256 must be
// what was read from the source.
func verifyCopy(ctx context.Context, path string, size int64, want []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot verify the copy (the source was kept): %s", text.FSError(err, true))
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, readerCtx{ctx, f})
	if err != nil {
		return fmt.Errorf("cannot verify the copy (the source was kept): %s", text.FSError(err, true))
	}
	if n != size || !bytes.Equal(h.Sum(nil), want) {
		return errors.New("the copy differs from the source (the source was kept)")
	}
	return nil
}

// readerCtx stops a long read when ctx ends.
type readerCtx struct {
	ctx context.Context
	r   io.Reader
}

func (r readerCtx) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// createTemp makes a new hidden file in dir asking for 0666 (the mode is
// set from the source once written).
func createTemp(dir, prefix string) (*os.File, error) {
	for {
		var b [8]byte
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, prefix+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}
