// Package pastebin is the Pastebin target (text only): a client for
// api_post.php and an emulator of it. See README.md for the sources.
//
// It imports internal/hosts and internal/text; never another target, the
// registry, the engine, the store or a front end.
package pastebin

import (
	"net/http"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// Name is the registry name of this target.
const Name = "pastebin"

// DefaultURL is the real service.
const DefaultURL = "https://pastebin.com"

// MaxSize is the free-account paste size (512 KB per Pastebin's FAQ).
const MaxSize = 512 * 1024

// Free-account quotas. The unlisted and private counts are quoted in the
// API's own error strings; the daily count is what several clients'
// documentation states.
const (
	FreePastesPerDay = 10
	FreeUnlisted     = 25
	FreePrivate      = 10
)

// The error strings api_post.php answers with (plain text, as listed on
// https://pastebin.com/doc_api).
const (
	errPrefix      = "Bad API request, "
	ErrBadOption   = "Bad API request, invalid api_option"
	ErrBadDevKey   = "Bad API request, invalid api_dev_key"
	ErrBadUserKey  = "Bad API request, invalid api_user_key"
	ErrEmpty       = "Bad API request, api_paste_code was empty"
	ErrTooBig      = "Bad API request, maximum paste file size exceeded"
	ErrBadExpire   = "Bad API request, invalid api_paste_expire_date"
	ErrBadPrivate  = "Bad API request, invalid api_paste_private"
	ErrBadFormat   = "Bad API request, invalid api_paste_format"
	ErrUsePost     = "Bad API request, use POST request, not GET"
	ErrMaxUnlisted = "Bad API request, maximum number of 25 unlisted pastes for your free account"
	ErrMaxPrivate  = "Bad API request, maximum number of 10 private pastes for your free account"
	ErrDailyLimit  = "Post limit, maximum pastes per 24h reached"
)

type expiryCode struct {
	code string
	d    time.Duration
}

// expiryCodes maps api_paste_expire_date values to durations (a function,
// not a package variable, so nothing can change the table). Months and
// years are calendar-ish on the real site; 30/180/365 days are close
// enough for showing an expiry and for the emulator.
func expiryCodes() []expiryCode {
	return []expiryCode{
		{"10M", 10 * time.Minute}, {"1H", time.Hour}, {"1D", 24 * time.Hour},
		{"1W", 7 * 24 * time.Hour}, {"2W", 14 * 24 * time.Hour},
		{"1M", 30 * 24 * time.Hour}, {"6M", 180 * 24 * time.Hour}, {"1Y", 365 * 24 * time.Hour},
	}
}

// ExpiryCode returns the api_paste_expire_date value for d ("N" for 0).
func ExpiryCode(d time.Duration) (string, bool) {
	if d == 0 {
		return "N", true
	}
	for _, e := range expiryCodes() {
		if e.d == d {
			return e.code, true
		}
	}
	return "", false
}

func expiryOf(code string) (time.Duration, bool) {
	if code == "" || code == "N" {
		return 0, true
	}
	for _, e := range expiryCodes() {
		if e.code == code {
			return e.d, true
		}
	}
	return 0, false
}

func expiryChoices() []time.Duration {
	out := make([]time.Duration, len(expiryCodes()))
	for i, e := range expiryCodes() {
		out[i] = e.d
	}
	return out
}

// classify turns a plain-text error reply into a typed error.
func classify(status int, body string) error {
	msg := text.Reply(body)
	e := &hosts.Error{Target: Name, Kind: hosts.KindRejected, Status: status, Msg: msg}
	if status == http.StatusOK {
		// api_post.php answers its errors as text with 200: "(HTTP 200)"
		// after a failure would read as a contradiction.
		e.Status = 0
	}
	switch {
	case status == 429:
		e.Kind = hosts.KindRateLimit
	case strings.Contains(msg, "api_dev_key"), strings.Contains(msg, "api_user_key"), strings.Contains(msg, "IP blocked"),
		strings.Contains(msg, "invalid login"), strings.Contains(msg, "account not active"):
		e.Kind = hosts.KindAuth
	case strings.Contains(msg, "maximum number of"), strings.HasPrefix(msg, "Post limit"):
		e.Kind, e.Hint = hosts.KindQuota, quotaHint(msg)
	case msg == "" || (!strings.HasPrefix(msg, errPrefix) && status >= 500):
		e.Kind = hosts.KindOther
		if msg == "" {
			e.Msg = "empty reply"
		}
	}
	return e
}

// quotaHint words a count limit for a person (the limits are the free
// account's, as the error lines and client documentation state them).
func quotaHint(msg string) string {
	switch {
	case strings.HasPrefix(msg, "Post limit"):
		return "daily paste limit reached (free accounts: 10 per 24 h)"
	case strings.Contains(msg, "unlisted"):
		return "unlisted paste limit reached (free accounts: 25)"
	case strings.Contains(msg, "private"):
		return "private paste limit reached (free accounts: 10)"
	}
	return "paste limit reached"
}
