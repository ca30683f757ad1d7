package hosts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// ErrorKind classifies failures so front ends can react (ask for a key,
// wait, tell the user the file does not fit) without parsing text.
type ErrorKind int

// Error kinds.
const (
	KindOther     ErrorKind = iota
	KindAuth                // key missing, wrong or revoked
	KindRateLimit           // the service asked us to slow down
	KindQuota               // an account quota is used up (e.g. paste count)
	KindRejected            // the file or options are not acceptable
	KindNotFound
)

// Sentinels for errors.Is; *Error matches the one of its Kind.
var (
	ErrAuth      = errors.New("hosts: authentication failed")
	ErrRateLimit = errors.New("hosts: rate limited")
	ErrQuota     = errors.New("hosts: quota exceeded")
	ErrRejected  = errors.New("hosts: rejected")
	ErrNotFound  = errors.New("hosts: not found")
)

// Error is a failure reported by (or about) a target. Msg is the service's
// own message where it sent one; it never contains a key.
type Error struct {
	Target     string
	Kind       ErrorKind
	Status     int // HTTP status, 0 when the check was local or the status says nothing (an error answered with 200)
	Msg        string
	RetryAfter time.Duration // from Retry-After, when the service sent one
	// Hint says in plain words what the limit or refusal is, where the
	// client knows more than the service's message ("daily paste limit
	// reached (free accounts: 10 per 24 h)"); Describe puts it first.
	Hint string
}

func (e *Error) Error() string {
	s := e.Target + ": " + e.Msg
	if e.Status != 0 {
		s = fmt.Sprintf("%s (HTTP %d)", s, e.Status)
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf("; retry after %s", e.RetryAfter)
	}
	return s
}

// Is maps the kind onto the package sentinels.
func (e *Error) Is(target error) bool {
	switch e.Kind {
	case KindAuth:
		return target == ErrAuth
	case KindRateLimit:
		return target == ErrRateLimit
	case KindQuota:
		return target == ErrQuota
	case KindRejected:
		return target == ErrRejected
	case KindNotFound:
		return target == ErrNotFound
	}
	return false
}

// Key is a service key or token. Its String, GoString and JSON forms are
// redacted so a key put in a log line or error by mistake does not leak.
type Key string

// Reveal returns the key for putting on the wire; nothing else should.
func (k Key) Reveal() string { return string(k) }

func (k Key) String() string { return "[redacted]" }

// GoString keeps %#v redacted too.
func (k Key) GoString() string { return "[redacted]" }

// MarshalText redacts the key in JSON, TOML and similar encodings.
func (k Key) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// RedactError strips secrets from err's text: net/http's *url.Error quotes
// the request URL, and services like ImgBB take the key in the query. The
// result keeps the cause for errors.Is (context.Canceled, timeouts) but
// its message and any *url.Error in it carry no secret.
func RedactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = redactString(ue.URL, secrets)
		if u, perr := url.Parse(cp.URL); perr == nil && u.RawQuery != "" {
			u.RawQuery = ""
			cp.URL = u.String()
		}
		msg := redactString(err.Error(), secrets)
		if p := text.NetError(ue); p != "" {
			// net/http's `Post "https://…": dial tcp: lookup …` becomes
			// "cannot resolve host …"; the wrapping context stays.
			return &redacted{msg: strings.Replace(msg, redactString(ue.Error(), secrets), p, 1), cause: &cp}
		}
		if err == error(ue) {
			return &cp
		}
		return &redacted{msg: msg, cause: &cp}
	}
	msg := err.Error()
	if r := redactString(msg, secrets); r != msg {
		// The wrapped chain may quote the secret too, so keep only the
		// causes callers branch on.
		var cause error
		switch {
		case errors.Is(err, context.Canceled):
			cause = context.Canceled
		case errors.Is(err, context.DeadlineExceeded):
			cause = context.DeadlineExceeded
		}
		return &redacted{msg: r, cause: cause}
	}
	return err
}

type redacted struct {
	msg   string
	cause error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.cause }

func redactString(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
			s = strings.ReplaceAll(s, url.QueryEscape(sec), "[redacted]")
		}
	}
	return s
}

// Describe words err for a person: what happened, in the client's words
// where it has them, the service's message, and what to do about it (set
// a key, wait). Errors that are not an *Error keep their text.
func Describe(err error) string {
	var e *Error
	if err == nil || !errors.As(err, &e) {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	s := e.Error()
	if e.Hint != "" {
		// The hint says it all; the service's words follow for reference.
		s = e.Target + ": " + e.Hint + " (" + e.Msg + ")"
		if e.RetryAfter > 0 {
			s += fmt.Sprintf("; retry after %s", e.RetryAfter)
		}
	}
	switch e.Kind {
	case KindAuth:
		s += "; check the key with `fsdeck key status --target " + e.Target + "`"
	case KindRateLimit:
		s += "; the service asks fsdeck to slow down: try again later"
	case KindQuota:
		s += "; try again later"
	}
	return s
}
