package filestack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// request describes one API call; body is rebuilt for every attempt.
type request struct {
	op          string
	method      string
	url         string
	contentType string
	header      map[string]string
	body        func() (io.Reader, int64, error)
	onRetry     retryFunc
	// noRetry makes a temporary failure final (the caller retries itself).
	noRetry bool
}

func jsonBody(v any) (func() (io.Reader, int64, error), error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return func() (io.Reader, int64, error) { return bytes.NewReader(b), int64(len(b)), nil }, nil
}

func newBodyRequest(ctx context.Context, method, url string, body any) (*http.Request, error) {
	var r io.Reader
	if b, ok := body.(io.Reader); ok && b != nil {
		r = b
	}
	return http.NewRequestWithContext(ctx, method, url, r)
}

// do runs the request with retries and decodes a JSON answer into out (if
// non-nil). It returns the final status; non-2xx statuses are *Error.
func (c *Client) do(ctx context.Context, rq request, out any) (int, error) {
	status := 0
	attempt := func() error {
		res, err := c.roundTrip(ctx, rq)
		if err != nil {
			return err
		}
		defer drainClose(res.Body)
		status = res.StatusCode
		if res.StatusCode < 200 || res.StatusCode > 299 {
			return c.responseError(rq.op, res)
		}
		if out == nil || res.StatusCode == http.StatusAccepted || res.StatusCode == http.StatusNoContent {
			return nil
		}
		if err := json.NewDecoder(io.LimitReader(res.Body, 16<<20)).Decode(out); err != nil && err != io.EOF {
			return &Error{Op: rq.op, Status: res.StatusCode, Message: "malformed JSON in the response: " + brief(err.Error(), 120)}
		}
		return nil
	}
	if rq.noRetry {
		return status, attempt()
	}
	return status, c.withRetry(ctx, rq.onRetry, attempt)
}

// roundTrip sends one attempt; transport errors come back as *Error.
func (c *Client) roundTrip(ctx context.Context, rq request) (*http.Response, error) {
	var body io.Reader
	var size int64 = -1
	if rq.body != nil {
		var err error
		if body, size, err = rq.body(); err != nil {
			return nil, &Error{Op: rq.op, Message: err.Error(), Err: err}
		}
	}
	req, err := c.newRequest(ctx, rq.method, rq.url, body)
	if err != nil {
		return nil, &Error{Op: rq.op, Message: "building the request failed", Err: fmt.Errorf("%s", c.scrub(err.Error()))}
	}
	if size >= 0 {
		req.ContentLength = size
		if size == 0 {
			req.Body = http.NoBody
		}
	}
	if rq.contentType != "" {
		req.Header.Set("Content-Type", rq.contentType)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, c.netError(rq.op, err)
	}
	return res, nil
}

// drainClose reads a little of what is left so the connection can be
// reused, then closes the body.
func drainClose(rc io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	rc.Close()
}
