package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// notRunLine ends a README line the test cannot run; notRunBlock stands
// on the line above a block it cannot run. Both say why.
var (
	notRunLine  = regexp.MustCompile(`\s+# not run by the test: (\S.*)$`)
	notRunBlock = regexp.MustCompile(`<!-- not run by the test: (\S.*) -->\s*$`)
)

// scriptingBlocks are the sh blocks of README's Scripting section, each
// with what the line above its fence says.
func scriptingBlocks(t *testing.T) (blocks []string, above []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(b), "\n## Scripting\n")
	if !ok {
		t.Fatal("README has no Scripting section")
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	lines := strings.Split(sec, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```sh" {
			continue
		}
		prev := ""
		if i > 0 {
			prev = lines[i-1]
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		blocks, above = append(blocks, strings.Join(body, "\n")), append(above, prev)
	}
	return blocks, above
}

// Every example in README's Scripting section runs as written: each sh
// block as one bash script (errexit, pipefail) in a home of its own, the
// built fsdeck first on PATH, against a running fsdeck serve (local
// mode), with the files the examples name (PNGs, one over 1 MiB, a site
// directory, report.pdf), jq, and a private tmux server for --copy. A
// line or block marked in README as not run is reported, never skipped
// silently, and must say why.
func TestREADMEScriptingExamplesRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the examples are POSIX shell")
	}
	for _, tool := range []string{"bash", "jq", "tmux", "xargs", "find"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (the examples use it)", tool)
		}
	}
	blocks, above := scriptingBlocks(t)
	if len(blocks) < 2 {
		t.Fatalf("README's Scripting section has %d sh blocks; the test expects its examples there", len(blocks))
	}
	c := newCLI(t)
	c.serveWith(t)
	home := filepath.Dir(c.dir)
	// A private tmux server: --copy puts text in its buffer.
	sock := filepath.Join(t.TempDir(), "tmux.sock")
	if out, err := exec.Command("tmux", "-S", sock, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "sleep 600").CombinedOutput(); err != nil {
		t.Skipf("tmux cannot start a server here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "-S", sock, "kill-server").Run() })
	pid, _ := exec.Command("tmux", "-S", sock, "display-message", "-p", "#{pid}").Output()
	fixtures := map[string][]byte{
		"a.png":           pngBytes(t, 8, 6),
		"shots/b.png":     pngBytes(t, 12, 4),
		"report.pdf":      []byte("%PDF-1.4\n% a report\n"),
		"site/index.html": []byte("<p>hi</p>\n"),
		"site/css/m.css":  []byte("p{}\n"),
	}
	big := make([]byte, 3<<20>>1)
	rand.Read(big)
	fixtures["big.png"] = append(pngBytes(t, 4, 4), big...)
	for name, data := range fixtures {
		c.file(name, data)
	}
	env := append(c.env(), "HOME="+home, "PATH="+filepath.Dir(bin)+":/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "TZ=UTC",
		"TMUX="+sock+","+strings.TrimSpace(string(pid))+",0")
	for i, block := range blocks {
		if m := notRunBlock.FindStringSubmatch(above[i]); m != nil {
			t.Logf("block %d not run (README says: %s):\n%s", i+1, m[1], block)
			continue
		}
		var script strings.Builder
		script.WriteString("set -euo pipefail\n")
		ran := 0
		for _, line := range strings.Split(block, "\n") {
			if m := notRunLine.FindStringSubmatch(line); m != nil {
				t.Logf("block %d: not run (README says: %s): %s", i+1, m[1], strings.TrimSpace(notRunLine.ReplaceAllString(line, "")))
				continue
			}
			if strings.Contains(line, "not run by the test") {
				t.Errorf("block %d: %q marks itself as not run without the form `# not run by the test: WHY` at its end", i+1, line)
			}
			if strings.TrimSpace(line) != "" {
				ran++
			}
			script.WriteString(line + "\n")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
		cmd.Dir, cmd.Env = c.dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Errorf("README Scripting block %d does not run as written: %v\nscript:\n%s\nstdout:\n%s\nstderr:\n%s", i+1, err, script.String(), stdout.String(), stderr.String())
			continue
		}
		t.Logf("block %d: %d lines ran\n%s", i+1, ran, stdout.String())
		if i == 0 {
			// The first block did what it says: the site is in the ledger
			// under site/, the PNG over 1 MiB was deleted.
			ls, _, _ := c.run("", "ls", "--json")
			if !strings.Contains(ls, `"path":"site/index.html"`) || strings.Contains(ls, `"filename":"big.png"`) || !strings.Contains(ls, `"filename":"b.png"`) {
				t.Errorf("after the first block, ls --json:\n%s", ls)
			}
		}
	}
	// --copy reached tmux's buffer.
	if buf, err := exec.Command("tmux", "-S", sock, "show-buffer").Output(); err != nil || !strings.Contains(string(buf), "http://127.0.0.1:") {
		t.Errorf("--copy put %q in tmux's buffer (%v)", buf, err)
	}
}
