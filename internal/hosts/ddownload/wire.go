package ddownload

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

// apiReply is the envelope of the fixed API calls:
// {"msg": "OK", "server_time": …, "status": 200, …} plus "result" (or, for
// upload/server, "sess_id" and "result" side by side).
type apiReply struct {
	Msg    string          `json:"msg"`
	Status int             `json:"status"`
	Result json.RawMessage `json:"result"`
	SessID string          `json:"sess_id"`
}

// uploadedFile is one entry of the upload reply array. Some client code
// spells the keys with spaces ("file code"), so both spellings are read.
type uploadedFile struct {
	FileCode    string `json:"file_code"`
	FileStatus  string `json:"file_status"`
	FileCode2   string `json:"file code"`
	FileStatus2 string `json:"file status"`
}

func (u uploadedFile) check() (string, error) {
	code, status := u.FileCode+u.FileCode2, u.FileStatus+u.FileStatus2
	if status != "OK" || code == "" {
		return "", &hosts.Error{Target: Name, Kind: hosts.KindRejected, Msg: "upload refused: " + text.Reply(status)}
	}
	return text.Reply(code), nil
}

type listedFile struct {
	Name     string        `json:"name"`
	FileCode string        `json:"file_code"`
	Link     string        `json:"link"`
	Uploaded string        `json:"uploaded"`
	Size     hosts.FlexInt `json:"size"`
}

func (f listedFile) result(c *Client) hosts.Result {
	r := hosts.Result{Target: Name, ID: text.Reply(f.FileCode), Name: text.Reply(f.Name), Size: int64(f.Size), URL: f.Link}
	if r.URL == "" {
		r.URL = c.fileURL(f.FileCode)
	}
	if t, err := time.Parse(time.DateTime, f.Uploaded); err == nil {
		r.Created = t
	}
	return r
}

// api sends one paced GET to a fixed endpoint with the key in the query
// (as DDownload documents) and decodes the envelope. For upload/server the
// whole envelope is decoded into into, since sess_id sits beside result.
func (c *Client) api(ctx context.Context, path string, q url.Values, into any) error {
	done, err := c.pace.Wait(ctx)
	if err != nil {
		return err
	}
	defer done()
	if q == nil {
		q = url.Values{}
	}
	q.Set("key", c.key.Reveal())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path+"?"+q.Encode(), nil)
	if err != nil {
		return hosts.RedactError(err, c.key.Reveal())
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return hosts.RedactError(err, c.key.Reveal())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return hosts.RedactError(err, c.key.Reveal())
	}
	var env apiReply
	if json.Unmarshal(b, &env) != nil {
		return statusError(resp.StatusCode, http.StatusText(resp.StatusCode), resp.Header)
	}
	if resp.StatusCode != http.StatusOK || env.Status != http.StatusOK {
		st := env.Status
		if resp.StatusCode != http.StatusOK {
			st = resp.StatusCode
		}
		return statusError(st, env.Msg, resp.Header)
	}
	src := []byte(env.Result)
	if env.SessID != "" {
		src = b
	}
	if json.Unmarshal(src, into) != nil {
		return &hosts.Error{Target: Name, Status: resp.StatusCode, Msg: "unexpected reply"}
	}
	return nil
}

// statusError maps the envelope's status (or the HTTP status) and msg to a
// typed error.
func statusError(status int, msg string, h http.Header) error {
	e := &hosts.Error{Target: Name, Kind: hosts.KindOther, Status: status, Msg: text.Reply(msg)}
	low := strings.ToLower(msg)
	switch {
	case status == http.StatusTooManyRequests || strings.Contains(low, "too many") || strings.Contains(low, "rate limit"):
		e.Kind = hosts.KindRateLimit
		e.RetryAfter = hosts.RetryAfter(h, time.Now())
	case status == http.StatusForbidden || status == http.StatusUnauthorized || strings.Contains(low, "key"):
		e.Kind = hosts.KindAuth
	case status == http.StatusNotFound:
		e.Kind = hosts.KindNotFound
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		e.Kind = hosts.KindRejected
	}
	return e
}
