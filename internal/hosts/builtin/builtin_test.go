package builtin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// Every registered target must be complete: buildable from a key and
// shipping an emulator, since local mode relies on both. Filestack is
// registered, as the one root target.
func TestEveryTargetIsComplete(t *testing.T) {
	r := Registry()
	if r.Root() != "filestack" || r.Targets()[0] != "filestack" || len(r.Targets()) != len(r.Mounted())+1 {
		t.Errorf("root %q, targets %v, mounted %v", r.Root(), r.Targets(), r.Mounted())
	}
	for _, name := range r.Targets() {
		in, _ := r.Info(name)
		if in.Title == "" || in.DefaultURL == "" || in.KeyHelp == "" || in.Emulator == nil {
			t.Errorf("%s: incomplete Info %+v", name, in)
			continue
		}
		tg, err := r.New(name, hosts.Config{Key: "k"})
		if err != nil || tg.Name() != name {
			t.Errorf("%s: New = %v, %v", name, tg, err)
		}
		var h http.Handler = in.Emulator(hosts.EmulatorSetup{Prefix: "/" + name, Keys: []string{"k"}, Dir: t.TempDir()})
		if c, ok := h.(io.Closer); ok {
			c.Close()
		}
		if c, ok := tg.(interface{ Close() }); ok {
			c.Close()
		}
	}
}

func TestMountRoutesPrefixesAndFallsThrough(t *testing.T) {
	var fell []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fell = append(fell, r.URL.Path) })
	srv := httptest.NewServer(Mount(next, []string{"k"}, t.TempDir(), nil))
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
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, t.TempDir(), nil))
	defer srv.Close()
	r := Registry()
	for _, name := range r.Mounted() {
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

// The emulators mounted together share one disk quota: an upload past it
// is refused with the service's own "too large"/storage error and nothing
// stored before is evicted (every earlier file is still served), and the
// quota is never exceeded.
func TestMountedEmulatorsShareADiskQuotaAndEvictNothing(t *testing.T) {
	r := Registry()
	names := r.Mounted()
	files := make([][]byte, len(names))
	var total int64
	for i, name := range names {
		tg, err := r.New(name, hosts.Config{Key: "good-key"})
		if err != nil {
			t.Fatal(err)
		}
		files[i] = sized(t, tg.Capabilities().Kind, 1500)
		total += int64(len(files[i]))
	}
	quota := hosts.NewQuota(total + 100) // every file once, with little room to spare
	srv := httptest.NewServer(MountWithin(http.NotFoundHandler(), hosts.EmulatorSetup{Keys: []string{"good-key"}, Dir: t.TempDir(), Quota: quota}))
	defer srv.Close()
	targets := make([]hosts.Target, len(names))
	var urls []string
	for i, name := range names {
		in, _ := r.Info(name)
		tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "good-key", HTTP: srv.Client(), MinInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		targets[i] = tg
		res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(files[i])), Body: bytes.NewReader(files[i])}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		urls = append(urls, fileURL(srv.URL, tg, res))
	}
	held := quota.Used()
	if held != total {
		t.Fatalf("quota counts %d bytes, want %d", held, total)
	}
	want := map[string]string{
		"ddownload": "storage full", "gofile": "error-storage", "gyazo": "storage full",
		"imgbb": "Storage full", "pastebin": "maximum paste file size exceeded",
	}
	for i, name := range names {
		_, err := targets[i].Upload(context.Background(), hosts.File{Name: "g", Size: int64(len(files[i])), Body: bytes.NewReader(files[i])}, hosts.UploadOptions{}, nil)
		if err == nil || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s over the quota: %v, want %q", name, err, want[name])
		}
		if quota.Used() != held {
			t.Fatalf("%s: a refused upload left %d bytes counted, was %d", name, quota.Used(), held)
		}
	}
	for i, u := range urls {
		resp, err := srv.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, files[i]) {
			t.Errorf("%s: an earlier file is gone after refusals: HTTP %d", names[i], resp.StatusCode)
		}
	}
}

