package filestack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// Metadata is a file's metadata. Pointer fields are nil when the server did
// not send them (or sent null, as for width/height of non-images).
type Metadata struct {
	Handle    string
	Filename  string
	Mimetype  string
	Size      *int64
	Width     *int
	Height    *int
	Uploaded  time.Time
	Writeable *bool
	Location  string
	Path      string
	Container string
	SourceURL string
	MD5       string
	SHA1      string
	SHA256    string
}

// Metadata fields that can be requested in addition to the default set.
const (
	FieldWidth  = "width"
	FieldHeight = "height"
	FieldMD5    = "md5"
	FieldSHA1   = "sha1"
	FieldSHA256 = "sha256"
)

// DefaultMetadataFields is what fsdeck asks for on refresh.
var defaultMetadataFields = []string{"size", "mimetype", "filename", "uploaded", "writeable", "location", "path", "container"}

// Metadata fetches a handle's metadata. Extra fields (width, height, md5,
// sha256, …) are asked for in addition to the default set.
func (c *Client) Metadata(ctx context.Context, handle string, extra ...string) (*Metadata, error) {
	if !ValidHandle(handle) {
		return nil, &Error{Op: "metadata", Message: "not a valid handle"}
	}
	q := url.Values{}
	for _, f := range append(append([]string(nil), defaultMetadataFields...), extra...) {
		q.Set(f, "true")
	}
	c.attach(q, security.CallStat, handle)
	var raw map[string]json.RawMessage
	if _, err := c.do(ctx, request{op: "metadata", method: http.MethodGet,
		url: c.cfg.APIBase + "/file/" + handle + "/metadata?" + q.Encode()}, &raw); err != nil {
		return nil, err
	}
	return decodeMetadata(handle, raw), nil
}

// attach adds a narrow read-style policy to a query when a secret is set,
// so apps that require security on every request still answer.
func (c *Client) attach(q url.Values, call, handle string) {
	if sec := c.sign(call, handle, 10*time.Minute); !sec.IsZero() {
		q.Set("policy", sec.Policy)
		q.Set("signature", sec.Signature)
	}
}

func decodeMetadata(handle string, raw map[string]json.RawMessage) *Metadata {
	m := &Metadata{Handle: handle}
	str := func(k string) string {
		var s string
		json.Unmarshal(raw[k], &s)
		return s
	}
	m.Filename, m.Mimetype = str("filename"), str("mimetype")
	m.Location, m.Path, m.Container = str("location"), str("path"), str("container")
	m.SourceURL, m.MD5, m.SHA1, m.SHA256 = str("source_url"), str("md5"), str("sha1"), str("sha256")
	var n json.Number
	if json.Unmarshal(raw["size"], &n) == nil {
		if v, err := n.Int64(); err == nil {
			m.Size = &v
		}
	}
	for k, dst := range map[string]**int{"width": &m.Width, "height": &m.Height} {
		var v int
		if json.Unmarshal(raw[k], &v) == nil && raw[k] != nil && string(raw[k]) != "null" {
			*dst = &v
		}
	}
	var up float64
	if json.Unmarshal(raw["uploaded"], &up) == nil && up > 0 {
		m.Uploaded = time.UnixMilli(int64(up))
	}
	var w bool
	if json.Unmarshal(raw["writeable"], &w) == nil && raw["writeable"] != nil {
		m.Writeable = &w
	}
	return m
}

// DownloadOptions configure Download.
type DownloadOptions struct {
	// Progress is called with bytes written so far and the total (-1 if
	// unknown); from the calling goroutine, so it may not block for long.
	// Both count from the start of the file, also when resuming.
	Progress func(written, total int64)
	// Transform, when it has tasks, downloads the processed result instead.
	Transform []transform.Task

	// Offset resumes an earlier download: the first Offset bytes are already
	// in w's destination, so only the rest is asked for (Range), and only if
	// the file still has the ETag given (If-Range). When the server sends
	// the whole file instead (it changed, or it ignores ranges), Restart is
	// called to empty the destination and the download starts from zero;
	// without Restart that is an error. Restart also serves a connection
	// dropped within this call whose Range request gets a full answer.
	Offset  int64
	ETag    string
	Restart func() error
	// OnETag receives the file's ETag when the first answer arrives, for a
	// caller that wants to resume later.
	OnETag func(etag string)
	// OnRetry is called before each retry with the attempt number that
	// failed and why (from the calling goroutine; it must not block).
	OnRetry func(attempt int, err error)
}

