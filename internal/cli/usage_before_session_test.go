package cli

import (
	"strings"
	"testing"
)

// url and transform refuse a flag the target has no power for, or an
// argument it cannot read, before the session starts anything: with local
// mode's address held by another program (which would stop the session
// with status 1), they still exit 2 with the usage message, and the data
// directory is not created.
func TestUsageErrorsComeBeforeTheSession(t *testing.T) {
	c := newCLIAddrHeld(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"url", "not a handle"}, `"not a handle" is not a Filestack handle or URL`},
		{[]string{"url", "--signed", "-1h", "AAAAAAAAAAAAAAAAAAAA"}, "--signed needs a positive duration"},
		{[]string{"url", "--to", "imgbb", "--signed", "1h", "abc"}, "--signed and --transform are Filestack-only; imgbb URLs"},
		{[]string{"url", "--to", "gofile", "--transform", "resize=width:10", "abc"}, "--signed and --transform are Filestack-only; gofile URLs"},
		{[]string{"transform", "not a handle", "resize=width:10"}, `"not a handle" is not a Filestack handle or URL`},
		{[]string{"transform", "--to", "pastebin", "abc", "resize=width:10"}, "transform is Filestack-only: processing runs on Filestack's CDN, and pastebin has none"},
		{[]string{"url", "--to", "nosuch", "abc"}, `unknown target "nosuch"`},
	} {
		_, stderr, code := c.run("", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
	c.noDataDir()
}
