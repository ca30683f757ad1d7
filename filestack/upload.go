package filestack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// StoreOptions say where and how Filestack stores a file.
type StoreOptions struct {
	Location  string   `json:"location,omitempty"`
	Path      string   `json:"path,omitempty"`
	Container string   `json:"container,omitempty"`
	Region    string   `json:"region,omitempty"`
	Access    string   `json:"access,omitempty"`
	Workflows []string `json:"workflows,omitempty"`
}

// UploadOptions configure one upload.
type UploadOptions struct {
	// Filename and Mimetype default to the file's base name and a type
	// detected from its content.
	Filename string
	Mimetype string
	Store    StoreOptions
	// UploadTags are attached to the stored file (at most 10).
	UploadTags map[string]string
	// Intelligent asks for intelligent ingestion (used when the app has it).
	Intelligent bool
	// Progress receives events from worker goroutines; it must not block.
	Progress func(Event)
	// OnSession receives the resumable state after start and after every
	// finished part, for journaling. It may block until the session is
	// saved: one call runs at a time, and the part's worker (after the
	// start, every worker) waits for it, so whatever OnSession saved
	// before returning holds every part acknowledged but those in flight.
	// Parts acknowledged during a call come together in the next one.
	OnSession func(Session)
	// PartConcurrency overrides the client's default for this upload.
	PartConcurrency int
	// ForceMultipart skips the simple store even for small files.
	ForceMultipart bool
}

// File is a stored file.
type File struct {
	Handle    string `json:"handle"`
	URL       string `json:"url"`
	Filename  string `json:"filename"`
	Size      int64  `json:"size"`
	Mimetype  string `json:"mimetype"`
	Key       string `json:"key,omitempty"`
	Container string `json:"container,omitempty"`
	Status    string `json:"status,omitempty"`
}

// Upload stores a local file, by simple store when it is small and by the
// multipart Upload API otherwise. The file is streamed, never held whole.
func (c *Client) Upload(ctx context.Context, path string, opts UploadOptions) (*File, error) {
	f, info, err := c.openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opts.Filename == "" {
		opts.Filename = filepath.Base(path)
	}
	return c.upload(ctx, f, info.Size(), info.ModTime(), opts, nil)
}

// UploadReader stores size bytes from r (which is read at offsets, so parts
// can go in parallel).
func (c *Client) UploadReader(ctx context.Context, r io.ReaderAt, size int64, opts UploadOptions) (*File, error) {
	if opts.Filename == "" {
		opts.Filename = "unnamed_file"
	}
	return c.upload(ctx, r, size, time.Time{}, opts, nil)
}

func (c *Client) openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{Op: "open", Message: c.describe(err), Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, &Error{Op: "open", Message: c.describe(err), Err: err}
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &Error{Op: "open", Message: "not a regular file"}
	}
	return f, info, nil
}

func (c *Client) upload(ctx context.Context, r io.ReaderAt, size int64, mod time.Time, opts UploadOptions, resume *Session) (*File, error) {
	if opts.Mimetype == "" {
		opts.Mimetype = detectMimetype(r, size, opts.Filename)
	}
	simple := size == 0 || (!opts.ForceMultipart && !opts.Intelligent && c.cfg.SimpleMax > 0 && size <= c.cfg.SimpleMax)
	if simple && resume == nil {
		return c.simpleStore(ctx, r, size, opts)
	}
	m := &multipart{c: c, r: r, size: size, opts: opts}
	if resume != nil {
		return m.resume(ctx, *resume, mod)
	}
	return m.run(ctx, mod)
}

// detectMimetype sniffs the first 3 KiB, falling back to the extension.
func detectMimetype(r io.ReaderAt, size int64, filename string) string {
	head := make([]byte, min(size, 3072))
	n, _ := r.ReadAt(head, 0)
	if n > 0 {
		if t := baseType(mimetype.Detect(head[:n]).String()); t != "application/octet-stream" {
			return t
		}
	}
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(filename))); t != "" {
		return baseType(t)
	}
	return "application/octet-stream"
}

func baseType(t string) string { return strings.TrimSpace(strings.SplitN(t, ";", 2)[0]) }

// simpleStore sends the whole file in one POST /api/store/{location}.
func (c *Client) simpleStore(ctx context.Context, r io.ReaderAt, size int64, opts UploadOptions) (*File, error) {
	tr := newTracker(ctx, opts.Progress, size)
	tr.parts = 1
	tr.send(Event{Kind: EventStarted, Size: size})
	q := storeQuery(c.cfg.APIKey, opts.Filename, opts.Mimetype, opts.Store)
	if sec := c.uploadCredentials(); !sec.IsZero() {
		q.Set("policy", sec.Policy)
		q.Set("signature", sec.Signature)
	}
	var body *countingReader
	var out storeAnswer
	_, err := c.do(ctx, request{
		op: "upload", method: http.MethodPost,
		url:         c.cfg.APIBase + "/store/" + url.PathEscape(location(opts.Store)) + "?" + q.Encode(),
		contentType: rawBodyType(opts.Mimetype),
		body: func() (io.Reader, int64, error) {
			body = &countingReader{r: io.NewSectionReader(r, 0, size), t: tr, part: 1}
			return body, size, nil
		},
		onRetry: func(r Retry) { tr.send(r.event(1)) },
	}, &out)
	if err != nil {
		return nil, err
	}
	body.flush()
	f, err := out.file(c, "upload")
	if err != nil {
		return nil, err
	}
	tr.send(Event{Kind: EventPartDone, Part: 1, Size: size})
	tr.send(Event{Kind: EventDone})
	return f, nil
}

