package builtin

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/hosts"
)

// Every registered target must be complete: buildable from a key and
// shipping an emulator, since local mode relies on both.
func TestEveryTargetIsComplete(t *testing.T) {
	r := Registry()
	for _, name := range r.Names() {
		in, _ := r.Info(name)
		if in.Title == "" || in.DefaultURL == "" || in.KeyHelp == "" || in.Emulator == nil {
			t.Errorf("%s: incomplete Info %+v", name, in)
			continue
		}
		tg, err := r.New(name, hosts.Config{Key: "k"})
		if err != nil || tg.Name() != name {
			t.Errorf("%s: New = %v, %v", name, tg, err)
		}
		var _ http.Handler = in.Emulator("/"+name, []string{"k"})
	}
}

func TestMountRoutesPrefixesAndFallsThrough(t *testing.T) {
	var fell []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fell = append(fell, r.URL.Path) })
	srv := httptest.NewServer(Mount(next, []string{"k"}))
	defer srv.Close()
	resp, err := srv.Client().PostForm(srv.URL+"/pastebin/api/api_post.php",
		url.Values{"api_dev_key": {"k"}, "api_option": {"paste"}, "api_paste_code": {"hi"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(string(b), srv.URL+"/pastebin/") {
		t.Fatalf("pastebin route answered %q", b)
	}
	// Filestack paths, including one embedding a URL, reach next untouched.
	for _, p := range []string{"/api/store/S3", "/resize=w:10/https://example.com/a.png", "/pastebinX"} {
		resp, err := srv.Client().Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if len(fell) != 3 || fell[1] != "/resize=w:10/https://example.com/a.png" {
		t.Fatalf("fell through: %v", fell)
	}
}

// sample returns content each target accepts.
func sample(t *testing.T, k hosts.Kind) []byte {
	t.Helper()
	switch k {
	case hosts.ImagesOnly:
		var b bytes.Buffer
		if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	case hosts.TextOnly:
		return []byte("plain text ✓\n")
	}
	return []byte{0, 1, 2, 3, 0xff}
}

// Every registered target uploads through the mounted emulators at its
// LocalURL, and is refused with ErrAuth under a wrong key — the path local
// mode will take.
func TestEveryTargetUploadsToItsMountedEmulator(t *testing.T) {
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}))
	defer srv.Close()
	r := Registry()
	for _, name := range r.Names() {
		in, _ := r.Info(name)
		for _, key := range []hosts.Key{"good-key", "wrong-key"} {
			tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: key, HTTP: srv.Client(), MinInterval: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			data := sample(t, tg.Capabilities().Kind)
			res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
			switch {
			case key == "good-key" && (err != nil || res.Target != name || !strings.HasPrefix(res.URL, srv.URL+"/"+name+"/")):
				t.Errorf("%s: %+v, %v", name, res, err)
			case key == "wrong-key" && !errors.Is(err, hosts.ErrAuth):
				t.Errorf("%s with a wrong key: %v, want ErrAuth", name, err)
			}
		}
	}
}
