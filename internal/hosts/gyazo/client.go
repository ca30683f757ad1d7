// Package gyazo is the Gyazo target (images only): a client for the upload
// and image APIs and an emulator of them. See README.md for the sources.
//
// It imports internal/hosts and internal/text; never another target, the
// registry, the engine, the store or a front end.
package gyazo

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Gyazo serves uploads and the image API from two hosts.
const (
	Name             = "gyazo"
	DefaultURL       = "https://api.gyazo.com"
	DefaultUploadURL = "https://upload.gyazo.com"
	MaxPerPage       = 100
	// DefaultInterval spaces requests; Gyazo documents no rate, so one a
	// second keeps a batch upload well clear of any limit.
	DefaultInterval = time.Second
)

// Info registers Gyazo in a hosts.Registry.
func Info() hosts.Info {
	return hosts.Info{
		Name:       Name,
		Title:      "Gyazo",
		DefaultURL: DefaultURL,
		KeyHelp:    "register an application at https://gyazo.com/oauth/applications and generate an access token",
		New:        func(c hosts.Config) (hosts.Target, error) { return New(c) },
		Emulator: func(s hosts.EmulatorSetup) http.Handler {
			return NewEmulator(EmulatorOptions{Prefix: s.Prefix, Tokens: s.Keys, Dir: s.Dir, Quota: s.Quota, Memory: s.Memory, Log: s.Log,
				Fsync: s.Fsync, KeyRequired: s.KeyRequired})
		},
		// The access_token parameter, as the client sends it to the API.
		FetchAuth: hosts.QueryKey("access_token"),
		// Images on i.gyazo.com, their pages on gyazo.com; the image API
		// and the upload API on their own hosts.
		Hosts: []hosts.HostRoute{{Host: "i.gyazo.com", Path: "/i", Out: true}, {Host: "gyazo.com", Path: "/p", Out: true},
			{Host: "api.gyazo.com"}, {Host: "upload.gyazo.com"}},
	}
}

// Client talks to Gyazo (or its emulator). It implements hosts.Target,
// hosts.Lister, hosts.Deleter and hosts.Stater.
type Client struct {
	api, upload string
	token       hosts.Key
	http        *http.Client
	pace        *hosts.Pacer
}

// New returns a client for cfg. Against the real API the upload host is
// upload.gyazo.com; against any other base (the emulator) both APIs share it.
func New(cfg hosts.Config) (*Client, error) {
	conn, err := cfg.ResolveKeyed(Name, "access token", DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	up := conn.Base
	if conn.Base == DefaultURL {
		up = DefaultUploadURL
	}
	return &Client{api: conn.Base, upload: up, token: cfg.Key, http: conn.HTTP, pace: conn.Pace}, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target. Gyazo publishes no byte limit for
// API uploads, so MaxSize stays 0 (unknown) rather than a guess.
func (c *Client) Capabilities() hosts.Capabilities {
	// url is the image (i.gyazo.com), permalink_url the page.
	return hosts.Capabilities{Kind: hosts.ImagesOnly, Delete: true, List: true, Stat: true, DirectURL: true}
}

// Upload implements hosts.Target: multipart access_token + imagedata (and
// title) to /api/upload.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	br := bufio.NewReaderSize(f.Body, hosts.SniffLen)
	head, _ := br.Peek(hosts.SniffLen)
	if err := c.Capabilities().Check(Name, f.Size, head, opts); err != nil {
		return hosts.Result{}, err
	}
	// The token goes in the form, as the API documents, and only there.
	fields := []hosts.FormField{{Name: "access_token", Value: c.token.Reveal()}}
	if opts.Title != "" {
		fields = append(fields, hosts.FormField{Name: "title", Value: opts.Title})
	}
	form, err := hosts.NewUploadForm(fields, "imagedata", f.Name, hosts.ProgressReader(br, f.Size, progress), f.Size)
	if err != nil {
		return hosts.Result{}, err
	}
	var img gyImage
	if err := c.do(ctx, http.MethodPost, c.upload+"/api/upload", form, form.ContentType, &img); err != nil {
		return hosts.Result{}, err
	}
	return img.result(), nil
}

// List implements hosts.Lister with GET /api/images; the total comes from
// the X-Total-Count header.
func (c *Client) List(ctx context.Context, page, perPage int) ([]hosts.Result, int, error) {
	page = max(page, 1)
	perPage = min(max(perPage, 1), MaxPerPage)
	q := url.Values{"access_token": {c.token.Reveal()}, "page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}}
	var imgs []gyImage
	h, err := c.doHeader(ctx, http.MethodGet, c.api+"/api/images?"+q.Encode(), nil, "", &imgs)
	if err != nil {
		return nil, 0, err
	}
	out := make([]hosts.Result, len(imgs))
	for i, im := range imgs {
		out[i] = im.result()
	}
	total, err := strconv.Atoi(h.Get("X-Total-Count"))
	if err != nil || total < 0 {
		total = len(out)
	}
	return out, total, nil
}

// Stat implements hosts.Stater with GET /api/images/{id}.
func (c *Client) Stat(ctx context.Context, id string) (hosts.Result, error) {
	var img gyImage
	if err := c.do(ctx, http.MethodGet, c.api+"/api/images/"+url.PathEscape(id)+"?"+c.tokenQuery(), nil, "", &img); err != nil {
		return hosts.Result{}, err
	}
	return img.result(), nil
}

// Delete implements hosts.Deleter with DELETE /api/images/{id}.
func (c *Client) Delete(ctx context.Context, id string) error {
	var img gyImage
	return c.do(ctx, http.MethodDelete, c.api+"/api/images/"+url.PathEscape(id)+"?"+c.tokenQuery(), nil, "", &img)
}
