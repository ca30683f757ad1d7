// Package security is Filestack's policy and signature scheme, shared by
// the client, which signs, and the emulator, which verifies: a JSON policy
// encoded as base64url with its padding kept, signed by the lowercase hex
// HMAC-SHA256 of that encoded string under the app secret
// (https://www.filestack.com/docs/security/creating-policies/,
// https://www.filestack.com/docs/security/signing-policies/).
//
// It imports nothing of fsdeck.
package security

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Calls a policy can allow.
const (
	CallPick       = "pick"
	CallRead       = "read"
	CallStat       = "stat"
	CallWrite      = "write"
	CallWriteURL   = "writeUrl"
	CallStore      = "store"
	CallConvert    = "convert"
	CallRemove     = "remove"
	CallExif       = "exif"
	CallRunWorkflw = "runWorkflow"
)

// Policy is the JSON object a signature vouches for. A policy without Call
// allows every call except exif.
type Policy struct {
	Expiry    int64    `json:"expiry"`
	Call      []string `json:"call,omitempty"`
	Handle    string   `json:"handle,omitempty"`
	URL       string   `json:"url,omitempty"`
	MaxSize   int64    `json:"maxSize,omitempty"`
	MinSize   int64    `json:"minSize,omitempty"`
	Path      string   `json:"path,omitempty"`
	Container string   `json:"container,omitempty"`
}

// Encode renders the policy as base64url with padding, the form Filestack's
// strict decoder wants.
func (p Policy) Encode() string {
	b, _ := json.Marshal(p) // a struct of strings and ints always marshals
	return base64.URLEncoding.EncodeToString(b)
}

// Credentials are an encoded policy and its signature.
type Credentials struct {
	Policy    string
	Signature string
}

// IsZero reports whether no credentials are set.
func (c Credentials) IsZero() bool { return c.Policy == "" && c.Signature == "" }

// New encodes and signs a policy.
func New(secret string, p Policy) Credentials {
	enc := p.Encode()
	return Credentials{Policy: enc, Signature: Sign(secret, enc)}
}

// Narrow signs a short-lived policy for one call on one handle, the least a
// delete or overwrite needs.
func Narrow(secret, call, handle string, ttl time.Duration, now time.Time) Credentials {
	return New(secret, Policy{Expiry: now.Add(ttl).Unix(), Call: []string{call}, Handle: handle})
}

// Sign is the lowercase hex HMAC-SHA256 of the encoded policy with the app secret.
func Sign(secret, encodedPolicy string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(encodedPolicy))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature in constant time.
func Verify(secret, encodedPolicy, signature string) bool {
	return hmac.Equal([]byte(strings.ToLower(signature)), []byte(Sign(secret, encodedPolicy)))
}

// ErrEncoding is returned for a policy that is not base64 in either alphabet.
var ErrEncoding = errors.New("policy was not properly url-safe base64 encoded")

// ErrMalformed is returned for a policy that is not the expected JSON object.
var ErrMalformed = errors.New("invalid policy: not a JSON object with the expected fields")

// ErrNoExpiry is returned for a policy without a positive expiry.
var ErrNoExpiry = errors.New("invalid policy: expiry is required")

// Decode reads a policy in either base64 alphabet, with or without padding
// (filestack-js signs standard base64; the other SDKs use base64url).
func Decode(encoded string) (Policy, error) {
	var p Policy
	trimmed := strings.TrimRight(encoded, "=")
	raw, err := base64.RawURLEncoding.DecodeString(trimmed)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(trimmed)
	}
	if err != nil {
		return p, ErrEncoding
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, ErrMalformed
	}
	if p.Expiry <= 0 {
		return p, ErrNoExpiry
	}
	return p, nil
}

// Allows applies the call list: none means everything but exif; revoke is
// the deprecated name of remove; pick and store both permit uploads.
func (p Policy) Allows(call string) bool {
	if len(p.Call) == 0 {
		return call != CallExif
	}
	for _, c := range p.Call {
		if c == call || (c == "revoke" && call == CallRemove) ||
			(call == CallStore && c == CallPick) || (call == CallPick && c == CallStore) {
			return true
		}
	}
	return false
}
