package filestack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// multipart runs one upload through the Upload API (§3): start, parts in
// parallel (regular: upload + PUT; intelligent ingestion: chunks + commit),
// then complete, polling while it answers 202.
type multipart struct {
	c    *Client
	r    io.ReaderAt
	size int64
	opts UploadOptions
	tr   *tracker

	mu    sync.Mutex
	sess  Session
	seq   uint64       // changes to sess (under mu), for journaling
	base  string       // where later calls go (from location_url)
	chunk atomic.Int64 // current II chunk size, shared by the file's parts

	jmu     sync.Mutex
	jcond   *sync.Cond
	journal uint64 // the newest seq OnSession has returned for
	saving  bool   // an OnSession call is running
}

const (
	iiPartSize = 8 << 20
	iiMinChunk = 32 << 10
)

func (m *multipart) run(ctx context.Context, mod time.Time) (*File, error) {
	m.tr = newTracker(ctx, m.opts.Progress, m.size)
	if err := m.start(ctx, mod); err != nil {
		return nil, err
	}
	m.snapshot()
	return m.transfer(ctx, nil)
}

// uploadBody holds the fields every Upload API call repeats.
func (m *multipart) uploadBody(extra map[string]any) map[string]any {
	b := map[string]any{"apikey": m.c.cfg.APIKey, "uri": m.sess.URI, "region": m.sess.Region,
		"upload_id": m.sess.UploadID, "store": m.storeJSON()}
	if sec := m.c.uploadCredentials(); !sec.IsZero() {
		b["policy"], b["signature"] = sec.Policy, sec.Signature
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func (m *multipart) storeJSON() StoreOptions {
	s := m.opts.Store
	if s.Location == "" {
		s.Location = "s3"
	}
	return s
}

func (m *multipart) call(ctx context.Context, op, endpoint string, body map[string]any, out any, retry bool) (int, error) {
	bf, err := jsonBody(body)
	if err != nil {
		return 0, &Error{Op: op, Message: err.Error()}
	}
	rq := request{op: op, method: http.MethodPost, url: m.base + endpoint, contentType: "application/json",
		body: bf, noRetry: !retry, onRetry: func(r Retry) {
			m.tr.send(r.event(0))
		}}
	if m.sess.LocationRegion != "" {
		rq.header = map[string]string{"Filestack-Upload-Region": m.sess.LocationRegion}
	}
	return m.c.do(ctx, rq, out)
}

type startAnswer struct {
	URI            string `json:"uri"`
	Region         string `json:"region"`
	UploadID       string `json:"upload_id"`
	LocationURL    string `json:"location_url"`
	UploadType     string `json:"upload_type"`
	LocationRegion string `json:"location_region"`
}

func (m *multipart) start(ctx context.Context, mod time.Time) error {
	body := map[string]any{"apikey": m.c.cfg.APIKey, "filename": m.opts.Filename, "mimetype": m.opts.Mimetype,
		"size": m.size, "store": m.storeJSON()}
	if m.opts.Intelligent {
		body["fii"] = true
	}
	if sec := m.c.uploadCredentials(); !sec.IsZero() {
		body["policy"], body["signature"] = sec.Policy, sec.Signature
	}
	var a startAnswer
	m.base = m.c.cfg.UploadBase
	if _, err := m.call(ctx, "upload start", "/multipart/start", body, &a, true); err != nil {
		return err
	}
	for name, v := range map[string]string{"uri": a.URI, "region": a.Region, "upload_id": a.UploadID, "location_url": a.LocationURL} {
		if v == "" {
			return &Error{Op: "upload start", Message: "the server's answer lacks " + name}
		}
	}
	m.sess = Session{URI: a.URI, Region: a.Region, UploadID: a.UploadID, LocationURL: a.LocationURL,
		LocationRegion: a.LocationRegion, Intelligent: a.UploadType == "intelligent_ingestion",
		Size: m.size, ModTime: mod, Filename: m.opts.Filename, Mimetype: m.opts.Mimetype,
		Store: m.opts.Store, UploadTags: m.opts.UploadTags, Started: time.Now(), Endpoint: m.c.cfg.UploadBase}
	m.sess.PartSize = partSizeFor(m.size, m.c.cfg.PartSize)
	if m.sess.Intelligent {
		m.sess.PartSize = partSizeFor(m.size, iiPartSize)
	}
	m.base = locationBase(a.LocationURL)
	return nil
}

// locationBase accepts location_url with or without a scheme; without one
// it is https, as Filestack's hosts are.
func locationBase(loc string) string {
	loc = strings.TrimRight(strings.TrimSpace(loc), "/")
	if strings.Contains(loc, "://") {
		return loc
	}
	return "https://" + loc
}

// snapshot returns once OnSession has been handed the session as it is
// now, or a newer one: after the start, and after each part, whose
// worker takes no other part before its acknowledgement is journaled, so
// a process killed at any moment has lost at most the parts in flight.
// One OnSession call runs at a time, each with a copy of the newest
// session, and parts acknowledged while one runs are journaled together
// by the next (group commit: a 24-part file is not 24 sequential writes
// when its parts finish together).
func (m *multipart) snapshot() {
	if m.opts.OnSession == nil {
		return
	}
	m.mu.Lock()
	m.seq++
	want := m.seq
	m.mu.Unlock()
	m.jmu.Lock()
	defer m.jmu.Unlock()
	if m.jcond == nil {
		m.jcond = sync.NewCond(&m.jmu)
	}
	for m.journal < want {
		if m.saving {
			m.jcond.Wait()
			continue
		}
		m.saving = true
		m.jmu.Unlock()
		s, seq := m.sessionCopy()
		m.opts.OnSession(s)
		m.jmu.Lock()
		m.saving = false
		m.journal = max(m.journal, seq)
		m.jcond.Broadcast()
	}
}

// sessionCopy is the session now, its parts in order, and its seq.
func (m *multipart) sessionCopy() (Session, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sess
	s.Parts = append([]DonePart(nil), m.sess.Parts...)
	sort.Slice(s.Parts, func(i, j int) bool { return s.Parts[i].Number < s.Parts[j].Number })
	return s, m.seq
}

func (m *multipart) partRange(part int) (off, n int64) {
	off = int64(part-1) * m.sess.PartSize
	return off, min(m.sess.PartSize, m.size-off)
}

// transfer sends every part not in done with PartConcurrency workers, then
// completes. The first permanent error cancels the others. Parts are
// hashed ahead of the workers (see feed) and reach them with their MD5.
func (m *multipart) transfer(ctx context.Context, done map[int]bool) (*File, error) {
	parts := m.sess.NumParts()
	m.tr.parts = parts
	m.chunk.Store(m.sess.PartSize)
	m.tr.send(Event{Kind: EventStarted, Size: m.sess.PartSize})
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var todo []int
	for p := 1; p <= parts; p++ {
		if !done[p] {
			todo = append(todo, p)
		}
	}
	conc := m.opts.PartConcurrency
	if conc <= 0 {
		conc = m.c.cfg.PartConcurrency
	}
	workers := min(conc, len(todo))
	var once sync.Once
	var firstErr error
	fail := func(err error) { once.Do(func() { firstErr = err; cancel() }) }
	jobs := make(chan hashedPart, max(workers, 1))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				if err := m.sendPart(wctx, p); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	if err := m.feed(wctx, todo, workers, jobs); err != nil {
		fail(err)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, m.c.netError("upload", ctx.Err())
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return m.complete(ctx)
}

func (m *multipart) sendPart(ctx context.Context, hp hashedPart) error {
	part, sum := hp.part, hp.sum
	if m.sess.Intelligent {
		return m.sendIIPart(ctx, part, sum)
	}
	off, n := m.partRange(part)
	m.tr.send(Event{Kind: EventPartStarted, Part: part, Size: n})
	var etag string
	err := m.c.withRetry(ctx, m.retryReporter(part), func() error {
		target, err := m.uploadCall(ctx, part, 0, n, sum, false)
		if err != nil {
			return err
		}
		etag, err = m.put(ctx, target, part, 0, off, n)
		return err
	})
	if err != nil {
		return err
	}
	m.partDone(DonePart{Number: part, ETag: etag, Size: n, MD5: sum})
	return nil
}

func (m *multipart) retryReporter(part int) retryFunc {
	return func(r Retry) { m.tr.send(r.event(part)) }
}

func (m *multipart) partDone(p DonePart) {
	m.mu.Lock()
	m.sess.Parts = append(m.sess.Parts, p)
	m.mu.Unlock()
	m.tr.reach(p.Number, p.Size)
	m.tr.send(Event{Kind: EventPartDone, Part: p.Number, Size: p.Size})
	m.snapshot() // the worker's next part waits for the journal
}

type partTarget struct {
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// uploadCall asks where to PUT a part (or an II chunk at offset).
func (m *multipart) uploadCall(ctx context.Context, part int, offset, n int64, sum string, ii bool) (partTarget, error) {
	extra := map[string]any{"part": part, "size": n, "md5": sum}
	if ii {
		extra["offset"], extra["fii"] = offset, true
	}
	var t partTarget
	if _, err := m.call(ctx, fmt.Sprintf("upload part %d", part), "/multipart/upload", m.uploadBody(extra), &t, false); err != nil {
		return t, err
	}
	if t.URL == "" {
		return t, &Error{Op: fmt.Sprintf("upload part %d", part), Message: "the server's answer lacks the part URL"}
	}
	return t, nil
}

// put streams the bytes to the presigned URL with the returned headers
// verbatim and returns the ETag, which regular uploads must have.
func (m *multipart) put(ctx context.Context, t partTarget, part int, pos, off, n int64) (string, error) {
	op := fmt.Sprintf("send part %d", part)
	body := &countingReader{r: io.NewSectionReader(m.r, off, n), t: m.tr, part: part, base: pos}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, t.URL, body)
	if err != nil {
		return "", &Error{Op: op, Message: "the server gave an unusable part URL"}
	}
	req.ContentLength = n
	for k, v := range t.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("User-Agent", m.c.cfg.UserAgent)
	res, err := m.c.http.Do(req)
	if err != nil {
		return "", m.c.netError(op, err)
	}
	defer drainClose(res.Body)
	if res.StatusCode != http.StatusOK {
		return "", m.c.responseError(op, res)
	}
	body.flush()
	etag := res.Header.Get("ETag")
	if etag == "" && !m.sess.Intelligent {
		// S3 always sends it; without it the part is unconfirmed, as
		// after a lost connection (a server going away has answered
		// so), and is sent again.
		return "", &Error{Op: op, Err: errNoETag}
	}
	return etag, nil
}

// errNoETag is a part PUT answered 200 without the ETag that confirms it:
// a temporary failure (the part is sent again).
var errNoETag = errors.New("storage answered without the part's ETag, so the part is not confirmed (an answer cut short, or storage that is not S3-compatible)")

type completeAnswer struct {
	Handle    string `json:"handle"`
	URL       string `json:"url"`
	Filename  string `json:"filename"`
	Size      int64  `json:"size"`
	Mimetype  string `json:"mimetype"`
	Status    string `json:"status"`
	Key       string `json:"key"`
	Container string `json:"container"`
}

// complete asks the server to assemble the parts; 202 means not yet, so it
// asks again with backoff until CompleteTimeout. 206 is an error.
func (m *multipart) complete(ctx context.Context) (*File, error) {
	extra := map[string]any{"filename": m.opts.Filename, "mimetype": m.opts.Mimetype, "size": m.size}
	if len(m.opts.UploadTags) > 0 {
		extra["upload_tags"] = m.opts.UploadTags
	}
	if m.sess.Intelligent {
		extra["fii"] = true
	} else {
		extra["parts"] = m.partList()
	}
	body := m.uploadBody(extra)
	deadline := time.Now().Add(m.c.cfg.CompleteTimeout)
	wait := 250 * time.Millisecond
	for {
		var a completeAnswer
		status, err := m.call(ctx, "upload complete", "/multipart/complete", body, &a, true)
		if err != nil {
			return nil, err
		}
		switch status {
		case http.StatusOK:
			return m.finish(a)
		case http.StatusAccepted:
		default:
			return nil, &Error{Op: "upload complete", Status: status, Message: "partial content has not been committed"}
		}
		if time.Now().Add(wait).After(deadline) {
			return nil, &Error{Op: "upload complete", Message: fmt.Sprintf("the server was still assembling the file after %s", m.c.cfg.CompleteTimeout)}
		}
		if err := m.c.sleep(ctx, "upload complete", wait); err != nil {
			return nil, err
		}
		wait = min(wait*2, 5*time.Second)
	}
}

func (m *multipart) partList() []map[string]any {
	m.mu.Lock()
	parts := append([]DonePart(nil), m.sess.Parts...)
	m.mu.Unlock()
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
	out := make([]map[string]any, len(parts))
	for i, p := range parts {
		out[i] = map[string]any{"part_number": p.Number, "etag": p.ETag}
	}
	return out
}

func (m *multipart) finish(a completeAnswer) (*File, error) {
	f, err := storeAnswer{URL: a.URL, Handle: a.Handle, Size: a.Size, Mimetype: a.Mimetype, Filename: a.Filename,
		Key: a.Key, Container: a.Container}.file(m.c, "upload complete")
	if err != nil {
		return nil, err
	}
	f.Status = a.Status
	m.tr.send(Event{Kind: EventDone})
	return f, nil
}