// rawBodyType is the Content-Type sent with a file's raw bytes. The store
// and overwrite endpoints read a JSON, form-urlencoded or multipart body as a
// request (a url= to fetch, or a fileUpload field), so a file of one of those
// types goes out as application/octet-stream; its real type still reaches the
// server in the mimetype= query parameter.
func rawBodyType(mimetype string) string {
	t := strings.ToLower(baseType(mimetype))
	if t == "application/json" || t == "application/x-www-form-urlencoded" || strings.HasPrefix(t, "multipart/") {
		return "application/octet-stream"
	}
	return mimetype
}

func location(s StoreOptions) string {
	if s.Location == "" {
		return "S3"
	}
	return s.Location
}

func storeQuery(key, filename, mimetype string, s StoreOptions) url.Values {
	q := url.Values{"key": {key}}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("filename", filename)
	set("mimetype", mimetype)
	set("path", s.Path)
	set("container", s.Container)
	set("region", s.Region)
	set("access", s.Access)
	return q
}

// uploadCredentials signs a short policy for uploads when a secret is set,
// so apps with "security for every request" accept them.
func (c *Client) uploadCredentials() security.Credentials {
	if c.cfg.AppSecret == "" {
		return security.Credentials{}
	}
	return security.New(c.cfg.AppSecret, security.Policy{Expiry: c.cfg.Now().Add(6 * time.Hour).Unix(),
		Call: []string{security.CallPick, security.CallStore}})
}

// storeAnswer is the File API store response: no handle, the URL ends with it.
type storeAnswer struct {
	URL       string `json:"url"`
	Handle    string `json:"handle"`
	Size      int64  `json:"size"`
	Type      string `json:"type"`
	Mimetype  string `json:"mimetype"`
	Filename  string `json:"filename"`
	Key       string `json:"key"`
	Container string `json:"container"`
}

func (a storeAnswer) file(c *Client, op string) (*File, error) {
	h := a.Handle
	if h == "" {
		h = HandleFromURL(a.URL)
	}
	if !ValidHandle(h) {
		return nil, &Error{Op: op, Message: fmt.Sprintf("the server's answer has no valid handle (url %q)", brief(a.URL, 80))}
	}
	// Values are returned as the server sent them; whoever draws them on a
	// terminal sanitises them (the UI does).
	return &File{Handle: h, URL: c.CDNURL(h), Filename: a.Filename, Size: a.Size,
		Mimetype: firstNonEmpty(a.Type, a.Mimetype), Key: a.Key, Container: a.Container}, nil
}

// Resume continues an upload from a journaled Session, sending only the
// parts the server does not have. If the file changed or the server no
// longer knows the session, it starts afresh and reports EventRestarted
// with the reason (Sent then counts from zero again).
func (c *Client) Resume(ctx context.Context, path string, sess Session, opts UploadOptions) (*File, error) {
	f, info, err := c.openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opts.Filename == "" {
		opts.Filename = firstNonEmpty(sess.Filename, filepath.Base(path))
	}
	if info.Size() == 0 {
		return c.upload(ctx, f, 0, info.ModTime(), opts, nil)
	}
	return c.upload(ctx, f, info.Size(), info.ModTime(), opts, &sess)
}

// UploadStream stores what r yields until EOF, of a length not known
// beforehand (a pipe), in one POST /api/store/{location} whose body is
// sent as it is read (chunked transfer encoding): memory stays flat and
// nothing is spooled to disk. The Upload API cannot take it, as
// multipart/start needs the total size. The MIME type is sniffed from
// the first 3 KiB unless opts has one; Progress gets EventProgress with
// the bytes read so far (Total -1). A stream cannot be read twice, so
// the request is never retried: a failure means r's bytes were lost.
func (c *Client) UploadStream(ctx context.Context, r io.Reader, opts UploadOptions) (*File, error) {
	if opts.Filename == "" {
		opts.Filename = "unnamed_file"
	}
	head := make([]byte, 3072)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, &Error{Op: "read", Message: "reading the stream failed: " + c.describe(err), Err: err}
	}
	head = head[:n]
	if opts.Mimetype == "" {
		opts.Mimetype = detectMimetype(bytes.NewReader(head), int64(n), opts.Filename)
	}
	q := storeQuery(c.cfg.APIKey, opts.Filename, opts.Mimetype, opts.Store)
	if sec := c.uploadCredentials(); !sec.IsZero() {
		q.Set("policy", sec.Policy)
		q.Set("signature", sec.Signature)
	}
	body := &streamBody{r: io.MultiReader(bytes.NewReader(head), r), progress: opts.Progress}
	var out storeAnswer
	_, err = c.do(ctx, request{
		op: "upload", method: http.MethodPost,
		url:         c.cfg.APIBase + "/store/" + url.PathEscape(location(opts.Store)) + "?" + q.Encode(),
		contentType: rawBodyType(opts.Mimetype),
		body:        func() (io.Reader, int64, error) { return body, -1, nil },
		noRetry:     true,
	}, &out)
	if body.err != nil {
		// The server may have answered a body cut short: the stream's
		// own read error is the reason.
		return nil, &Error{Op: "read", Message: "reading the stream failed: " + c.describe(body.err), Err: body.err}
	}
	if err != nil {
		return nil, err
	}
	return out.file(c, "upload")
}

// streamBody is an upload's body read from a stream: it reports the
// bytes read and keeps a read error (other than EOF) for the caller.
type streamBody struct {
	r        io.Reader
	n        int64
	err      error
	progress func(Event)
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if n > 0 && b.progress != nil {
		b.progress(Event{Kind: EventProgress, Sent: b.n, Total: -1})
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}
