package filestack

import (
	"net/url"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// ValidHandle reports whether h has the form of a Filestack handle: 20
// characters of [A-Za-z0-9_-] (transform.ValidHandle, which the server
// checks too).
func ValidHandle(h string) bool { return transform.ValidHandle(h) }

// HandleFromURL takes the handle from a CDN or File API URL (its last path
// segment that looks like a handle), or returns "".
func HandleFromURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] == "metadata" {
			continue
		}
		if ValidHandle(segs[i]) {
			return segs[i]
		}
		break
	}
	return ""
}

// ParseHandle accepts what a person pastes: a bare handle, a CDN URL, a
// File API URL or a processing URL ending in a handle.
func ParseHandle(input string) (string, bool) {
	s := strings.TrimSpace(input)
	if ValidHandle(s) {
		return s, true
	}
	if h := HandleFromURL(s); h != "" {
		return h, true
	}
	return "", false
}

// CDNURL is the delivery URL of a handle.
func (c *Client) CDNURL(handle string) string { return c.cfg.CDNBase + "/" + handle }

// TransformURL renders a processing chain against the CDN. The API key
// segment is added when the source requires it (external URLs, arrays).
// When an app secret is set, a read+convert policy valid for ttl is attached
// as the security task (ttl 0 means none).
func (c *Client) TransformURL(ch transform.Chain, ttl time.Duration) string {
	return c.transformURL(ch, ttl, security.CallRead, security.CallConvert)
}

func (c *Client) transformURL(ch transform.Chain, ttl time.Duration, calls ...string) string {
	if ch.NeedsAPIKey() && ch.APIKey == "" {
		ch.APIKey = c.cfg.APIKey
	}
	if ttl > 0 && c.cfg.AppSecret != "" {
		sec := security.New(c.cfg.AppSecret, security.Policy{Expiry: c.cfg.Now().Add(ttl).Unix(), Call: calls})
		ch.Tasks = append([]transform.Task{transform.NewTask("security", "p", sec.Policy, "s", sec.Signature)}, ch.Tasks...)
	}
	return ch.URL(c.cfg.CDNBase)
}

// SignedURL is a CDN URL carrying a read policy valid for ttl. It needs an
// app secret; without one it returns the plain URL and false.
func (c *Client) SignedURL(handle string, ttl time.Duration) (string, bool) {
	if c.cfg.AppSecret == "" {
		return c.CDNURL(handle), false
	}
	sec := security.New(c.cfg.AppSecret, security.Policy{Expiry: c.cfg.Now().Add(ttl).Unix(),
		Call: []string{security.CallRead}, Handle: handle})
	q := url.Values{"policy": {sec.Policy}, "signature": {sec.Signature}}
	return c.CDNURL(handle) + "?" + q.Encode(), true
}
