package filestack

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
)

// Error is every failure the client reports: the operation, the HTTP status
// (0 for network errors), Filestack's message and request id. Its text never
// contains the API key, the app secret, a policy or a signature.
type Error struct {
	Op        string
	Status    int
	Message   string
	RequestID string
	// Code is S3's error code on part PUTs (BadDigest, RequestTimeTooSkewed…).
	Code string
	// Err is the underlying transport error, if any.
	Err error
	// Attempts and Elapsed are set when retries were given up: how many
	// attempts were made, over how long.
	Attempts int
	Elapsed  time.Duration
	// retryAfter is when the server said to come back (429 Filestack-Reset).
	retryAfter int64
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ": gave up after %d attempts over %s", e.Attempts, e.Elapsed.Round(100*time.Millisecond))
	}
	switch {
	case e.Status != 0:
		fmt.Fprintf(&b, ": %d %s", e.Status, http.StatusText(e.Status))
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
	case e.Err != nil && (e.Message == "" || !isFSError(e.Err)):
		b.WriteString(": " + e.Err.Error())
	case e.Message != "":
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request " + e.RequestID + ")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// isFSError reports a file-system error (*fs.PathError, *os.LinkError),
// whose text repeats the operation and path ("open /x: permission
// denied"): the Message worded from it says it once ("open: permission
// denied").
func isFSError(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	return errors.As(err, &pe) || errors.As(err, &le)
}

// describe words an error of the network or the local file for people
// (Config.Describe: fsdeck's one wording), or is Go's own text when the
// client was given none. Either way the caller scrubs it of secrets.
func (c *Client) describe(err error) string { return describeWith(c.cfg.Describe, err) }

func describeWith(describe func(error) string, err error) string {
	if describe != nil {
		if s := describe(err); s != "" {
			return s
		}
	}
	return err.Error()
}

var secretParams = regexp.MustCompile(`(?i)\b((?:api)?key|policy|signature|secret|p|s)([=:]"?)([^&,/\s"]+)`)

// redact removes credential values from any text that may end up in a
// message: query parameters and security task values.
func redact(s string) string {
	return secretParams.ReplaceAllStringFunc(s, func(m string) string {
		sub := secretParams.FindStringSubmatch(m)
		name := strings.ToLower(sub[1])
		if (name == "p" || name == "s") && !strings.HasPrefix(sub[2], ":") {
			return m
		}
		return sub[1] + sub[2] + "REDACTED"
	})
}

// scrub removes the client's own secrets from text, whatever shape they are in.
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.cfg.APIKey, c.cfg.AppSecret} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "REDACTED")
		}
	}
	return redact(s)
}

// IsNotFound reports a 404: the handle does not exist (or was deleted).
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsUnauthorized reports a rejected API key.
func IsUnauthorized(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status == http.StatusUnauthorized ||
		(e.Status == http.StatusBadRequest && strings.Contains(e.Message, "Invalid Application"))
}

// IsInsufficientStorage reports a 507: the server's disk is full. It is
// temporary, but not over in a moment, so retries wait the longest
// backoff (RetryPolicy.Max) rather than resend at once.
func IsInsufficientStorage(err error) bool { return statusOf(err) == http.StatusInsufficientStorage }

// IsPolicyError reports a missing, expired, forged or insufficient policy.
func IsPolicyError(err error) bool { return statusOf(err) == http.StatusForbidden && !isSkew(err) }

// IsTemporary reports failures worth retrying: network errors, timeouts,
// 5xx, 408, 429 and S3's RequestTimeTooSkewed.
func IsTemporary(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	if errors.Is(e.Err, context.Canceled) {
		return false
	}
	switch {
	case e.Status == 0:
		return e.Err != nil
	case e.Status >= 500, e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests:
		return true
	}
	return isSkew(err)
}

func isSkew(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "RequestTimeTooSkewed"
}

func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// responseError reads a failed response's body (bounded) and builds an Error
// from whichever of Filestack's formats it uses.
func (c *Client) responseError(op string, res *http.Response) *Error {
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	e := &Error{Op: op, Status: res.StatusCode, RequestID: firstNonEmpty(res.Header.Get("X-Request-Id"), res.Header.Get("Filestack-Request-Id"))}
	e.Message, e.Code = parseErrorBody(body)
	if e.RequestID == "" {
		var up struct {
			C string `json:"c"`
		}
		if json.Unmarshal(body, &up) == nil {
			e.RequestID = up.C
		}
	}
	e.Message = c.scrub(brief(e.Message, 300))
	e.RequestID = brief(e.RequestID, 64)
	e.retryAfter = parseReset(res.Header.Get("Filestack-Reset"))
	return e
}

// parseErrorBody understands the Upload API ({"error": "..."}), the File
// API ({"error": {"code", "msg"}}), S3 XML and plain text.
func parseErrorBody(body []byte) (msg, code string) {
	var up struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &up) == nil && len(up.Error) > 0 {
		var s string
		if json.Unmarshal(up.Error, &s) == nil {
			return s, ""
		}
		var v1 struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal(up.Error, &v1) == nil && v1.Msg != "" {
			return v1.Msg, ""
		}
	}
	var s3 struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	if xml.Unmarshal(body, &s3) == nil && s3.Code != "" {
		return s3.Message, s3.Code
	}
	return strings.TrimSpace(string(body)), ""
}

// brief makes server text fit an error message: its runs of white space
// (an HTML error page's lines) one space, at most n characters. Control
// characters stay: whoever shows the message sanitizes it.
func brief(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) > n {
		s = string([]rune(s)[:n]) + "…"
	}
	return s
}

// netError wraps a transport error, scrubbing URLs that carry the key.
func (c *Client) netError(op string, err error) *Error {
	return &Error{Op: op, Err: scrubbedError{msg: c.scrub(redact(c.describe(err))), err: err}}
}

// scrubbedError keeps errors.Is working on the original while its text is clean.
type scrubbedError struct {
	msg string
	err error
}

func (s scrubbedError) Error() string { return s.msg }
func (s scrubbedError) Unwrap() error { return s.err }

// IsCancelled reports that the operation stopped because its context ended.
func IsCancelled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