// Download writes a file to w and returns how many bytes the destination
// holds (Offset included). A connection dropped mid-body is resumed with a
// Range request (If-Range on the ETag), so nothing is sent twice.
func (c *Client) Download(ctx context.Context, handle string, w io.Writer, opts DownloadOptions) (int64, error) {
	if !ValidHandle(handle) {
		return 0, &Error{Op: "download", Message: "not a valid handle"}
	}
	if opts.Offset < 0 {
		return 0, &Error{Op: "download", Message: "negative resume offset"}
	}
	target := c.CDNURL(handle)
	if len(opts.Transform) > 0 {
		target = c.TransformURL(transform.Chain{Tasks: opts.Transform, Source: transform.Handle(handle)}, 10*time.Minute)
	} else if sec := c.sign(security.CallRead, handle, 10*time.Minute); !sec.IsZero() {
		target += "?" + url.Values{"policy": {sec.Policy}, "signature": {sec.Signature}}.Encode()
	}
	d := &download{c: c, url: target, w: w, progress: opts.Progress, total: -1,
		written: opts.Offset, etag: opts.ETag, resumed: opts.Offset > 0, restart: opts.Restart, onETag: opts.OnETag}
	var onRetry retryFunc
	if on := opts.OnRetry; on != nil {
		onRetry = func(r Retry) { on(r.Attempt, r.Err) }
	}
	err := c.withRetry(ctx, onRetry, func() error { return d.attempt(ctx) })
	return d.written, err
}

type download struct {
	c        *Client
	url      string
	w        io.Writer
	progress func(int64, int64)
	written  int64
	total    int64
	etag     string
	// resumed is set while the bytes in w came from an earlier Download
	// call (Offset), which a full answer may replace through restart.
	resumed bool
	restart func() error
	onETag  func(string)
}

func (d *download) attempt(ctx context.Context) error {
	req, err := d.c.newRequest(ctx, http.MethodGet, d.url, nil)
	if err != nil {
		return &Error{Op: "download", Message: "bad URL"}
	}
	if d.written > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(d.written, 10)+"-")
		if d.etag != "" {
			req.Header.Set("If-Range", d.etag)
		}
	}
	res, err := d.c.http.Do(req)
	if err != nil {
		return d.c.netError("download", err)
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusPartialContent && d.written > 0:
		if start, total, ok := parseContentRange(res.Header.Get("Content-Range")); !ok || start != d.written {
			return &Error{Op: "download", Message: "the server answered a range request with a different or unreadable Content-Range"}
		} else if d.total < 0 {
			d.total = total
		}
		if d.etag == "" {
			d.etag = res.Header.Get("ETag")
		}
	case res.StatusCode == http.StatusOK && d.written == 0:
		d.total = res.ContentLength
		d.etag = res.Header.Get("ETag")
	case res.StatusCode == http.StatusOK && d.restart != nil:
		// The file changed since the bytes already written (or the server
		// ignores ranges): start over.
		if err := d.startOver(); err != nil {
			return err
		}
		d.total, d.etag = res.ContentLength, res.Header.Get("ETag")
	case res.StatusCode == http.StatusOK && d.resumed:
		return &Error{Op: "download", Message: "the server sent the whole file instead of the rest (it changed since the download was paused); start again"}
	case res.StatusCode == http.StatusOK:
		return &Error{Op: "download", Message: "the file changed on the server during the download; start again"}
	case res.StatusCode == http.StatusRequestedRangeNotSatisfiable && d.resumed && d.restart != nil:
		// Only an Offset from an earlier call can lie beyond the file's end.
		// The partial file is longer than the file now is: it changed.
		if err := d.startOver(); err != nil {
			return err
		}
		res.Body.Close()
		return d.attempt(ctx)
	default:
		return d.c.responseError("download", res)
	}
	if d.onETag != nil && d.etag != "" {
		d.onETag(d.etag)
		d.onETag = nil
	}
	if d.progress != nil {
		d.progress(d.written, d.total)
	}
	buf := make([]byte, 256<<10)
	for {
		n, rerr := res.Body.Read(buf)
		if n > 0 {
			if _, werr := d.w.Write(buf[:n]); werr != nil {
				return &Error{Op: "download", Message: "writing the local file failed: " + d.c.describe(werr), Err: werr}
			}
			d.written += int64(n)
			if d.progress != nil {
				d.progress(d.written, d.total)
			}
		}
		if rerr == io.EOF {
			if d.total >= 0 && d.written != d.total {
				return d.c.netError("download", io.ErrUnexpectedEOF)
			}
			return nil
		}
		if rerr != nil {
			return d.c.netError("download", rerr)
		}
	}
}

