package cli

import (
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// key status without a keyring (no session bus here) explains it once,
// after one short line per secret, not once per secret.
func TestCLIKeyStatusExplainsMissingKeyringOnce(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		t.Skip("the test reaches no keyring through a disabled D-Bus address")
	}
	c := newCLI(t)
	out, errOut, code := c.run("", "key", "status")
	if code != 0 || strings.Count(out, "fsdeck never writes secrets to a file") != 1 {
		t.Fatalf("exit %d, stderr %q, the explanation not once:\n%s", code, errOut, out)
	}
	short := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "unknown: keyring not available") {
			short++
			if len(l) > 100 {
				t.Errorf("a long line per secret: %q", l)
			}
		}
	}
	if short != 7 || !regexp.MustCompile(`(?m)^imgbb +unknown: keyring not available \([^)]+\); FSDECK_IMGBB_KEY can stand in$`).MatchString(out) {
		t.Errorf("want a short line for each of the 7 secrets:\n%s", out)
	}
}
