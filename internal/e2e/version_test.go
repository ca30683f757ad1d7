package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// fsdeck -v, --version and version name the VCS revision the toolchain
// stamped into the binary (when it was built in a git checkout).
func TestVersionNamesTheBuildRevision(t *testing.T) {
	c := newCLI(t)
	info, _ := exec.Command("go", "version", "-m", bin).Output()
	for _, args := range [][]string{{"-v"}, {"--version"}, {"version"}} {
		out, _, code := c.run("", args...)
		if code != 0 || !strings.HasPrefix(out, "fsdeck ") {
			t.Fatalf("%v: %d %q", args, code, out)
		}
		for _, line := range strings.Split(string(info), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") {
				if rev := strings.TrimPrefix(f[1], "vcs.revision="); !strings.Contains(out, "revision "+rev[:12]) {
					t.Errorf("%v: %q lacks revision %s", args, out, rev[:12])
				}
			}
		}
	}
}
