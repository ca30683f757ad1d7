package e2e

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// walkthroughBlock is the README's serve walkthrough: the sh block after
// its marker comment.
func walkthroughBlock(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- serve walkthrough: internal/e2e runs this block -->\n```sh\n")
	if !ok {
		t.Fatal("README has no serve walkthrough block")
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the walkthrough block does not end")
	}
	return block
}

// freeLoopbackPort is a port nothing listens on now.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// The README's walkthrough runs as written, in a home of its own with the
// built fsdeck first on PATH, with what only a test may change: the two
// lines that need root (sudo) run without their system change — the
// hosts lines are printed and checked instead of appended to /etc/hosts,
// and setcap is skipped — port 443 becomes a free port, and curl gets
// --connect-to sending every hostname there (the test's /etc/hosts:
// names and certificates are still checked as the service's). Nothing
// but loopback is reached.
func TestREADMEServeWalkthrough(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the walkthrough is a POSIX shell session")
	}
	for _, tool := range []string{"bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	block := walkthroughBlock(t)
	port := freeLoopbackPort(t)
	var script strings.Builder
	// Background jobs (serve) are stopped when the script ends.
	script.WriteString("set -e\ntrap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n")
	sudo := 0
	for _, line := range strings.Split(block, "\n") {
		switch {
		case strings.HasSuffix(line, "| sudo tee -a /etc/hosts"):
			sudo++
			line = strings.TrimSuffix(line, "| sudo tee -a /etc/hosts") + "> hosts-lines"
		case strings.HasPrefix(line, "sudo setcap "):
			sudo++
			continue
		}
		line = strings.ReplaceAll(line, "127.0.0.1:443", "127.0.0.1:"+port)
		line = strings.ReplaceAll(line, "curl ", "curl -sS --fail-with-body --connect-to ::127.0.0.1:"+port+" ")
		script.WriteString(line + "\n")
		if strings.HasSuffix(strings.TrimSpace(line), "&") {
			// A person waits for the banner; the script waits for the port.
			script.WriteString("for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/" + port + ") 2>/dev/null && break; sleep 0.1; done\n")
		}
	}
	if sudo != 2 {
		t.Fatalf("the walkthrough has %d sudo lines, the test knows 2:\n%s", sudo, block)
	}
	home := t.TempDir()
	work := filepath.Join(home, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	var photo bytes.Buffer
	png.Encode(&photo, image.NewGray(image.Rect(0, 0, 8, 6)))
	if err := os.WriteFile(filepath.Join(work, "photo.png"), photo.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = work
	cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Dir(bin) + ":/usr/bin:/bin", "LANG=C.UTF-8",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "XDG_RUNTIME_DIR=" + home, "DBUS_SESSION_BUS_ADDRESS=disabled:", "TZ=UTC"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("walkthrough: %v\nscript:\n%s\nstdout:\n%s\nstderr:\n%s", err, script.String(), stdout.String(), stderr.String())
	}
	out := stdout.String()
	hostsLines, _ := os.ReadFile(filepath.Join(work, "hosts-lines"))
	for _, name := range []string{"api.imgbb.com", "i.ibb.co", "pastebin.com", "cdn.filestackcontent.com", "upload.gyazo.com", "gofile.io", "api-v2.ddownload.com"} {
		if !regexp.MustCompile(`(?m)^127\.0\.0\.1\t.*\b` + regexp.QuoteMeta(name) + `\b`).Match(hostsLines) {
			t.Errorf("hosts lines lack %s:\n%s", name, hostsLines)
		}
	}
	for _, want := range []string{`"url":"https://i.ibb.co/`, `"url_viewer":"https://ibb.co/`, `"width":"8"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the ImgBB upload's answer lacks %s:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^https://pastebin\.com/[A-Za-z0-9]{8}\nhello$`).MatchString(out) {
		t.Errorf("the paste's URL and its raw text:\n%s", out)
	}
	ca := filepath.Join(home, "fsdeck-stand-in", "tls-ca", "ca.pem")
	if _, err := os.Stat(ca); err != nil {
		t.Errorf("no CA where the walkthrough trusts it: %v", err)
	}
	if _, err := strconv.Atoi(port); err != nil {
		t.Fatal(err)
	}
}
