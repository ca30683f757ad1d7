package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// No package initialisation reads chroma's lexers or styles at start (20
// to 90 ms before main in every run, most of the time to the first frame;
// the preview reads them on first use, internal/lexers): the runtime's
// init trace of `fsdeck --version` lists neither package.
func TestStartReadsNoHighlighting(t *testing.T) {
	cmd := exec.Command(bin, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fsdeck --version: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "init github.com/fsdeck/fsdeck/store @") {
		t.Fatalf("no init trace:\n%s", out)
	}
	for _, pkg := range []string{"github.com/alecthomas/chroma/v2/lexers", "github.com/alecthomas/chroma/v2/styles"} {
		if strings.Contains(string(out), "init "+pkg+" @") {
			t.Errorf("%s is initialised at start:\n%s", pkg, out)
		}
	}
}
