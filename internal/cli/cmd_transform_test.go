package cli

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/clitest"
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
	rs := clitest.JSONLines[result](t, out, clitest.ResultFields...)
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
