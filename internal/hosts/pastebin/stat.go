package pastebin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

var (
	_ hosts.Stater = (*Client)(nil)
	_ hosts.Stater = (*Account)(nil)
)

// ErrNoView is api_raw.php's answer for a paste the user does not own or
// that does not exist (https://pastebin.com/doc_api, "Getting raw paste
// output of users pastes").
const ErrNoView = "Bad API request, invalid permission to view this paste or invalid api_paste_key"

// Stat implements hosts.Stater for public and unlisted pastes: their raw
// text URL ({base}/raw/{id}) answers while the paste exists and 404 once
// it is deleted or expired. Without a login a client cannot make private
// pastes, so that covers all of its own.
func (c *Client) Stat(ctx context.Context, id string) (hosts.Result, error) {
	if id == "" || strings.ContainsAny(id, "/?#") {
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindNotFound, Msg: "not a paste key"}
	}
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return hosts.Result{}, err
	}
	defer done()
	raw := c.base + "/raw/" + url.PathEscape(id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return hosts.Result{}, c.redact(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.Result{}, c.redact(err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return hosts.Result{}, &hosts.Error{Target: Name, Kind: hosts.KindNotFound, Status: resp.StatusCode, Msg: "paste not found"}
	case resp.StatusCode != http.StatusOK:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return hosts.Result{}, classify(resp.StatusCode, strings.TrimSpace(string(b)))
	}
	r := hosts.Result{Target: Name, ID: id, URL: c.base + "/" + url.PathEscape(id),
		Links: []hosts.Link{{Label: hosts.LinkRaw, URL: raw}}}
	if resp.ContentLength > 0 {
		r.Size = resp.ContentLength
	}
	return r, nil
}

// Stat implements hosts.Stater for an account: api_raw.php
// (api_option=show_paste) answers the account's pastes, private ones
// included; a paste it does not own (one made before the login) is
// looked up at its raw URL.
func (c *Account) Stat(ctx context.Context, id string) (hosts.Result, error) {
	uk, err := c.session(ctx)
	if err != nil {
		return hosts.Result{}, err
	}
	form := url.Values{"api_option": {"show_paste"}, "api_user_key": {uk}, "api_paste_key": {id}}
	text, err := c.callRaw(ctx, "api_raw.php", form, MaxSize+1)
	var he *hosts.Error
	if errors.As(err, &he) && he.Msg == ErrNoView {
		return c.Client.Stat(ctx, id)
	}
	if err != nil {
		return hosts.Result{}, err
	}
	return hosts.Result{Target: Name, ID: id, URL: c.base + "/" + url.PathEscape(id), Size: int64(len(text))}, nil
}
