// Package filestack is fsdeck's Filestack client: simple and multipart
// uploads (with intelligent ingestion, parallel parts, retries and resume),
// file operations, security policies and processing URLs. It knows nothing
// of the UI; every call takes a context.
//
// Like everything under filestack/ (transform, security, the emulator), it
// imports nothing of fsdeck outside filestack/: the client and the server
// stand alone, and take fsdeck's wording of errors through Config.Describe.
package filestack

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
)

// Version is sent in the User-Agent header.
const Version = "0.1.0"

// Production hosts of the File API, the Upload API and the CDN, as the
// official SDKs use them (https://www.filestack.com/docs/api/file/,
// https://www.filestack.com/docs/uploads/uploading/).
const (
	DefaultAPIBase    = "https://www.filestackapi.com/api"
	DefaultUploadBase = "https://upload.filestackapi.com"
	DefaultCDNBase    = "https://cdn.filestackcontent.com"
)

// Config configures a Client. Zero values mean the defaults.
type Config struct {
	APIKey    string
	AppSecret string

	// APIBase, UploadBase and CDNBase are base URLs of the three roles.
	APIBase, UploadBase, CDNBase string
	// CNAME derives all three from a custom domain: www.<cname>/api,
	// upload.<cname> and cdn.<cname>, over https.
	CNAME string

	// Transport carries every request; nil means a tuned http.Transport.
	Transport http.RoundTripper
	// WrapTransport, when set, wraps the transport (Transport or the
	// tuned one): a request log, for instance.
	WrapTransport func(http.RoundTripper) http.RoundTripper

	// PartSize is the multipart part size (default 8 MiB, minimum 5 MiB).
	PartSize int64
	// PartConcurrency is how many parts of one file are in flight (default 8).
	PartConcurrency int
	// SimpleMax is the largest file sent in one simple store request
	// instead of the multipart API (default 4 MiB; 0 means default, -1 never).
	SimpleMax int64
	// Retry bounds retries of every request.
	Retry RetryPolicy
	// CompleteTimeout bounds polling of multipart/complete while it answers
	// 202 (default 10 minutes).
	CompleteTimeout time.Duration
	// UserAgent overrides "fsdeck/<Version>".
	UserAgent string
	// Now is the clock used for policies (tests); nil means time.Now.
	Now func() time.Time
	// Describe words a failure of the network or of a local file for the
	// messages of this client's errors (fsdeck passes text.Describe, its
	// one wording; the client imports nothing of fsdeck). nil, or "" for
	// an error, keeps Go's own text. The client scrubs its secrets out of
	// what it returns either way.
	Describe func(error) string
}

// Client talks to Filestack (or the emulator). It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
	own  *http.Transport
}

// Defaults.
const (
	DefaultPartSize        = 8 << 20
	MinPartSize            = 5 << 20
	DefaultPartConcurrency = 8
	DefaultSimpleMax       = 4 << 20
	maxPartsPerUpload      = 10000
)

// New validates the config and returns a client.
func New(cfg Config) (*Client, error) {
	if cfg.APIKey == "" {
		return nil, errors.New("filestack: an API key is required")
	}
	if cfg.CNAME != "" {
		host := strings.Trim(strings.TrimPrefix(strings.TrimPrefix(cfg.CNAME, "https://"), "http://"), "/")
		cfg.APIBase = firstNonEmpty(cfg.APIBase, "https://www."+host+"/api")
		cfg.UploadBase = firstNonEmpty(cfg.UploadBase, "https://upload."+host)
		cfg.CDNBase = firstNonEmpty(cfg.CDNBase, "https://cdn."+host)
	}
	cfg.APIBase = strings.TrimRight(firstNonEmpty(cfg.APIBase, DefaultAPIBase), "/")
	cfg.UploadBase = strings.TrimRight(firstNonEmpty(cfg.UploadBase, DefaultUploadBase), "/")
	cfg.CDNBase = strings.TrimRight(firstNonEmpty(cfg.CDNBase, DefaultCDNBase), "/")
	if cfg.PartSize == 0 {
		cfg.PartSize = DefaultPartSize
	}
	if cfg.PartSize < MinPartSize {
		return nil, errors.New("filestack: PartSize must be at least 5 MiB (S3's minimum part size)")
	}
	if cfg.PartConcurrency <= 0 {
		cfg.PartConcurrency = DefaultPartConcurrency
	}
	if cfg.SimpleMax == 0 {
		cfg.SimpleMax = DefaultSimpleMax
	}
	if cfg.CompleteTimeout <= 0 {
		cfg.CompleteTimeout = 10 * time.Minute
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "fsdeck/" + Version
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Retry = cfg.Retry.withDefaults()
	c := &Client{cfg: cfg}
	rt := cfg.Transport
	if rt == nil {
		c.own = newTransport(cfg.PartConcurrency)
		rt = c.own
	}
	if cfg.WrapTransport != nil {
		rt = cfg.WrapTransport(rt)
	}
	c.http = &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return c, nil
}

// newTransport keeps enough idle connections for parallel parts of several
// files, with dial/TLS/header timeouts but no whole-request timeout, which
// would cut large bodies.
func newTransport(conc int) *http.Transport {
	d := &net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   max(32, conc*4),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		ExpectContinueTimeout: time.Second,
		WriteBufferSize:       64 << 10,
		ReadBufferSize:        64 << 10,
	}
}

// Close releases idle connections (call it before leak checks or exit).
func (c *Client) Close() {
	if c.own != nil {
		c.own.CloseIdleConnections()
	}
}

// Config returns the effective configuration with secrets removed.
func (c *Client) Config() Config {
	cfg := c.cfg
	cfg.APIKey, cfg.AppSecret = "", ""
	return cfg
}

// HasSecret reports whether the client can sign policies.
func (c *Client) HasSecret() bool { return c.cfg.AppSecret != "" }

// CDNBase is the CDN base URL, for building URLs of handles.
func (c *Client) CDNBase() string { return c.cfg.CDNBase }

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// sign returns credentials for a call: a narrow policy when an app secret
// is configured, none otherwise.
func (c *Client) sign(call, handle string, ttl time.Duration) security.Credentials {
	if c.cfg.AppSecret == "" {
		return security.Credentials{}
	}
	return security.Narrow(c.cfg.AppSecret, call, handle, ttl, c.cfg.Now())
}

// newRequest builds a request with the User-Agent set.
func (c *Client) newRequest(ctx context.Context, method, url string, body any) (*http.Request, error) {
	req, err := newBodyRequest(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	return req, nil
}
