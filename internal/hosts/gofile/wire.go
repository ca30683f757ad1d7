package gofile

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// envelope is every GoFile reply: {"status": "ok" | "error-…", "data": …}.
type envelope struct {
	Status string          `json:"status"`
	Data   json.RawMessage `json:"data"`
}

// uploadData is the data of an upload reply.
type uploadData struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Size             int64    `json:"size"`
	MD5              string   `json:"md5"`
	MimeType         string   `json:"mimetype"`
	DownloadPage     string   `json:"downloadPage"`
	ParentFolder     string   `json:"parentFolder"`
	ParentFolderCode string   `json:"parentFolderCode"`
	GuestToken       string   `json:"guestToken,omitempty"`
	Servers          []string `json:"servers"`
	CreateTime       int64    `json:"createTime"`
}

func (d uploadData) result() hosts.Result {
	r := hosts.Result{Target: Name, ID: text.Reply(d.ID), Name: text.Reply(d.Name), Size: d.Size,
		URL: d.DownloadPage, Links: []hosts.Link{{Label: "downloadPage", URL: d.DownloadPage}}}
	if d.CreateTime > 0 {
		r.Created = time.Unix(d.CreateTime, 0)
	}
	return r
}

// call sends one paced request and decodes the envelope's data into into.
func (c *Client) call(ctx context.Context, tok hosts.Key, method, u string, body io.Reader, ctype string, into any) error {
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return err
	}
	defer done()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return hosts.RedactError(err, tok.Reveal())
	}
	hosts.SetContentLength(req, body)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.RedactError(err, tok.Reveal())
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&env); err != nil && resp.StatusCode == http.StatusOK {
		return &hosts.Error{Target: Name, Status: resp.StatusCode, Msg: "unexpected reply"}
	}
	if env.Status != "ok" || resp.StatusCode != http.StatusOK {
		return statusError(resp, env.Status)
	}
	if err := json.Unmarshal(env.Data, into); err != nil {
		return &hosts.Error{Target: Name, Status: resp.StatusCode, Msg: "unexpected reply"}
	}
	return nil
}

// statusError maps GoFile's status strings (and HTTP 429) to typed errors.
func statusError(resp *http.Response, status string) error {
	e := &hosts.Error{Target: Name, Kind: hosts.KindOther, Status: resp.StatusCode, Msg: text.Reply(status)}
	if e.Msg == "" {
		e.Msg = http.StatusText(resp.StatusCode)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || status == "error-rateLimit":
		e.Kind = hosts.KindRateLimit
		e.RetryAfter = hosts.RetryAfter(resp.Header, time.Now())
	case status == "error-notPremium": // sent with HTTP 401, so before the auth case
		e.Kind = hosts.KindRejected
		e.Msg += " (needs a GoFile Premium account)"
	case status == "error-token" || status == "error-auth" || resp.StatusCode == http.StatusUnauthorized:
		e.Kind = hosts.KindAuth
	case status == "error-notFound" || resp.StatusCode == http.StatusNotFound:
		e.Kind = hosts.KindNotFound
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge:
		e.Kind = hosts.KindRejected
	}
	return e
}
