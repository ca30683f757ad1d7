package session

import (
	"os/exec"
	"strings"
	"testing"
)

// TestSessionImportsNoFrontEnd: the composition root is used by the
// commands and the interface, so it imports neither, directly or through
// another package.
func TestSessionImportsNoFrontEnd(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	const mod = "github.com/fsdeck/fsdeck/"
	for _, p := range strings.Fields(string(out)) {
		rest, ok := strings.CutPrefix(p, mod)
		if ok && (rest == "ui" || strings.HasPrefix(rest, "ui/") || rest == "internal/cli" || strings.HasPrefix(rest, "internal/cli/")) {
			t.Errorf("internal/session depends on %s", p)
		}
	}
}
