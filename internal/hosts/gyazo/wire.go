package gyazo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// CreatedAtLayout is created_at as Gyazo's API documents it
// ("2014-05-21 14:23:10+0900").
const CreatedAtLayout = "2006-01-02 15:04:05-0700"

// gyImage is Gyazo's image object (upload reply, list item, single image).
type gyImage struct {
	ImageID      string    `json:"image_id"`
	PermalinkURL string    `json:"permalink_url"`
	ThumbURL     string    `json:"thumb_url"`
	URL          string    `json:"url"`
	Type         string    `json:"type"`
	CreatedAt    string    `json:"created_at"`
	Metadata     *metadata `json:"metadata,omitempty"`
}

type metadata struct {
	App   *string `json:"app"`
	Title *string `json:"title"`
	URL   *string `json:"url"`
	Desc  *string `json:"desc"`
}

func (im gyImage) result() hosts.Result {
	r := hosts.Result{Target: Name, ID: text.Reply(im.ImageID), URL: im.URL,
		Links: []hosts.Link{{Label: "permalink", URL: im.PermalinkURL}, {Label: "thumb", URL: im.ThumbURL}}}
	if im.Metadata != nil && im.Metadata.Title != nil {
		r.Name = text.Reply(*im.Metadata.Title)
	}
	if t, err := time.Parse(CreatedAtLayout, im.CreatedAt); err == nil {
		r.Created = t
	} else if t, err := time.Parse(time.RFC3339, im.CreatedAt); err == nil {
		r.Created = t
	}
	if r.URL == "" { // images of private accounts may come without one
		r.URL = im.PermalinkURL
	}
	return r
}

func (c *Client) do(ctx context.Context, method, u string, body io.Reader, ctype string, into any) error {
	_, err := c.doHeader(ctx, method, u, body, ctype, into)
	return err
}

// tokenQuery is the access_token parameter the image API documents for
// GET and DELETE.
func (c *Client) tokenQuery() string {
	return url.Values{"access_token": {c.token.Reveal()}}.Encode()
}

// doHeader sends one paced request and decodes a JSON reply. The token
// travels as the API documents it, once: in the upload form, or as the
// access_token parameter of the image API's URLs (which transport errors
// never show: RedactError).
func (c *Client) doHeader(ctx context.Context, method, u string, body io.Reader, ctype string, into any) (http.Header, error) {
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, hosts.RedactError(err, c.token.Reveal())
	}
	hosts.SetContentLength(req, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, hosts.RedactError(err, c.token.Reveal())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, replyError(resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(into); err != nil {
		return nil, &hosts.Error{Target: Name, Status: resp.StatusCode, Msg: "unexpected reply"}
	}
	return resp.Header, nil
}

// replyError maps Gyazo's {"message": …} error replies to typed errors.
func replyError(resp *http.Response) error {
	var m struct {
		Message string `json:"message"`
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&m)
	e := &hosts.Error{Target: Name, Kind: hosts.KindOther, Status: resp.StatusCode, Msg: text.Reply(m.Message)}
	if e.Msg == "" {
		e.Msg = strings.ToLower(http.StatusText(resp.StatusCode))
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Kind = hosts.KindRateLimit
		e.RetryAfter = hosts.RetryAfter(resp.Header, time.Now())
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e.Kind = hosts.KindAuth
	case resp.StatusCode == http.StatusNotFound:
		e.Kind = hosts.KindNotFound
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge ||
		resp.StatusCode == http.StatusUnprocessableEntity:
		e.Kind = hosts.KindRejected
	}
	return e
}
