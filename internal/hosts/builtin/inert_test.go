package builtin

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Every emulator's download route serves a file with nosniff, and an
// active type (GoFile keeps any file: HTML here) in a sandbox, so an
// upload never runs as a page of the server's origin.
func TestEmulatorDownloadsServedInert(t *testing.T) {
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, t.TempDir(), nil))
	defer srv.Close()
	r := Registry()
	for _, name := range r.Mounted() {
		in, _ := r.Info(name)
		tg, _ := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "good-key", MinInterval: time.Millisecond})
		data := sample(t, tg.Capabilities().Kind)
		switch name {
		case "gofile":
			data = []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
		case "imgbb":
			// Larger than the thumb and medium boxes, so they are resized
			// copies served on their own path.
			var b bytes.Buffer
			png.Encode(&b, image.NewGray(image.Rect(0, 0, 700, 20)))
			data = b.Bytes()
		}
		res, err := tg.Upload(context.Background(), hosts.File{Name: "f.html", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		urls := []string{fileURL(srv.URL, tg, res)}
		for _, l := range res.Links {
			if l.Label == "thumb" || l.Label == "medium" {
				urls = append(urls, l.URL) // ImgBB's renditions, Gyazo's thumb
			}
		}
		for _, u := range urls {
			res, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			active := strings.HasPrefix(res.Header.Get("Content-Type"), "text/html")
			if res.StatusCode != 200 || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
				(res.Header.Get("Content-Security-Policy") == "sandbox") != active || active != (name == "gofile") {
				t.Errorf("%s: %s: HTTP %d, Content-Type %q, nosniff %q, CSP %q", name, u, res.StatusCode, res.Header.Get("Content-Type"),
					res.Header.Get("X-Content-Type-Options"), res.Header.Get("Content-Security-Policy"))
			}
		}
	}
}