// Every emulator keeps its files under dir/hosts/NAME: after a restart (a
// new Mount on the same data directory) each upload is served byte-exact.
func TestMountedEmulatorsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	r := Registry()
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, dir, nil))
	var urls []string
	var files [][]byte
	for _, name := range r.Mounted() {
		in, _ := r.Info(name)
		tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "good-key", HTTP: srv.Client(), MinInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		data := sized(t, tg.Capabilities().Kind, 800)
		res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		urls = append(urls, fileURL(srv.URL, tg, res))
		files = append(files, data)
	}
	srv.Close()
	srv2 := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, dir, nil))
	defer srv2.Close()
	for i, name := range r.Mounted() {
		if _, err := os.Stat(filepath.Join(dir, "hosts", name, "state.json")); err != nil {
			t.Errorf("%s: no state under the data directory: %v", name, err)
		}
		resp, err := srv2.Client().Get(strings.Replace(urls[i], srv.URL, srv2.URL, 1))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, files[i]) {
			t.Errorf("%s after a restart: HTTP %d, %d bytes", name, resp.StatusCode, len(got))
		}
	}
}

// fileURL is where the emulator serves an upload's bytes: BytesURL where
// the service has one; DDownload's emulator serves them at the file page,
// GoFile's at /download/web/ID/NAME (the real sites show web pages).
func fileURL(server string, tg hosts.Target, res hosts.Result) string {
	if u := hosts.BytesURL(tg.Capabilities(), res.URL, res.Links); u != "" {
		return u
	}
	if tg.Name() == "gofile" {
		return server + "/gofile/download/web/" + res.ID + "/" + url.PathEscape(res.Name)
	}
	return res.URL
}

// A corrupt state file in every emulator: the server starts (no panic),
// logs each, serves the kept files at their links where the service's
// URL allows (a paste's privacy is unknown, so it stays hidden but on
// disk), and takes new uploads.
func TestMountedEmulatorsStartWithACorruptState(t *testing.T) {
	dir := t.TempDir()
	r := Registry()
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, dir, nil))
	urls := map[string]string{}
	files := map[string][]byte{}
	upload := func(srvURL, name string) (string, error) {
		in, _ := r.Info(name)
		tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srvURL), Key: "good-key", MinInterval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		data := sample(t, tg.Capabilities().Kind)
		res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		files[name] = data
		return fileURL(srvURL, tg, res), err
	}
	for _, name := range r.Mounted() {
		u, err := upload(srv.URL, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		urls[name] = u
	}
	srv.Close()
	for _, name := range r.Mounted() {
		if err := os.WriteFile(filepath.Join(dir, "hosts", name, "state.json"), []byte("\x00garbage{"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var logged bytes.Buffer
	srv2 := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, dir, slog.New(slog.NewTextHandler(&logged, nil))))
	defer srv2.Close()
	for _, name := range r.Mounted() {
		if !strings.Contains(logged.String(), filepath.Join(dir, "hosts", name, "state.json")) {
			t.Errorf("%s: the corrupt state was not logged", name)
		}
		resp, err := http.Get(strings.Replace(urls[name], srv.URL, srv2.URL, 1))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := http.StatusOK
		if name == "pastebin" {
			want = http.StatusNotFound
		}
		if resp.StatusCode != want || (want == http.StatusOK && !bytes.Equal(got, files[name])) {
			t.Errorf("%s after a corrupt state: HTTP %d, want %d", name, resp.StatusCode, want)
		}
		if ents, _ := os.ReadDir(filepath.Join(dir, "hosts", name, "files")); len(ents) != 1 {
			t.Errorf("%s: %d stored files after a corrupt state, want the 1 kept", name, len(ents))
		}
		if _, err := upload(srv2.URL, name); err != nil {
			t.Errorf("%s: upload after a corrupt state: %v", name, err)
		}
	}
}

// The targets whose API wants a key refuse to be built without it: an
// authentication error saying which key, before anything is sent.
func TestKeyedTargetsWantTheirKey(t *testing.T) {
	r := Registry()
	for name, want := range map[string]string{"ddownload": "no API key set", "imgbb": "no API key set",
		"gyazo": "no access token set", "pastebin": "no api_dev_key set"} {
		if _, err := r.New(name, hosts.Config{}); !errors.Is(err, hosts.ErrAuth) || !strings.Contains(fmt.Sprint(err), want) {
			t.Errorf("%s without a key: %v, want an authentication error %q", name, err, want)
		}
	}
}
