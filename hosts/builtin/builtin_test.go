package builtin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

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
