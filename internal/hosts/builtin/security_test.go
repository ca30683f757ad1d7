package builtin

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// secured stands in for the Filestack emulator under fsdeck serve
// --security-required, which MountWithin asks.
type secured struct{ http.Handler }

func (secured) SecurityRequired() bool { return true }

// refusal is how each service says a key is missing or wrong, with the
// HTTP status its emulator answers a download with.
var refusals = map[string]struct {
	status int
	says   string
}{
	"imgbb":     {http.StatusBadRequest, `"message":"Invalid API v1 key."`},
	"gyazo":     {http.StatusUnauthorized, `"message":"You are not authorized."`},
	"pastebin":  {http.StatusUnauthorized, "Bad API request, invalid api_dev_key"},
	"ddownload": {http.StatusForbidden, `"msg":"Invalid key"`},
	"gofile":    {http.StatusUnauthorized, `"status":"error-token"`},
}

// Mounted in front of a server that requires security on every request,
// every emulator wants its key in the service's own form on every URL it
// hands out (files, pages, links) and answers without it in the
// service's own error shape; the client fsdeck builds for local mode
// (Info.LocalClient) puts the key there, so uploads, downloads, stat and
// list still work. Mounted in front of one that does not, the same URLs
// need no key, as before.
func TestSecurityRequiredCoversEveryEmulator(t *testing.T) {
	for _, required := range []bool{true, false} {
		var next http.Handler = http.NotFoundHandler()
		if required {
			next = secured{next}
		}
		srv := httptest.NewServer(MountWithin(next, hosts.EmulatorSetup{Keys: []string{"good-key"}, Dir: t.TempDir()}))
		r := Registry()
		for _, name := range r.Mounted() {
			in, _ := r.Info(name)
			if in.FetchAuth == nil {
				t.Errorf("%s: no FetchAuth, so local mode cannot fetch its files from a server that requires the key", name)
				continue
			}
			hc := in.LocalClient(srv.URL, "good-key")
			tg, err := r.New(name, hosts.Config{BaseURL: in.LocalURL(srv.URL), Key: "good-key", HTTP: hc, MinInterval: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			data := sample(t, tg.Capabilities().Kind)
			res, err := tg.Upload(context.Background(), hosts.File{Name: "f", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
			if err != nil {
				t.Fatalf("%s (required %v): upload with the key: %v", name, required, err)
			}
			urls := []string{fileURL(srv.URL, tg, res), res.URL}
			for _, l := range res.Links {
				urls = append(urls, l.URL)
			}
			for _, u := range urls {
				bare := get(t, http.DefaultClient, u)
				keyed := get(t, hc, u)
				if keyed.status != http.StatusOK {
					t.Errorf("%s (required %v): %s with the key: HTTP %d %s", name, required, u, keyed.status, keyed.body)
				}
				want := refusals[name]
				switch {
				case required && (bare.status != want.status || !strings.Contains(bare.body, want.says)):
					t.Errorf("%s: %s without the key: HTTP %d %q, want %d %q", name, u, bare.status, bare.body, want.status, want.says)
				case !required && bare.status != http.StatusOK:
					t.Errorf("%s without security: %s without the key: HTTP %d %q", name, u, bare.status, bare.body)
				}
			}
			if st, ok := tg.(hosts.Stater); ok && tg.Capabilities().Stat {
				if _, err := st.Stat(context.Background(), res.ID); err != nil {
					t.Errorf("%s (required %v): stat with the key: %v", name, required, err)
				}
			}
			if l, ok := tg.(hosts.Lister); ok && tg.Capabilities().List {
				if items, _, err := l.List(context.Background(), 1, 10); err != nil || len(items) == 0 {
					t.Errorf("%s (required %v): list with the key: %v %v", name, required, items, err)
				}
			}
		}
		srv.Close()
	}
}

// Under security for every request GoFile creates no guest account: an
// upload without a token is refused with error-token, and so is a guest
// token issued before the server required keys; the download page and
// files take the account token as a Bearer header or as the
// accountToken cookie GoFile's download servers read.
func TestSecurityRequiredGoFileHasNoGuests(t *testing.T) {
	dir := t.TempDir()
	open := httptest.NewServer(Mount(http.NotFoundHandler(), []string{"good-key"}, dir, nil))
	guest := gofileUpload(t, open.URL, "")
	if guest.status != 200 || !strings.Contains(guest.body, "guestToken") {
		t.Fatalf("guest upload without security: %d %s", guest.status, guest.body)
	}
	tok := between(guest.body, `"guestToken":"`, `"`)
	open.Close()
	srv := httptest.NewServer(MountWithin(secured{http.NotFoundHandler()}, hosts.EmulatorSetup{Keys: []string{"good-key"}, Dir: dir}))
	defer srv.Close()
	for name, token := range map[string]string{"no token": "", "guest token": tok, "wrong token": "bad-key"} {
		if r := gofileUpload(t, srv.URL, token); r.status != http.StatusUnauthorized || !strings.Contains(r.body, `"status":"error-token"`) ||
			strings.Contains(r.body, "guestToken") {
			t.Errorf("%s: %d %s, want 401 error-token", name, r.status, r.body)
		}
	}
	up := gofileUpload(t, srv.URL, "good-key")
	if up.status != 200 || strings.Contains(up.body, "guestToken") {
		t.Fatalf("upload with the account token: %d %s", up.status, up.body)
	}
	file := srv.URL + "/gofile/download/web/" + between(up.body, `"id":"`, `"`) + "/f.txt"
	req, _ := http.NewRequest("GET", file, nil)
	req.AddCookie(&http.Cookie{Name: "accountToken", Value: "good-key"})
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("download with the accountToken cookie: %v %v", res, err)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/gofile/uploadfile", strings.NewReader(""))
	req.AddCookie(&http.Cookie{Name: "accountToken", Value: "good-key"})
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("upload with only the download cookie (the API takes the Bearer header): %v %v", res, err)
	}
}

type answer struct {
	status int
	body   string
}

func get(t *testing.T, c *http.Client, u string) answer {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(b)}
}

func gofileUpload(t *testing.T, server, token string) answer {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "f.txt")
	fw.Write([]byte("gofile bytes\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", server+"/gofile/uploadfile", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, string(body)}
}

// between is the text of s between the first before and the next after.
func between(s, before, after string) string {
	_, rest, _ := strings.Cut(s, before)
	v, _, _ := strings.Cut(rest, after)
	return v
}
