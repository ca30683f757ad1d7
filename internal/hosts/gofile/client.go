// Package gofile is the GoFile target: a client for the upload and delete
// APIs (guest or account token) and an emulator of them. See README.md for
// the sources.
//
// It imports internal/hosts and internal/text; never another target, the
// registry, the engine, the store or a front end.
package gofile

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// GoFile serves uploads and the rest of the API from two hosts.
const (
	Name             = "gofile"
	DefaultURL       = "https://api.gofile.io"
	DefaultUploadURL = "https://upload.gofile.io"
	// DefaultInterval spaces requests: GoFile's limits are undisclosed and
	// answered with 429, so one request a second avoids meeting them.
	DefaultInterval = time.Second
)

// Info registers GoFile in a hosts.Registry.
func Info() hosts.Info {
	return hosts.Info{
		Name:       Name,
		Title:      "GoFile",
		DefaultURL: DefaultURL,
		KeyHelp:    "optional: without a token the first upload creates a guest account; account tokens are on https://gofile.io/myprofile",
		New:        func(c hosts.Config) (hosts.Target, error) { return New(c) },
		Emulator: func(s hosts.EmulatorSetup) http.Handler {
			return NewEmulator(EmulatorOptions{Prefix: s.Prefix, Tokens: s.Keys, Dir: s.Dir, Quota: s.Quota, Memory: s.Memory, Log: s.Log,
				Fsync: s.Fsync, KeyRequired: s.KeyRequired})
		},
		FetchAuth: hosts.BearerKey,
		// Download pages and files on gofile.io; the upload and API hosts
		// its API page names.
		Hosts: []hosts.HostRoute{{Host: "gofile.io", Out: true}, {Host: "upload.gofile.io"}, {Host: "api.gofile.io"}},
	}
}

// Client uploads to GoFile. Without a token it adopts the guest token and
// folder the first upload returns, so later uploads land in the same guest
// folder; GuestToken exposes them for the caller to keep in the keyring.
type Client struct {
	api, upload string
	http        *http.Client
	pace        *hosts.Pacer

	mu     sync.Mutex
	token  hosts.Key
	folder string // guest root folder id, once known
	guest  bool
}

// New returns a client for cfg; Key may be empty (guest uploads).
func New(cfg hosts.Config) (*Client, error) {
	conn, err := cfg.Resolve(Name, DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	up := conn.Base
	if conn.Base == DefaultURL {
		up = DefaultUploadURL
	}
	return &Client{api: conn.Base, upload: up, http: conn.HTTP, pace: conn.Pace, token: cfg.Key}, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target: any file, no published size
// limit, delete allowed on free accounts; listing and info need Premium.
func (c *Client) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{Kind: hosts.AnyFile, Delete: true}
}

// GuestToken returns the guest token and folder adopted from the first
// upload ("" when the client was given a token or has not uploaded yet).
func (c *Client) GuestToken() (hosts.Key, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.guest {
		return "", ""
	}
	return c.token, c.folder
}

func (c *Client) auth() (hosts.Key, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token, c.folder
}

// Upload implements hosts.Target: multipart folderId (when known) and
// file to /uploadfile, with the token as a Bearer header when there is one.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	if err := c.Capabilities().Check(Name, f.Size, nil, opts); err != nil {
		return hosts.Result{}, err
	}
	tok, folder := c.auth()
	var fields []hosts.FormField
	if folder != "" {
		fields = append(fields, hosts.FormField{Name: "folderId", Value: folder})
	}
	form, err := hosts.NewUploadForm(fields, "file", f.Name, hosts.ProgressReader(f.Body, f.Size, progress), f.Size)
	if err != nil {
		return hosts.Result{}, err
	}
	var d uploadData
	if err := c.call(ctx, tok, http.MethodPost, c.upload+"/uploadfile", form, form.ContentType, &d); err != nil {
		return hosts.Result{}, err
	}
	if tok == "" && d.GuestToken != "" {
		c.mu.Lock()
		if c.token == "" {
			c.token, c.folder, c.guest = hosts.Key(d.GuestToken), d.ParentFolder, true
		}
		c.mu.Unlock()
	}
	return d.result(), nil
}

// Delete implements hosts.Deleter: DELETE /contents with {"contentsId": id}.
func (c *Client) Delete(ctx context.Context, id string) error {
	tok, _ := c.auth()
	if tok == "" {
		return &hosts.Error{Target: Name, Kind: hosts.KindAuth, Msg: "deleting needs a token (account or guest)"}
	}
	body, _ := json.Marshal(map[string]string{"contentsId": id})
	var d json.RawMessage
	return c.call(ctx, tok, http.MethodDelete, c.api+"/contents", bytes.NewReader(body), "application/json", &d)
}
