package builtin

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
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
		var _ http.Handler = in.Emulator(hosts.EmulatorSetup{Prefix: "/" + name, Keys: []string{"k"}})
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

// sized returns about n bytes each target accepts.
func sized(t *testing.T, k hosts.Kind, n int) []byte {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, uint64(n)))
	switch k {
	case hosts.ImagesOnly:
		img := image.NewGray(image.Rect(0, 0, 36, 36)) // noise: PNG barely compresses it
		for i := range img.Pix {
			img.Pix[i] = byte(rnd.IntN(256))
		}
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	case hosts.TextOnly:
		return []byte(strings.Repeat("text line\n", n/10))
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rnd.IntN(256))
	}
	return b
}

// The emulators mounted together share one memory budget: uploads past it
// evict the oldest stored file (whichever emulator holds it), the budget
// is never exceeded, and a file larger than the whole budget is refused
// with the service's own error, evicting nothing.
func TestMountedEmulatorsShareAMemoryBudget(t *testing.T) {
	r := Registry()
	names := r.Names()
	files := make([][]byte, len(names))
	most := 0
	for i, name := range names {
		tg, err := r.New(name, hosts.Config{Key: "good-key"})
		if err != nil {
			t.Fatal(err)
		}
		files[i] = sized(t, tg.Capabilities().Kind, 1500)
		most = max(most, len(files[i]))
	}
	// Room for two and a half of the files: five uploads must evict.
	budget := hosts.NewBudget(int64(most) * 5 / 2)
	srv := httptest.NewServer(MountWithin(http.NotFoundHandler(), []string{"good-key"}, budget))
	defer srv.Close()
	var urls []string
	var pastebin hosts.Target
	for i, name := range names {
		in, _ := r.Info(name)
		tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "good-key", HTTP: srv.Client(), MinInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if name == "pastebin" {
			pastebin = tg
		}
		res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(files[i])), Body: bytes.NewReader(files[i])}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The main URL: DDownload's emulator serves the bytes at its file
		// page, where the real site shows a web page.
		urls = append(urls, res.URL)
		if u := budget.Used(); u > budget.Limit() {
			t.Fatalf("after %s the emulators hold %d bytes, over the %d budget", name, u, budget.Limit())
		}
	}
	status := func(u string) int {
		resp, err := srv.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Names are sorted: ddownload went first, pastebin last.
	first, last := 0, len(urls)-1
	if names[first] != "ddownload" || names[last] != "pastebin" {
		t.Fatalf("the test expects ddownload first and pastebin last: %v", names)
	}
	if code := status(urls[first]); code != http.StatusNotFound {
		t.Fatalf("the oldest file (%s) was not evicted: HTTP %d", names[first], code)
	}
	if code := status(urls[last]); code != http.StatusOK {
		t.Fatalf("the newest file (%s) is gone: HTTP %d", names[last], code)
	}
	// Larger than the whole budget: the service's own refusal, nothing
	// evicted for it.
	held := budget.Used()
	huge := []byte(strings.Repeat("x", int(budget.Limit())+10))
	_, err := pastebin.Upload(context.Background(), hosts.File{Name: "big.txt", Size: int64(len(huge)), Body: bytes.NewReader(huge)}, hosts.UploadOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "maximum paste file size exceeded") {
		t.Fatalf("over the budget: %v", err)
	}
	if budget.Used() != held || status(urls[last]) != http.StatusOK {
		t.Fatalf("a refused file evicted others: used %d, was %d", budget.Used(), held)
	}
}
