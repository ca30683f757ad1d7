package imgbb

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

func link(t *testing.T, res hosts.Result, label string) string {
	t.Helper()
	for _, l := range res.Links {
		if l.Label == label {
			return l.URL
		}
	}
	t.Fatalf("no %s link in %+v", label, res.Links)
	return ""
}

// thumb and medium are resized copies of a large image (kept in its
// proportions, made once and kept across a restart, deleted with the
// image when it expires); a small image is its own rendition.
func TestThumbAndMediumAreResizedRenditions(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, c := boot(t, EmulatorOptions{Dir: dir, Now: clk.now})
	big, small := pngBytes(t, 800, 600), pngBytes(t, 40, 30)
	up := func(data []byte, exp time.Duration) hosts.Result {
		res, err := c.Upload(context.Background(), hosts.File{Name: "p.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{Expiry: exp}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := up(big, time.Hour)
	size := func(u string) (int, int, []byte) {
		code, b := fetch(t, u)
		if code != http.StatusOK {
			t.Fatalf("%s: HTTP %d", u, code)
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil || format != "png" {
			t.Fatalf("%s: %v %s", u, err, format)
		}
		return cfg.Width, cfg.Height, b
	}
	thumb, medium := link(t, res, "thumb"), link(t, res, "medium")
	if thumb == res.URL || medium == res.URL || thumb == medium {
		t.Fatalf("renditions share the main URL: %s %s %s", res.URL, thumb, medium)
	}
	if w, h, _ := size(thumb); w != 180 || h != 135 {
		t.Fatalf("thumb %dx%d, want 180x135", w, h)
	}
	if w, h, _ := size(medium); w != 640 || h != 480 {
		t.Fatalf("medium %dx%d, want 640x480", w, h)
	}
	srv.Close()

	srv2, c2 := boot(t, EmulatorOptions{Dir: dir, Now: clk.now})
	if w, _, _ := size(strings.Replace(thumb, srv.URL, srv2.URL, 1)); w != 180 {
		t.Fatalf("thumb after a restart is %d wide", w)
	}
	c = c2
	sres := up(small, 0)
	if _, _, b := size(link(t, sres, "thumb")); !bytes.Equal(b, small) {
		t.Fatal("a small image's thumb is not the image itself")
	}
	clk.add(2 * time.Hour)
	if code, _ := fetch(t, strings.Replace(thumb, srv.URL, srv2.URL, 1)); code != http.StatusNotFound {
		t.Fatalf("thumb of an expired image: HTTP %d", code)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "derived", "*")); len(left) != 0 {
		t.Fatalf("renditions of the expired image left on disk: %v", left)
	}
	if _, err := os.Stat(filepath.Join(dir, "files")); err != nil {
		t.Fatal(err)
	}
}

// A JPEG's renditions are JPEG, served with that type.
func TestJPEGRenditionStaysJPEG(t *testing.T) {
	_, c := boot(t, EmulatorOptions{Dir: t.TempDir()})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, 300, 900)), nil); err != nil {
		t.Fatal(err)
	}
	res, err := c.Upload(context.Background(), hosts.File{Name: "tall.jpg", Size: int64(b.Len()), Body: bytes.NewReader(b.Bytes())}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(link(t, res, "thumb"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cfg, format, err := image.DecodeConfig(resp.Body)
	if err != nil || format != "jpeg" || resp.Header.Get("Content-Type") != "image/jpeg" || cfg.Width != 60 || cfg.Height != 180 {
		t.Fatalf("thumb: %v %s %q %dx%d", err, format, resp.Header.Get("Content-Type"), cfg.Width, cfg.Height)
	}
}
