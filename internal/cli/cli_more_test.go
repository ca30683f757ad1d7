package cli

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// transform prints the processing URL, saves the result with -o (never
// over a file without --force) and stores it with --store.
func TestCLITransform(t *testing.T) {
	c := newCLI(t)
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 20)))
	c.file("pic.png", img.Bytes())
	out, _, _ := c.run("", "upload", "-q", "pic.png")
	h := strings.TrimSpace(out)
	out, _, code := c.run("", "transform", h, "resize=width:10")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), "/resize=width:10/"+h) {
		t.Fatalf("url: %d %q", code, out)
	}
	if _, errOut, code := c.run("", "transform", h, "resize=width:10", "-o", "pic.png"); code != 1 || !strings.Contains(errOut, "without --force") {
		t.Fatalf("-o over a file: %d %q", code, errOut)
	}
	if _, errOut, code := c.run("", "transform", h, "resize=width:10", "-o", "small.png"); code != 0 {
		t.Fatalf("-o: %d %q", code, errOut)
	}
	f, _ := os.Open(filepath.Join(c.dir, "small.png"))
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 10 || cfg.Height != 5 {
		t.Fatalf("small.png: %v %dx%d", err, cfg.Width, cfg.Height)
	}
	// The result gets the permissions a download gets (not CreateTemp's
	// 0600).
	if _, errOut, code := c.run("", "get", "-o", "got.png", h); code != 0 {
		t.Fatalf("get: %d %q", code, errOut)
	}
	got, _ := os.Stat(filepath.Join(c.dir, "got.png"))
	small, _ := os.Stat(filepath.Join(c.dir, "small.png"))
	if got == nil || small == nil || small.Mode().Perm() != got.Mode().Perm() {
		t.Errorf("transform -o made %v, get made %v", small, got)
	}
	out, errOut, code := c.run("", "transform", h, "resize=width:10", "--store", "--json")
	rs := jsonLines(t, out)
	if code != 0 || len(rs) != 1 || rs[0].Status != statusStored || rs[0].Handle == h {
		t.Fatalf("--store: %d %q %q", code, out, errOut)
	}
	if out, _, _ := c.run("", "ls", "-q"); !strings.Contains(out, rs[0].Handle) {
		t.Errorf("stored result not in the ledger: %q", out)
	}
	if _, errOut, code := c.run("", "transform", h, "resize=wdth:10"); code != 2 || !strings.Contains(errOut, "resize") {
		t.Errorf("bad parameter: %d %q", code, errOut)
	}
}

// store-url stores what the server fetches and names a bad URL, going on
// with the rest. The local server refuses loopback URLs unless
// FSDECK_ALLOW_PRIVATE_URLS allows them, and says so.
func TestCLIStoreURL(t *testing.T) {
	c := newCLI(t)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("fetched body"))
	}))
	defer src.Close()
	out, errOut, code := c.run("", "store-url", src.URL+"/note.txt")
	if code != 1 || !strings.Contains(errOut, "FSDECK_ALLOW_PRIVATE_URLS") {
		t.Fatalf("loopback URL without FSDECK_ALLOW_PRIVATE_URLS: %d %q %q", code, out, errOut)
	}
	c.extraEnv = []string{"FSDECK_ALLOW_PRIVATE_URLS=1"}
	out, errOut, code = c.run("", "store-url", "--json", "ftp://example/x", src.URL+"/note.txt")
	rs := byPath(jsonLines(t, out))
	if code != 1 || rs["ftp://example/x"].Error != "not an http(s) URL" || rs[src.URL+"/note.txt"].Status != statusStored ||
		rs[src.URL+"/note.txt"].Size != 12 {
		t.Fatalf("%d %q %q", code, out, errOut)
	}
	got, _, _ := c.run("", "get", "--stdout", rs[src.URL+"/note.txt"].Handle)
	if got != "fetched body" {
		t.Errorf("content %q", got)
	}
}

// Exit status 3: with a Filestack key but no app secret, signing and
// deleting are refused before any request is sent.
func TestCLIMissingSecretExit3(t *testing.T) {
	c := newCLI(t)
	cmd := c.command("", "url", "--signed", "1h", "AAAAAAAAAAAAAAAAAAAA")
	cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=AkeyThatIsNeverSent0000")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(errb.String(), "app secret") {
		t.Errorf("url --signed: %d %q", code, errb.String())
	}
	cmd = c.command("", "rm", "--yes", "AAAAAAAAAAAAAAAAAAAA")
	cmd.Env = append(cmd.Env, "FILESTACK_API_KEY=AkeyThatIsNeverSent0000")
	errb.Reset()
	cmd.Stderr = &errb
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 3 || !strings.Contains(errb.String(), "app secret") {
		t.Errorf("rm: %d %q", code, errb.String())
	}
	if strings.Contains(errb.String(), "AkeyThatIsNeverSent0000") {
		t.Errorf("the key is in the message: %q", errb.String())
	}
}

// url --copy reports exactly what happened: here no terminal, no tmux and
// no clipboard tool, so nothing could take it (exit 1), and the URL is
// still printed.
func TestCLIURLCopyReportsHonestly(t *testing.T) {
	c := newCLI(t)
	c.file("f.txt", []byte("f"))
	out, _, _ := c.run("", "upload", "-q", "f.txt")
	h := strings.TrimSpace(out)
	cmd := c.command("", "url", "--copy", h)
	cmd.Env = append(cmd.Env, "PATH="+t.TempDir(), "TMUX=", "STY=")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.HasSuffix(strings.TrimSpace(o.String()), "/"+h) ||
		!strings.Contains(e.String(), "clipboard: could not copy") {
		t.Errorf("exit %d, stdout %q, stderr %q", cmd.ProcessState.ExitCode(), o.String(), e.String())
	}
}
