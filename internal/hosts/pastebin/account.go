package pastebin

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

var (
	_ hosts.Deleter = (*Account)(nil)
	_ hosts.Lister  = (*Account)(nil)
)

// Account is a Client with a login: it also deletes and lists the
// account's pastes. Only a logged-in client is one, so front ends that
// look for hosts.Deleter or hosts.Lister find them exactly when they work.
type Account struct{ *Client }

// Account returns the client as an Account when it has a login.
func (c *Client) Account() (*Account, bool) {
	if c.login == nil {
		return nil, false
	}
	return &Account{c}, true
}

// Replies of the account calls (https://pastebin.com/doc_api; the
// delete reply as public clients test for it).
const (
	ErrBadLogin    = "Bad API request, invalid login"
	ErrNoPermision = "Bad API request, invalid permission to remove paste"
	replyRemoved   = "Paste Removed"
	replyNoPastes  = "No pastes found."
	// MaxListed is the most pastes api_option=list returns (api_results_limit).
	MaxListed = 1000
)

func errNeedsLogin(what string) error {
	return &hosts.Error{Target: Name, Kind: hosts.KindRejected,
		Msg: what + " need a Pastebin login: store it with `fsdeck key set --target pastebin --login`"}
}

// redact strips the key, the password and the user key from a transport
// error.
func (c *Client) redact(err error) error {
	secrets := []string{c.key.Reveal()}
	if c.login != nil {
		secrets = append(secrets, c.login.Password.Reveal())
	}
	c.mu.Lock()
	secrets = append(secrets, c.userKey)
	c.mu.Unlock()
	return hosts.RedactError(err, secrets...)
}

// call posts a form to one of the API's scripts and returns the reply's
// text (bounded) without surrounding white space; HTTP errors other than
// 200 are classified.
func (c *Client) call(ctx context.Context, script string, form url.Values, limit int64) (string, error) {
	text, err := c.callRaw(ctx, script, form, limit)
	return strings.TrimSpace(text), err
}

// callRaw is call with the reply exactly as sent: a paste's text
// (show_paste) keeps its leading and trailing white space.
func (c *Client) callRaw(ctx context.Context, script string, form url.Values, limit int64) (string, error) {
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	form.Set("api_dev_key", c.key.Reveal())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/"+script, strings.NewReader(form.Encode()))
	if err != nil {
		return "", c.redact(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", c.redact(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return "", c.redact(err)
	}
	text := strings.TrimSpace(string(b))
	if resp.StatusCode != http.StatusOK || strings.HasPrefix(text, errPrefix) || strings.HasPrefix(text, "Post limit") {
		return "", classify(resp.StatusCode, text)
	}
	return string(b), nil
}

// session logs in once (api_login.php) and keeps the api_user_key for
// the client's life; Pastebin invalidates it only at the next login.
func (c *Client) session(ctx context.Context) (string, error) {
	if c.login == nil {
		return "", errNeedsLogin("this")
	}
	c.mu.Lock()
	uk := c.userKey
	c.mu.Unlock()
	if uk != "" {
		return uk, nil
	}
	form := url.Values{"api_user_name": {c.login.User}, "api_user_password": {c.login.Password.Reveal()}}
	text, err := c.call(ctx, "api_login.php", form, 256)
	if err != nil {
		return "", err
	}
	if text == "" || strings.ContainsAny(text, " \t<>") {
		return "", &hosts.Error{Target: Name, Msg: "unexpected login reply"}
	}
	c.mu.Lock()
	c.userKey = text
	c.mu.Unlock()
	return text, nil
}

// Delete implements hosts.Deleter (api_option=delete; needs a login).
func (c *Account) Delete(ctx context.Context, id string) error {
	uk, err := c.session(ctx)
	if err != nil {
		return err
	}
	form := url.Values{"api_option": {"delete"}, "api_user_key": {uk}, "api_paste_key": {id}}
	answer, err := c.call(ctx, "api_post.php", form, 4096)
	var he *hosts.Error
	if errors.As(err, &he) && he.Msg == ErrNoPermision {
		// Pastebin answers the same for a paste that is gone and one of
		// another account: ask which, so a gone paste is reported as such.
		if _, serr := c.Stat(ctx, id); errors.Is(serr, hosts.ErrNotFound) {
			return serr
		}
	}
	if err != nil {
		return err
	}
	if !strings.HasPrefix(answer, replyRemoved) {
		return &hosts.Error{Target: Name, Msg: "unexpected reply: " + text.Reply(answer)}
	}
	return nil
}

// listed is one <paste> of api_option=list.
type listed struct {
	Key         string `xml:"paste_key"`
	Date        int64  `xml:"paste_date"`
	Title       string `xml:"paste_title"`
	Size        int64  `xml:"paste_size"`
	Expires     int64  `xml:"paste_expire_date"`
	Private     int    `xml:"paste_private"`
	FormatLong  string `xml:"paste_format_long"`
	FormatShort string `xml:"paste_format_short"`
	URL         string `xml:"paste_url"`
	Hits        int64  `xml:"paste_hits"`
}

// List implements hosts.Lister. api_option=list has no pages: it returns
// the newest pastes up to api_results_limit, so a page is cut from one
// call (at most MaxListed pastes in all).
func (c *Account) List(ctx context.Context, page, perPage int) ([]hosts.Result, int, error) {
	uk, err := c.session(ctx)
	if err != nil {
		return nil, 0, err
	}
	page, perPage = max(page, 1), min(max(perPage, 1), MaxListed)
	limit := min(page*perPage, MaxListed)
	form := url.Values{"api_option": {"list"}, "api_user_key": {uk}, "api_results_limit": {strconv.Itoa(limit)}}
	body, err := c.call(ctx, "api_post.php", form, 4<<20)
	if err != nil {
		return nil, 0, err
	}
	all, err := parseList(body)
	if err != nil {
		return nil, 0, err
	}
	from := min((page-1)*perPage, len(all))
	return all[from:min(from+perPage, len(all))], len(all), nil
}

// parseList reads the <paste> elements (a sequence without a root) or
// "No pastes found.".
func parseList(body string) ([]hosts.Result, error) {
	if body == replyNoPastes || body == "" {
		return nil, nil
	}
	var doc struct {
		Pastes []listed `xml:"paste"`
	}
	if err := xml.Unmarshal([]byte("<list>"+body+"</list>"), &doc); err != nil {
		return nil, &hosts.Error{Target: Name, Msg: "unreadable list reply"}
	}
	out := make([]hosts.Result, 0, len(doc.Pastes))
	for _, p := range doc.Pastes {
		r := hosts.Result{Target: Name, ID: text.Reply(p.Key), Name: text.Reply(p.Title), Size: p.Size,
			URL: p.URL, Created: time.Unix(p.Date, 0)}
		if u, err := url.Parse(p.URL); err == nil && p.Private != 2 {
			u.Path = strings.TrimSuffix(u.Path, p.Key) + "raw/" + p.Key
			r.Links = []hosts.Link{{Label: hosts.LinkRaw, URL: u.String()}}
		}
		if p.Expires > 0 {
			r.Expires = time.Unix(p.Expires, 0)
		}
		out = append(out, r)
	}
	return out, nil
}
