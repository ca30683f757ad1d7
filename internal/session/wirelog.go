package session

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// wireLog is --verbose and --debug: every request the session's clients
// send (the root target's and the hosting targets'), one line each on
// stderr with its method, URL, status and time, and with --debug the
// headers sent and received. Nothing secret is written: keys, app
// secrets, policies, signatures, tokens, passwords and credentials in
// URLs become REDACTED, whether found by their name (a query parameter,
// a header, a security= path segment) or by their value (every key and
// secret the session knows, wherever it shows up, such as a Filestack
// API key in a processing URL's path).
type wireLog struct {
	w     io.Writer
	debug bool

	mu      sync.Mutex // one request's lines at a time; secrets
	secrets []string
}

// newWireLog is the log on w (nil: no log).
func newWireLog(w io.Writer, debug bool) *wireLog {
	if w == nil {
		return nil
	}
	return &wireLog{w: w, debug: debug}
}

// secret adds values to redact wherever they appear (short values, which
// could match ordinary text, are redacted only by name).
func (l *wireLog) secret(vals ...string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range vals {
		if len(v) >= 4 {
			l.secrets = append(l.secrets, v, url.QueryEscape(v), url.PathEscape(v))
		}
	}
}

// wrap is rt (nil: http.DefaultTransport) logging each request.
func (l *wireLog) wrap(rt http.RoundTripper) http.RoundTripper {
	if l == nil {
		return rt
	}
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &wireTransport{log: l, base: rt}
}

// wrapClient makes c (shared with the target built on it) log its
// requests; it is called before the client sends any.
func (l *wireLog) wrapClient(c *http.Client) {
	if l == nil || c == nil {
		return
	}
	if _, done := c.Transport.(*wireTransport); !done {
		c.Transport = l.wrap(c.Transport)
	}
}

type wireTransport struct {
	log  *wireLog
	base http.RoundTripper
}

func (t *wireTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	t.log.write(r, resp, err, time.Since(start))
	return resp, err
}

func (l *wireLog) write(r *http.Request, resp *http.Response, err error, took time.Duration) {
	var b strings.Builder
	line := func(s string) { b.WriteString("fsdeck: http: " + text.Sanitize(l.scrub(s)) + "\n") }
	ms := fmt.Sprintf("%.1fms", float64(took.Microseconds())/1000)
	where := r.Method + " " + redactURL(r.URL)
	if err != nil {
		line(where + ": failed after " + ms + ": " + redactText(err.Error()))
	} else {
		line(where + ": " + resp.Status + " in " + ms)
	}
	if l.debug {
		for _, h := range headerLines(r.Header) {
			line("> " + h)
		}
		if resp != nil {
			for _, h := range headerLines(resp.Header) {
				line("< " + h)
			}
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, b.String())
}

// scrub replaces the known secrets' values.
func (l *wireLog) scrub(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range l.secrets {
		s = strings.ReplaceAll(s, v, "REDACTED")
	}
	return s
}

// secretName reports a query parameter or header whose value is a
// credential: keys (api_key, api_dev_key, X-Api-Key), policies,
// signatures, secrets, tokens, passwords, cookies and authorization.
func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"key", "policy", "signature", "secret", "token", "password", "passwd", "auth", "cookie", "session", "sig"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// headerLines are h's headers, sorted, credentials redacted.
func headerLines(h http.Header) []string {
	var out []string
	for name, vals := range h {
		for _, v := range vals {
			if secretName(name) {
				v = "REDACTED"
			}
			out = append(out, name+": "+v)
		}
	}
	sort.Strings(out)
	return out
}

// credURL finds a URL's user:password@ inside a path or a query value
// (an external source of store-url), raw or percent-encoded.
var credURL = regexp.MustCompile(`(?i)((?:https?|ftp)(?::|%3a)(?:/|%2f){2})[^/@?#]*(?:@|%40)`)

// redactURL is u without credentials: user info, security= path
// segments (Filestack's policy and signature), and the values of query
// parameters named like a credential.
func redactURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("REDACTED")
	}
	path := c.EscapedPath()
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(strings.ToLower(s), "security=") {
			segs[i] = "security=REDACTED"
		}
	}
	path = strings.Join(segs, "/")
	q := ""
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			name, _, found := strings.Cut(p, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if found && secretName(name) {
				parts[i] = url.QueryEscape(name) + "=REDACTED"
			}
		}
		q = "?" + strings.Join(parts, "&")
	}
	user := ""
	if c.User != nil {
		user = "REDACTED@"
	}
	return redactText(c.Scheme + "://" + user + c.Host + path + q)
}

// redactText takes credentials in URLs out of free text (an error that
// quotes a URL).
func redactText(s string) string {
	s = credURL.ReplaceAllString(s, "${1}REDACTED@")
	return secretParam.ReplaceAllString(s, "${1}${2}REDACTED")
}

// secretParam is a credential as name=value in text (a query string
// quoted by an error) or Filestack's policy:…,signature:… task values.
var secretParam = regexp.MustCompile(`(?i)\b((?:api_?)?key|policy|signature|secret|token|access_token|password)([=:])([^&,/\s"]+)`)
