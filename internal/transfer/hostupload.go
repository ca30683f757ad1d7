package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Rate-limit handling of host uploads: a service that says "slow down"
// is waited out (its Retry-After, else a growing pause) a few times; a
// longer wait, a used-up quota or any other refusal fails the job, so the
// engine never hammers a service.
const (
	hostAttempts     = 3
	hostMaxRateWait  = 2 * time.Minute
	hostDefaultPause = 5 * time.Second
)

// runHostUpload uploads one file to a hosting target: the capabilities
// check, then the service, then the ledger. Nothing counts as acknowledged
// before the service answered success.
func (e *Engine) runHostUpload(ctx context.Context, j *job) {
	hash := make(chan string, 1)
	go func() { hash <- fileSHA256(ctx, j.path) }()
	res, mime, err := e.hostSend(ctx, j)
	sum := <-hash
	if err == nil {
		e.moved(j.live.hostDone(e.now()))
		err = e.recordHost(j, res, mime, sum)
	}
	e.hostEnded(j, res, err, e.stopCause(ctx, j))
}

// hostSend checks the file against the target's capabilities and sends
// it, waiting out rate limits within bounds. mime is the sniffed type.
func (e *Engine) hostSend(ctx context.Context, j *job) (res hosts.Result, mime string, err error) {
	f, err := os.Open(j.path)
	if err != nil {
		return res, "", fmt.Errorf("cannot read %s: %w", j.path, err)
	}
	defer f.Close()
	info, head, err := checkHostFile(f, j)
	if err != nil {
		return res, "", err
	}
	h, opts := j.target.Service, j.target.UploadOptions
	ctx = hosts.WithPaceNotice(ctx, func(until time.Time) {
		j.live.hostPaced(until)
		e.poke()
	})
	for attempt := 1; ; attempt++ {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return res, "", err
		}
		j.live.hostStart(info.Size())
		file := hosts.File{Name: filepath.Base(j.path), Size: info.Size(), Body: ctxReader{ctx: ctx, r: f}}
		res, err = h.Upload(ctx, file, opts, func(sent, _ int64) {
			e.moved(j.live.hostSent(sent, e.now()))
			e.poke()
		})
		if err == nil {
			return res, http.DetectContentType(head), nil
		}
		wait, again := rateWait(err, attempt)
		if !again || ctx.Err() != nil {
			return res, "", err
		}
		e.moved(j.live.hostRetry(attempt, wait, err, e.now()))
		e.poke()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return res, "", err
		case <-t.C:
		}
	}
}

// checkHostFile reads the start of an open file and checks it against the
// host's capabilities, so a refusal comes before any byte is sent.
func checkHostFile(f *os.File, j *job) (os.FileInfo, []byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	head := make([]byte, hosts.SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("cannot read %s: %w", j.path, err)
	}
	h := j.target.Service
	if err := h.Capabilities().Check(h.Name(), info.Size(), head[:n], j.target.UploadOptions); err != nil {
		return nil, nil, err
	}
	return info, head[:n], nil
}

// rateWait says whether a failed attempt may be tried again and after how
// long: only a rate limit, only a few times, and only when the wait the
// service asks for is short. A quota is never retried.
func rateWait(err error, attempt int) (time.Duration, bool) {
	if !errors.Is(err, hosts.ErrRateLimit) || attempt >= hostAttempts {
		return 0, false
	}
	wait := hostDefaultPause * time.Duration(attempt)
	var he *hosts.Error
	if errors.As(err, &he) && he.RetryAfter > 0 {
		wait = he.RetryAfter
	}
	return wait, wait <= hostMaxRateWait
}

// recordHost adds a finished host upload to the ledger; failing to is the
// job's error, since the remote pane would not show the file.
func (e *Engine) recordHost(j *job, r hosts.Result, mime, sum string) error {
	ctx, cancel := e.bookkeeping()
	defer cancel()
	name := r.Name
	if name == "" {
		name = filepath.Base(j.path)
	}
	size := r.Size
	if size <= 0 {
		size = j.live.total
	}
	at := r.Created
	if at.IsZero() {
		at = e.now()
	}
	u := Uploaded{Handle: r.ID, Filename: name, Size: size, Mimetype: mime, At: at, LocalPath: j.path,
		SHA256: sum, Target: j.target.name(), URL: r.URL, Links: r.Links, Expires: r.Expires}
	if err := j.target.Ledger.RecordUpload(ctx, u); err != nil {
		return fmt.Errorf("uploaded as %s, but recording it in the ledger failed: %w", r.URL, err)
	}
	return nil
}

// hostEnded settles a host upload's state from the outcome. Host uploads
// cannot resume, so a paused one starts over when resumed.
func (e *Engine) hostEnded(j *job, r hosts.Result, err, cause error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended(j)
	switch {
	case err == nil:
		j.state, j.handle, j.url = Done, r.ID, r.URL
	case errors.Is(cause, errPaused):
		j.state = Paused
	case errors.Is(cause, errCancelled):
		j.state = Cancelled
	case errors.Is(cause, errShutdown), e.parent.Err() != nil:
		j.state = Paused
	default:
		j.state, j.err, j.cause = Failed, hosts.DescribeFor(j.target.Service, err), err
	}
	e.schedule()
	e.changed()
}
