package transfer

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// Fetcher brings one download's bytes from somewhere other than the
// target's own download by id: a hosting service's URL that serves the
// file.
// Fetch writes the whole file to w from its first byte and reports the
// bytes written so far (total: the expected size, 0 or less if unknown).
// A Fetcher cannot continue a partial file, so a stopped fetch drops what
// it wrote, a resumed or retried one starts again from the first byte,
// and its downloads are not journaled.
type Fetcher interface {
	Fetch(ctx context.Context, w io.Writer, progress func(written, total int64)) error
}

// URLFetcher fetches URL with a plain GET through HTTP (nil: a client
// without an overall timeout). Service names the service in errors.
type URLFetcher struct {
	HTTP    *http.Client
	URL     string
	Service string
}

// Fetch implements Fetcher. A status other than 200 is an error that
// names the service and status, never the URL.
func (f URLFetcher) Fetch(ctx context.Context, w io.Writer, progress func(written, total int64)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return fmt.Errorf("bad download URL: %w", hosts.RedactError(err))
	}
	hc := f.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return hosts.RedactError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered HTTP %d for the file's URL", text.Reply(f.Service), resp.StatusCode)
	}
	_, err = io.Copy(&countingWriter{w: w, total: resp.ContentLength, progress: progress}, resp.Body)
	return err
}

// countingWriter reports what reached w: the progress is the bytes
// written, not the bytes received.
type countingWriter struct {
	w        io.Writer
	n, total int64
	progress func(written, total int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.progress != nil && n > 0 {
		c.progress(c.n, c.total)
	}
	return n, err
}

// AddDownloadsTo is AddDownloads against an explicit target (a hosting
// service's, whose files come through each RemoteFile's From): the jobs
// show that target, and a file without From needs a service that
// downloads by id (hosts.RangeDownloader).
func (e *Engine) AddDownloadsTo(t Target, name, dir string, files []RemoteFile) (GroupID, error) {
	jobs := make([]*job, 0, len(files))
	for _, f := range files {
		if f.From == nil && !t.ranged() {
			return 0, ErrNoTarget
		}
		jobs = append(jobs, downloadJob(dir, f))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return 0, ErrClosed
	}
	if t.Journal == nil || t.Ledger == nil {
		return 0, ErrNoTarget
	}
	return e.addGroup(name, Download, t, jobs), nil
}

// downloadJob is the job that saves f into dir under a safe local name.
func downloadJob(dir string, f RemoteFile) *job {
	local := text.SafeLocalName(f.Filename, text.SafeLocalName(f.Handle, "download"))
	return &job{dir: Download, name: local, path: filepath.Join(dir, local), handle: f.Handle, size: f.Size, fetch: f.From}
}

// fetchInto runs a Fetcher job's transfer into f (a new, empty partial
// file: runDownload removes a stopped fetch's partial file).
func (e *Engine) fetchInto(ctx context.Context, j *job, f io.Writer) error {
	return j.fetch.Fetch(ctx, f, func(n, total int64) {
		e.moved(j.live.written(n, total, e.now()))
		e.poke()
	})
}