// startOver empties the destination through Restart and forgets what was
// known of the earlier content.
func (d *download) startOver() error {
	if err := d.restart(); err != nil {
		return &Error{Op: "download", Message: "emptying the partial file failed: " + d.c.describe(err), Err: err}
	}
	d.written, d.total, d.etag, d.resumed = 0, -1, "", false
	return nil
}

// parseContentRange reads "bytes START-END/TOTAL" (TOTAL may be "*", then -1).
func parseContentRange(v string) (start, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	first, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, err = strconv.ParseInt(tot, 10, 64); err != nil || total < start {
			return 0, 0, false
		}
	}
	return start, total, true
}

// ErrNoSecret is returned by operations that need a signed policy when no
// app secret is configured.
var ErrNoSecret = &Error{Op: "sign", Message: "this needs the app secret (Filestack always requires a signed policy for it); add it with `fsdeck key set --secret`"}

// Delete removes a file. Filestack always requires a policy for this, so it
// signs a short-lived policy allowing only remove on this handle.
func (c *Client) Delete(ctx context.Context, handle string) error {
	if !ValidHandle(handle) {
		return &Error{Op: "delete", Message: "not a valid handle"}
	}
	if c.cfg.AppSecret == "" {
		return ErrNoSecret
	}
	q := url.Values{"key": {c.cfg.APIKey}}
	c.attach(q, security.CallRemove, handle)
	_, err := c.do(ctx, request{op: "delete", method: http.MethodDelete, url: c.cfg.APIBase + "/file/" + handle + "?" + q.Encode()}, nil)
	return err
}

// Overwrite replaces a file's content with size bytes from r (re-read on
// retry, hence io.ReaderAt).
func (c *Client) Overwrite(ctx context.Context, handle string, r io.ReaderAt, size int64, mimetype string) (*File, error) {
	if c.cfg.AppSecret == "" {
		return nil, ErrNoSecret
	}
	q := url.Values{"key": {c.cfg.APIKey}}
	if mimetype != "" {
		q.Set("mimetype", mimetype)
	}
	c.attach(q, security.CallWrite, handle)
	return c.overwrite(ctx, handle, q, rawBodyType(mimetype), func() (io.Reader, int64, error) {
		return io.NewSectionReader(r, 0, size), size, nil
	})
}

// OverwriteURL replaces a file's content with what Filestack fetches from src.
func (c *Client) OverwriteURL(ctx context.Context, handle, src string) (*File, error) {
	if c.cfg.AppSecret == "" {
		return nil, ErrNoSecret
	}
	q := url.Values{"key": {c.cfg.APIKey}}
	c.attach(q, security.CallWriteURL, handle)
	form := []byte(url.Values{"url": {src}}.Encode())
	return c.overwrite(ctx, handle, q, "application/x-www-form-urlencoded", func() (io.Reader, int64, error) {
		return bytes.NewReader(form), int64(len(form)), nil
	})
}

func (c *Client) overwrite(ctx context.Context, handle string, q url.Values, ct string, body func() (io.Reader, int64, error)) (*File, error) {
	if !ValidHandle(handle) {
		return nil, &Error{Op: "overwrite", Message: "not a valid handle"}
	}
	var a struct {
		URL      string `json:"url"`
		Mimetype string `json:"mimetype"`
		Size     int64  `json:"size"`
		Filename string `json:"filename"`
	}
	if _, err := c.do(ctx, request{op: "overwrite", method: http.MethodPost, contentType: ct,
		url: c.cfg.APIBase + "/file/" + handle + "?" + q.Encode(), body: body}, &a); err != nil {
		return nil, err
	}
	return &File{Handle: handle, URL: c.CDNURL(handle), Filename: a.Filename, Mimetype: a.Mimetype, Size: a.Size}, nil
}

