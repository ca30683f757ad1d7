package emulator

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// The request log (Requests and the slog lines) never holds a key
// segment, accepted or not, a policy or signature, or the credentials of
// an external URL.
func TestRequestLogRedactsSecrets(t *testing.T) {
	var logged bytes.Buffer
	e := newTEnv(t, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	const wrong = "AWrongButRealLookingKey9"
	paths := []string{
		"/" + key + "/resize=w:4/AAAAAAAAAAAAAAAAAAAA",
		"/" + wrong + "/resize=w:4/AAAAAAAAAAAAAAAAAAAA",
		"/" + key + "/security=p:POLICYONE,s:SIGONE/resize=w:4/security=p:POLICYTWO,s:SIGTWO/AAAAAAAAAAAAAAAAAAAA",
		"/" + key + "/resize=w:4/https://alice:hunter2@example.com/a.png",
		"/" + key + "/resize=w:4/https:/bob:s3cret@example.com/a.png",
		"/" + key + "/zip/[https://carol:pa55word@example.com/a.png,AAAAAAAAAAAAAAAAAAAA]",
		"/" + key + "/zip/[AAAAAAAAAAAAAAAAAAAA,HTTP://dave:0pensesame@example.com/b.png]",
		// Encoded sources: base64 and percent-encoded (twice on the wire,
		// so still encoded in the decoded path).
		"/" + key + "/resize=w:4/b64://aHR0cHM6Ly9lcmluOmI2NHNlY3JldEBleGFtcGxlLmNvbS9hLnBuZw",
		"/" + key + "/resize=w:4/https%253A%252F%252Ffrank%253Apct5ecret%2540example.com%252Fa.png",
		"/" + key + "/resize=w:4/https://henry:c0l%253Aon@example.com/a.png",
		"/" + key + "/zip/[AAAAAAAAAAAAAAAAAAAA,https%253A%252F%252Fgina%253Aarr4ysecret%2540example.com%252Fa.png]",
	}
	for _, p := range paths {
		e.do("GET", p, nil)
	}
	var all strings.Builder
	for _, r := range e.s.Requests() {
		all.WriteString(r.Path + "\n")
	}
	all.Write(logged.Bytes())
	for _, secret := range []string{key, wrong, "POLICYONE", "SIGONE", "POLICYTWO", "SIGTWO", "hunter2", "s3cret", "alice", "bob:", "pa55word", "0pensesame",
		"aHR0cHM6Ly9lcmluOmI2NHNlY3JldEBleGFtcGxlLmNvbS9hLnBuZw", "pct5ecret", "arr4ysecret", "c0l"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("%q is in the request log:\n%s", secret, all.String())
		}
	}
	// What is not secret stays readable: handles, tasks, hosts.
	for _, kept := range []string{"/KEY/resize=w:4/AAAAAAAAAAAAAAAAAAAA", "security=REDACTED", "REDACTED@example.com/a.png"} {
		if !strings.Contains(all.String(), kept) {
			t.Errorf("%q is missing from the request log:\n%s", kept, all.String())
		}
	}
	// /{handle}/metadata keeps its handle, and API routes their names.
	for _, c := range []struct{ ep, path string }{
		{epCDN, "/AAAAAAAAAAAAAAAAAAAA/metadata"},
		{epPut, "/s3/Up10adID/3"},
		{epStart, "/multipart/start"},
	} {
		if got := e.s.redactPath(c.ep, c.path); got != c.path {
			t.Errorf("%s redacted to %q", c.path, got)
		}
	}
}
