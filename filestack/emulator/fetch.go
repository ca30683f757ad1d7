package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"time"
)

// fetcher downloads external sources for store-from-URL and processing:
// http(s) only, bounded redirects, a timeout and a size cap.
type fetcher struct {
	client  *http.Client
	maxSize int64
}

type fetched struct {
	Body     io.ReadCloser
	filename string
	mimetype string
}

func newFetcher(timeout time.Duration, maxSize int64) *fetcher {
	return &fetcher{maxSize: maxSize, client: &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s URL is not allowed", req.URL.Scheme)
			}
			return nil
		},
	}}
}

func (f *fetcher) get(ctx context.Context, raw string) (*fetched, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errorf(http.StatusBadRequest, "only http and https URLs can be fetched")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "invalid URL")
	}
	req.Header.Set("User-Agent", "fsdeck-emulator")
	res, err := f.client.Do(req)
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: %v", redactURL(raw), unwrapURLError(err))
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		res.Body.Close()
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: the server answered %s", redactURL(raw), res.Status)
	}
	if res.ContentLength > f.maxSize {
		res.Body.Close()
		return nil, errorf(http.StatusBadRequest, "fetching %s failed: %d bytes exceeds the %d-byte limit", redactURL(raw), res.ContentLength, f.maxSize)
	}
	out := &fetched{Body: res.Body, mimetype: stripParams(res.Header.Get("Content-Type"))}
	if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err == nil && params["filename"] != "" {
		out.filename = path.Base(params["filename"])
	} else if base := path.Base(u.Path); base != "/" && base != "." {
		out.filename = base
	}
	return out, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redactURL drops user info and query (which may hold credentials) from
// URLs that go into messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the URL"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
