package pastebin

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fsdeck/fsdeck/hosts"
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
		New:        func(c hosts.Config) (hosts.Target, error) { return New(c) },
		Emulator: func(prefix string, keys []string) http.Handler {
			return NewEmulator(EmulatorOptions{Prefix: prefix, Keys: keys})
		},
	}
}

// Client creates pastes through api_post.php.
type Client struct {
	base string
	key  hosts.Key
	http *http.Client
	pace *hosts.Pacer
}

// New returns a client for cfg; the developer key is required.
func New(cfg hosts.Config) (*Client, error) {
	if cfg.Key == "" {
		return nil, &hosts.Error{Target: Name, Kind: hosts.KindAuth, Msg: "no api_dev_key set"}
	}
	conn, err := cfg.Resolve(Name, DefaultURL, DefaultInterval)
	if err != nil {
		return nil, err
	}
	return &Client{base: conn.Base, key: cfg.Key, http: conn.HTTP, pace: conn.Pace}, nil
}

// Name implements hosts.Target.
func (c *Client) Name() string { return Name }

// Capabilities implements hosts.Target. Private pastes need a logged-in
// api_user_key, which this client does not obtain yet, so only public and
// unlisted are offered; delete and list need the same user key.
func (c *Client) Capabilities() hosts.Capabilities {
	return hosts.Capabilities{
		Kind:    hosts.TextOnly,
		MaxSize: MaxSize,
		Expiry:  hosts.ExpiryRule{Choices: expiryChoices()},
		Privacy: true,
	}
}

// Upload implements hosts.Target: the file's text becomes api_paste_code.
func (c *Client) Upload(ctx context.Context, f hosts.File, opts hosts.UploadOptions, progress hosts.Progress) (hosts.Result, error) {
	br := bufio.NewReaderSize(f.Body, hosts.SniffLen)
	head, _ := br.Peek(hosts.SniffLen)
	if err := c.Capabilities().Check(Name, f.Size, head, opts); err != nil {
		return hosts.Result{}, err
	}
	if opts.Privacy == hosts.Private {
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindRejected, Msg: "private pastes need a Pastebin login (api_user_key), not supported yet"}
	}
	text, err := io.ReadAll(io.LimitReader(br, MaxSize+1))
	if err != nil {
		return hosts.Result{}, err
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
	if err := c.pace.Wait(ctx); err != nil {
		return hosts.Result{}, err
	}
	enc := form.Encode()
	scaled := func(sent, total int64) {
		if progress != nil {
			progress(sent*int64(len(text))/total, int64(len(text)))
		}
	}
	body := hosts.ProgressReader(strings.NewReader(enc), int64(len(enc)), scaled)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/api_post.php", body)
	if err != nil {
		return hosts.Result{}, hosts.RedactError(err, c.key.Reveal())
	}
	req.ContentLength = int64(len(enc))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.Result{}, hosts.RedactError(err, c.key.Reveal())
	}
	defer resp.Body.Close()
	return c.parseReply(resp, len(text), name, opts.Expiry)
}

// parseReply reads the plain-text answer: the paste URL, or an error line.
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
	id := hosts.CleanText(strings.Trim(u.Path[strings.LastIndex(u.Path, "/")+1:], " "))
	if id == "" {
		return hosts.Result{}, classify(resp.StatusCode, reply)
	}
	raw := *u
	raw.Path = strings.TrimSuffix(u.Path, id) + "raw/" + id
	now := time.Now()
	res := hosts.Result{Target: Name, ID: id, Name: hosts.CleanText(name), Size: int64(size), URL: u.String(),
		Links: []hosts.Link{{Label: "raw", URL: raw.String()}}, Created: now}
	if exp > 0 {
		res.Expires = now.Add(exp)
	}
	return res, nil
}