// StoreURL asks Filestack to fetch a public URL and store it (§2a).
func (c *Client) StoreURL(ctx context.Context, src string, opts UploadOptions) (*File, error) {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{Op: "store URL", Message: "expected an http:// or https:// URL"}
	}
	q := storeQuery(c.cfg.APIKey, opts.Filename, opts.Mimetype, opts.Store)
	if sec := c.uploadCredentials(); !sec.IsZero() {
		q.Set("policy", sec.Policy)
		q.Set("signature", sec.Signature)
	}
	form := []byte(url.Values{"url": {u.String()}}.Encode())
	var a storeAnswer
	if _, err := c.do(ctx, request{op: "store URL", method: http.MethodPost, contentType: "application/x-www-form-urlencoded",
		url:  c.cfg.APIBase + "/store/" + url.PathEscape(location(opts.Store)) + "?" + q.Encode(),
		body: func() (io.Reader, int64, error) { return bytes.NewReader(form), int64(len(form)), nil }}, &a); err != nil {
		return nil, err
	}
	return a.file(c, "store URL")
}

// FetchTransform downloads a processing result into w, at most max bytes,
// and returns its content type.
func (c *Client) FetchTransform(ctx context.Context, ch transform.Chain, w io.Writer, max int64) (string, error) {
	if err := ch.Validate(); err != nil {
		return "", &Error{Op: "transform", Message: err.Error()}
	}
	target := c.TransformURL(ch, 10*time.Minute)
	var ctype string
	err := c.withRetry(ctx, nil, func() error {
		req, err := c.newRequest(ctx, http.MethodGet, target, nil)
		if err != nil {
			return &Error{Op: "transform", Message: "bad URL"}
		}
		res, err := c.http.Do(req)
		if err != nil {
			return c.netError("transform", err)
		}
		defer drainClose(res.Body)
		if res.StatusCode != http.StatusOK {
			return c.responseError("transform", res)
		}
		ctype = res.Header.Get("Content-Type")
		n, err := io.Copy(w, io.LimitReader(res.Body, max+1))
		if err != nil {
			return c.netError("transform", err)
		}
		if n > max {
			return &Error{Op: "transform", Message: fmt.Sprintf("result is larger than %d bytes", max)}
		}
		return nil
	})
	return ctype, err
}

// StoreTransform stores a processing result as a new file (the store task,
// sent by POST) and returns it. A chain that already ends with a store task
// (naming the file) keeps it, opts filling the parameters it does not set.
func (c *Client) StoreTransform(ctx context.Context, ch transform.Chain, opts StoreOptions) (*File, error) {
	st := transform.Task{Name: "store"}
	tasks := ch.Tasks
	if n := len(tasks); n > 0 && tasks[n-1].Name == "store" {
		st = transform.Task{Name: "store", Params: append([]transform.Param(nil), tasks[n-1].Params...)}
		tasks = tasks[:n-1]
	}
	for _, kv := range [][2]string{{"location", opts.Location}, {"path", opts.Path}, {"container", opts.Container}} {
		if kv[1] != "" && !st.Has(kv[0]) {
			st.Set(kv[0], transform.Str(kv[1]))
		}
	}
	ch.Tasks = append(append([]transform.Task(nil), tasks...), st)
	if ch.APIKey == "" {
		ch.APIKey = c.cfg.APIKey
	}
	if err := ch.Validate(); err != nil {
		return nil, &Error{Op: "store transform", Message: err.Error()}
	}
	var a storeAnswer
	if _, err := c.do(ctx, request{op: "store transform", method: http.MethodPost,
		url: c.transformURL(ch, 10*time.Minute, security.CallRead, security.CallConvert, security.CallStore)}, &a); err != nil {
		return nil, err
	}
	return a.file(c, "store transform")
}
