package pastebin

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// DefaultInterval spaces requests. Pastebin publishes no request rate, and
// free accounts get few pastes a day anyway, so there is no reason to send
// more than one every few seconds.
const DefaultInterval = 3 * time.Second

// Info registers Pastebin in a hosts.Registry.
func Info() hosts.Info {
	return hosts.Info{
		Name:       Name,
		Title:      "Pastebin",
		DefaultURL: DefaultURL,
		KeyHelp:    "sign in at pastebin.com; the Developer API Key is on https://pastebin.com/doc_api",
		LoginHelp:  "your Pastebin user name and password: private pastes, deleting and listing your pastes",
		New:        newTarget,
		Emulator: func(s hosts.EmulatorSetup) http.Handler {
			return NewEmulator(EmulatorOptions{Prefix: s.Prefix, Keys: s.Keys, Dir: s.Dir, Quota: s.Quota, Memory: s.Memory, Log: s.Log,
				Fsync: s.Fsync, KeyRequired: s.KeyRequired, Unlimited: s.Unlimited})
		},
		FetchAuth: hosts.QueryKey("api_dev_key"),
		// The API, the paste pages and the raw text share one host.
		Hosts: []hosts.HostRoute{{Host: "pastebin.com", Out: true}},
	}
}

// Client creates pastes through api_post.php; with a login it also
// lists and deletes the account's pastes and makes private ones.
type Client struct {
	base  string
	key   hosts.Key
	login *hosts.Login
	http  *http.Client
	pace  *hosts.Pacer

	mu      sync.Mutex
	userKey string // api_user_key from api_login.php, once logged in
}

// newTarget is New as the registry builds it: an Account (which deletes
// and lists) when cfg has a login.
func newTarget(cfg hosts.Config) (hosts.Target, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if a, ok := c.Account(); ok {
		return a, nil
	}
	return c, nil
}

// New returns a client for cfg; the developer key is required.
func New(cfg hosts.Config) (*Client, error) {
	conn, err := cfg.ResolveKeyed(Name, "api_dev_key", DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	c := &Client{base: conn.Base, key: cfg.Key, http: conn.HTTP, pace: conn.Pace}
	if cfg.Login != nil && cfg.Login.User != "" && cfg.Login.Password != "" {
		l := *cfg.Login
		c.login = &l
	}
	return c, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target. Private pastes, delete and list
// need a logged-in api_user_key, so they are offered with a login only.
func (c *Client) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{
		Kind:    hosts.TextOnly,
		MaxSize: MaxSize,
		Expiry:  hosts.ExpiryRule{Choices: expiryChoices()},
		Privacy: true,
		Delete:  c.login != nil,
		List:    c.login != nil,
		NoBytes: "the paste is private: Pastebin serves private pastes only on their page, to their signed-in owner (public and unlisted pastes download from /raw/)",
		Stat:    true,
	}
}

// Upload implements hosts.Target: the file's text becomes api_paste_code.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	br := bufio.NewReaderSize(f.Body, hosts.SniffLen)
	head, _ := br.Peek(hosts.SniffLen)
	if err := c.Capabilities().Check(Name, f.Size, head, opts); err != nil {
		return hosts.Result{}, err
	}
	if opts.Privacy == hosts.Private && c.login == nil {
		return hosts.Result{}, errNeedsLogin("private pastes")
	}
	text, err := io.ReadAll(io.LimitReader(br, MaxSize+1))
	if err != nil {
		return hosts.Result{}, err
	}
	if len(text) == 0 { // a stream of unknown size that turned out empty
		return hosts.Result{}, c.Capabilities().Check(Name, 0, nil, opts)
	}
	if len(text) > MaxSize || !utf8.Valid(text) || !hosts.IsText(text) {
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindRejected, Msg: "accepts UTF-8 text up to 512 KB only"}
	}
	code, _ := ExpiryCode(opts.Expiry) // Check above allowed only listed choices
	name := opts.Title
	if name == "" {
		name = f.Name
	}
	form := url.Values{
		"api_dev_key": {c.key.Reveal()}, "api_option": {"paste"}, "api_paste_code": {string(text)},
		"api_paste_name": {name}, "api_paste_private": {strconv.Itoa(int(opts.Privacy))},
		"api_paste_expire_date": {code},
	}
	if c.login != nil {
		// Logged in, every paste is the account's (listed, deletable).
		uk, err := c.session(ctx)
		if err != nil {
			return hosts.Result{}, err
		}
		form.Set("api_user_key", uk)
	}
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return hosts.Result{}, err
	}
	defer done()
	enc := form.Encode()
	scaled := func(sent, total int64) {
		if progress != nil {
			progress(sent*int64(len(text))/total, int64(len(text)))
		}
	}
	body := hosts.ProgressReader(strings.NewReader(enc), int64(len(enc)), scaled)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/api_post.php", body)
	if err != nil {
		return hosts.Result{}, c.redact(err)
	}
	req.ContentLength = int64(len(enc))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.Result{}, c.redact(err)
	}
	defer resp.Body.Close()
	res, err := c.parseReply(resp, len(text), name, opts.Expiry)
	if opts.Privacy == hosts.Private {
		res.Links = nil // /raw/ serves public and unlisted pastes only
	}
	return res, err
}

// parseReply reads the plain-text answer: the paste URL, or an error line.
// The result keeps name (the file's own) exactly; front ends make it safe
// to show.
func (c *Client) parseReply(resp *http.Response, size int, name string, exp time.Duration) (hosts.Result, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if err != nil {
		return hosts.Result{}, err
	}
	reply := strings.TrimSpace(string(b))
	u, perr := url.Parse(reply)
	if resp.StatusCode != http.StatusOK || perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return hosts.Result{}, classify(resp.StatusCode, reply)
	}
	id := text.Reply(strings.Trim(u.Path[strings.LastIndex(u.Path, "/")+1:], " "))
	if id == "" {
		return hosts.Result{}, classify(resp.StatusCode, reply)
	}
	raw := *u
	raw.Path = strings.TrimSuffix(u.Path, id) + "raw/" + id
	now := time.Now()
	res := hosts.Result{Target: Name, ID: id, Name: name, Size: int64(size), URL: u.String(),
		Links: []hosts.Link{{Label: "raw", URL: raw.String()}}, Created: now}
	if exp > 0 {
		res.Expires = now.Add(exp)
	}
	return res, nil
}
