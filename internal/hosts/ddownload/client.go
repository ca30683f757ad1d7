// Package ddownload is the DDownload target: a client for its XFileSharing
// style API (two-step upload, paged file list) and an emulator of it. See
// README.md for the sources.
//
// It imports internal/hosts and internal/text; never another target, the
// registry, the engine, the store or a front end.
package ddownload

import (
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

// Service constants from https://ddownload.com/api.
const (
	Name       = "ddownload"
	DefaultURL = "https://api-v2.ddownload.com/api"
	// DefaultInterval keeps the client under the documented 3–4
	// requests per second per key (an upload is two requests).
	DefaultInterval = 300 * time.Millisecond
	MaxPerPage      = 100
)

// Info registers DDownload in a hosts.Registry.
func Info() hosts.Info {
	return hosts.Info{
		Name:       Name,
		Title:      "DDownload",
		DefaultURL: DefaultURL,
		APIPath:    "/api",
		KeyHelp:    "sign in at ddownload.com; the API key is under Account → API (https://ddownload.com/api)",
		New:        func(c hosts.Config) (hosts.Target, error) { return New(c) },
		Emulator: func(s hosts.EmulatorSetup) http.Handler {
			rps := 0 // the documented 4
			if s.Unlimited {
				rps = -1
			}
			return NewEmulator(EmulatorOptions{Prefix: s.Prefix, Keys: s.Keys, Dir: s.Dir, Quota: s.Quota, Memory: s.Memory, Log: s.Log,
				Fsync: s.Fsync, KeyRequired: s.KeyRequired, RequestsPerSecond: rps})
		},
		FetchAuth: hosts.QueryKey("key"),
		// File pages on ddownload.com/CODE, the API on api-v2, and an
		// upload server of the emulator's own naming (the real one is a
		// numbered server named in upload/server's reply).
		Hosts: []hosts.HostRoute{{Host: "ddownload.com", Path: "/f", Out: true}, {Host: "upload.ddownload.com", Out: true},
			{Host: "api-v2.ddownload.com"}},
	}
}

// Client talks to DDownload; it implements hosts.Target, hosts.Lister and
// hosts.Stater.
type Client struct {
	base string
	key  hosts.Key
	http *http.Client
	pace *hosts.Pacer
}

// New returns a client for cfg; the API key is required.
func New(cfg hosts.Config) (*Client, error) {
	conn, err := cfg.ResolveKeyed(Name, "API key", DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	return &Client{base: conn.Base, key: cfg.Key, http: conn.HTTP, pace: conn.Pace}, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target.
func (c *Client) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{Kind: hosts.AnyFile, List: true, Stat: true}
}

// Upload implements hosts.Target in the documented two steps: GET
// /upload/server for an upload URL and a one-time sess_id, then a
// multipart POST of sess_id and file to that URL.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	if err := c.Capabilities().Check(Name, f.Size, nil, opts); err != nil {
		return hosts.Result{}, err
	}
	var srv struct {
		SessID string `json:"sess_id"`
		Result string `json:"result"`
	}
	if err := c.api(ctx, "/upload/server", nil, &srv); err != nil {
		return hosts.Result{}, err
	}
	u, err := url.Parse(srv.Result)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || srv.SessID == "" {
		return hosts.Result{}, &hosts.Error{Target: Name, Msg: "upload/server gave no usable upload URL"}
	}
	code, err := c.post(ctx, u.String(), srv.SessID, f, progress)
	if err != nil {
		return hosts.Result{}, err
	}
	return hosts.Result{Target: Name, ID: code, Name: text.Reply(f.Name), Size: f.Size,
		URL: c.fileURL(code), Created: time.Now()}, nil
}

// fileURL is the public page of a file code: ddownload.com/{code} for the
// real service, {base}/f/{code} for anything else (the emulator).
func (c *Client) fileURL(code string) string {
	if c.base == DefaultURL {
		return "https://ddownload.com/" + url.PathEscape(code)
	}
	return strings.TrimSuffix(c.base, "/api") + "/f/" + url.PathEscape(code)
}

func (c *Client) post(ctx context.Context, target, sess string, f hosts.File, progress hosts.Progress) (string, error) {
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	form, err := hosts.NewUploadForm([]hosts.FormField{{Name: "sess_id", Value: sess}, {Name: "utype", Value: "prem"}},
		"file", f.Name, hosts.ProgressReader(f.Body, f.Size, progress), f.Size)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, form)
	if err != nil {
		return "", hosts.RedactError(err, c.key.Reveal(), sess)
	}
	hosts.SetContentLength(req, form)
	req.Header.Set("Content-Type", form.ContentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", hosts.RedactError(err, c.key.Reveal(), sess)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", statusError(resp.StatusCode, http.StatusText(resp.StatusCode), resp.Header)
	}
	var files []uploadedFile
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&files); err != nil || len(files) != 1 {
		return "", &hosts.Error{Target: Name, Status: resp.StatusCode, Msg: "unexpected upload reply"}
	}
	return files[0].check()
}

// List implements hosts.Lister with GET /file/list (page, per_page); the
// total is the reply's results_total.
func (c *Client) List(ctx context.Context, page, perPage int) ([]hosts.Result, int, error) {
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}, "per_page": {strconv.Itoa(min(max(perPage, 1), MaxPerPage))}}
	var res struct {
		Files []listedFile `json:"files"`
		Total int          `json:"results_total"`
	}
	if err := c.api(ctx, "/file/list", q, &res); err != nil {
		return nil, 0, err
	}
	out := make([]hosts.Result, len(res.Files))
	for i, f := range res.Files {
		out[i] = f.result(c)
	}
	return out, res.Total, nil
}
