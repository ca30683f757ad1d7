// Package imgbb is the ImgBB target: a client for the v1 upload API and an
// emulator of it. See README.md in this directory for the wire format and
// the sources it follows.
//
// It imports internal/hosts, internal/text and contentsec (to serve stored
// files); never another target, the registry, the engine, the store or a
// front end.
package imgbb

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// Service limits from ImgBB's API page (api.imgbb.com).
const (
	DefaultURL = "https://api.imgbb.com"
	MaxSize    = 32 << 20
	MinExpiry  = 60 * time.Second
	MaxExpiry  = 15552000 * time.Second // 180 days
	// DefaultInterval spaces requests: ImgBB publishes no rate, and answers
	// "Rate limit reached." when one is hit, so stay well clear of bursts.
	DefaultInterval = time.Second
)

// Name is the registry name of this target.
const Name = "imgbb"

// Info registers ImgBB in a hosts.Registry.
func Info() hosts.Info {
	return hosts.Info{
		Name:       Name,
		Title:      "ImgBB",
		DefaultURL: DefaultURL,
		KeyHelp:    "sign in at imgbb.com, then https://api.imgbb.com/ → Get API key",
		New:        func(c hosts.Config) (hosts.Target, error) { return New(c) },
		Emulator: func(s hosts.EmulatorSetup) http.Handler {
			return NewEmulator(EmulatorOptions{Prefix: s.Prefix, Keys: s.Keys, Dir: s.Dir, Quota: s.Quota, Memory: s.Memory, Log: s.Log,
				Fsync: s.Fsync, KeyRequired: s.KeyRequired})
		},
		FetchAuth: hosts.QueryKey("key"),
		// The API host, then the image and page hosts its replies link to
		// (https://i.ibb.co/ID/name.png, https://ibb.co/ID).
		Hosts: []hosts.HostRoute{{Host: "i.ibb.co", Path: "/i", Out: true}, {Host: "ibb.co", Path: "/v", Out: true},
			{Host: "api.imgbb.com"}},
	}
}

// Client uploads to ImgBB (or its emulator).
type Client struct {
	base string
	key  hosts.Key
	http *http.Client
	pace *hosts.Pacer
}

// New returns a client for cfg; the key is required by the API.
func New(cfg hosts.Config) (*Client, error) {
	conn, err := cfg.ResolveKeyed(Name, "API key", DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	return &Client{base: conn.Base, key: cfg.Key, http: conn.HTTP, pace: conn.Pace}, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target. ImgBB's API has no delete, list or
// info call: deletion is the delete_url page, offered as a link.
func (c *Client) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{
		Kind:    hosts.ImagesOnly,
		MaxSize: MaxSize,
		Expiry:  hosts.ExpiryRule{Min: MinExpiry, Max: MaxExpiry},
		// image.url is the file itself (i.ibb.co), not the viewer page.
		DirectURL: true,
	}
}

// Upload implements hosts.Target: a multipart POST of the image binary to
// /1/upload with the key (and expiration) in the query, as the API page
// documents.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	br := bufio.NewReaderSize(f.Body, hosts.SniffLen)
	head, _ := br.Peek(hosts.SniffLen)
	if err := c.Capabilities().Check(Name, f.Size, head, opts); err != nil {
		return hosts.Result{}, err
	}
	if opts.Expiry%time.Second != 0 {
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindRejected, Msg: "expiration must be whole seconds"}
	}
	q := url.Values{"key": {c.key.Reveal()}}
	if opts.Expiry > 0 {
		q.Set("expiration", strconv.FormatInt(int64(opts.Expiry/time.Second), 10))
	}
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return hosts.Result{}, err
	}
	defer done()
	var fields []hosts.FormField
	if opts.Title != "" {
		fields = append(fields, hosts.FormField{Name: "name", Value: opts.Title})
	}
	form, err := hosts.NewUploadForm(fields, "image", f.Name, hosts.ProgressReader(br, f.Size, progress), f.Size)
	if err != nil {
		return hosts.Result{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/1/upload?"+q.Encode(), form)
	if err != nil {
		return hosts.Result{}, hosts.RedactError(err, c.key.Reveal())
	}
	hosts.SetContentLength(req, form)
	req.Header.Set("Content-Type", form.ContentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.Result{}, hosts.RedactError(err, c.key.Reveal())
	}
	defer resp.Body.Close()
	return parseReply(resp, time.Now())
}

// reply is the JSON ImgBB answers with, success and failure alike.
type reply struct {
	Data       *replyData `json:"data"`
	Success    bool       `json:"success"`
	Status     int        `json:"status"`
	StatusCode int        `json:"status_code"`
	Error      *struct {
		Message string `json:"message"`
		Code    int    `json:"code"`
	} `json:"error"`
}

type replyData struct {
	ID         string        `json:"id"`
	Title      string        `json:"title"`
	URLViewer  string        `json:"url_viewer"`
	URL        string        `json:"url"`
	DisplayURL string        `json:"display_url"`
	Size       hosts.FlexInt `json:"size"`
	Time       hosts.FlexInt `json:"time"`
	Expiration hosts.FlexInt `json:"expiration"`
	Image      struct {
		Filename string `json:"filename"`
	} `json:"image"`
	Thumb struct {
		URL string `json:"url"`
	} `json:"thumb"`
	Medium struct {
		URL string `json:"url"`
	} `json:"medium"`
	DeleteURL string `json:"delete_url"`
}

func parseReply(resp *http.Response, now time.Time) (hosts.Result, error) {
	var r reply
	dec := json.NewDecoder(io.LimitReader(resp.Body, 1<<20))
	if err := dec.Decode(&r); err != nil || (!r.Success && r.Error == nil) || (r.Success && r.Data == nil) {
		return hosts.Result{}, replyError(resp, "unexpected reply")
	}
	if !r.Success || resp.StatusCode != http.StatusOK {
		return hosts.Result{}, replyError(resp, r.Error.Message)
	}
	d := r.Data
	res := hosts.Result{
		Target: Name, ID: text.Reply(d.ID), Name: text.Reply(d.Image.Filename),
		Size: int64(d.Size), URL: d.URL,
		Links: []hosts.Link{
			{Label: "viewer", URL: d.URLViewer}, {Label: "display", URL: d.DisplayURL},
			{Label: "thumb", URL: d.Thumb.URL}, {Label: "medium", URL: d.Medium.URL},
			{Label: "delete", URL: d.DeleteURL},
		},
	}
	if d.Time > 0 {
		res.Created = time.Unix(int64(d.Time), 0)
	}
	if d.Expiration > 0 {
		base := res.Created
		if base.IsZero() {
			base = now
		}
		res.Expires = base.Add(time.Duration(d.Expiration) * time.Second)
	}
	return res, nil
}

// replyError turns a failure reply into a typed error. ImgBB reports a hit
// rate limit as HTTP 400 "Rate limit reached." and a bad key as "Invalid
// API v1 key." (both code 100), so the message decides the kind.
func replyError(resp *http.Response, msg string) error {
	e := &hosts.Error{Target: Name, Kind: hosts.KindRejected, Status: resp.StatusCode, Msg: text.Reply(msg)}
	low := strings.ToLower(msg)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || strings.Contains(low, "rate limit"):
		e.Kind = hosts.KindRateLimit
		e.RetryAfter = hosts.RetryAfter(resp.Header, time.Now())
	case strings.Contains(low, "api v1 key") || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e.Kind = hosts.KindAuth
	case resp.StatusCode >= 500:
		e.Kind = hosts.KindOther
	}
	return e
}
