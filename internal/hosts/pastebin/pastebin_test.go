package pastebin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

const testKey = "dev-key-s3cret"

// clock is a settable time source for expiry tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func setup(t *testing.T, opts EmulatorOptions) (*httptest.Server, *Client) {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = []string{testKey}
	}
	opts.Prefix = "/pastebin"
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	c, err := New(hosts.Config{BaseURL: srv.URL + "/pastebin", Key: testKey, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func upload(c *Client, text string, opts hosts.UploadOptions, p hosts.Progress) (hosts.Result, error) {
	return c.Upload(context.Background(), hosts.File{Name: "notes.txt", Size: int64(len(text)), Body: strings.NewReader(text)}, opts, p)
}

func get(t *testing.T, srv *httptest.Server, u string) (int, string) {
	t.Helper()
	resp, err := srv.Client().Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPasteRoundTripAndExpiry(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, c := setup(t, EmulatorOptions{Now: clk.now})
	text := "héllo = 1 & x+y\r\nline two ✓\n"
	var sent, total int64
	res, err := upload(c, text, hosts.UploadOptions{Expiry: 10 * time.Minute, Privacy: hosts.Unlisted}, func(s, tot int64) { sent, total = s, tot })
	if err != nil {
		t.Fatal(err)
	}
	if sent != int64(len(text)) || total != int64(len(text)) {
		t.Errorf("progress %d/%d, want %d", sent, total, len(text))
	}
	if !strings.HasPrefix(res.URL, srv.URL+"/pastebin/") || len(res.ID) != 8 || res.Name != "notes.txt" || res.Expires.Sub(res.Created) != 10*time.Minute {
		t.Errorf("result %+v", res)
	}
	if len(res.Links) != 1 || res.Links[0].Label != "raw" {
		t.Fatalf("links %+v", res.Links)
	}
	if code, body := get(t, srv, res.Links[0].URL); code != 200 || body != text {
		t.Fatalf("raw: %d %q, want %q", code, body, text)
	}
	clk.add(10 * time.Minute)
	if code, _ := get(t, srv, res.Links[0].URL); code != http.StatusNotFound {
		t.Fatalf("expired paste still served: %d", code)
	}
}

func TestWrongKeyRejectedWithoutLeakingKey(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{Keys: []string{"another"}})
	c, _ := New(hosts.Config{BaseURL: srv.URL + "/pastebin", Key: testKey, HTTP: srv.Client(), MinInterval: time.Millisecond})
	_, err := upload(c, "x", hosts.UploadOptions{}, nil)
	if !errors.Is(err, hosts.ErrAuth) || !strings.Contains(err.Error(), ErrBadDevKey) || strings.Contains(err.Error(), testKey) {
		t.Fatalf("err = %v", err)
	}
}

func TestClientRefusesBeforeSending(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer srv.Close()
	c, _ := New(hosts.Config{BaseURL: srv.URL, Key: testKey, MinInterval: time.Millisecond})
	cases := map[string]struct {
		text string
		opts hosts.UploadOptions
	}{
		"binary":              {"\x89PNG\r\n\x1a\n\x00\x00", hosts.UploadOptions{}},
		"too big":             {strings.Repeat("a", MaxSize+1), hosts.UploadOptions{}},
		"bad utf8":            {strings.Repeat("a", 600) + "\xff", hosts.UploadOptions{}},
		"expiry 2h":           {"x", hosts.UploadOptions{Expiry: 2 * time.Hour}},
		"private":             {"x", hosts.UploadOptions{Privacy: hosts.Private}},
		"size header":         {"x", hosts.UploadOptions{}},
		"empty":               {"", hosts.UploadOptions{}},
		"empty, size unknown": {"", hosts.UploadOptions{}},
	}
	for name, tc := range cases {
		f := hosts.File{Name: "a", Size: int64(len(tc.text)), Body: strings.NewReader(tc.text)}
		switch name {
		case "size header":
			f.Size = MaxSize + 1
		case "empty, size unknown":
			f.Size = -1
		}
		if _, err := c.Upload(context.Background(), f, tc.opts, nil); !errors.Is(err, hosts.ErrRejected) {
			t.Errorf("%s: err = %v, want ErrRejected", name, err)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
}

func TestEmulatorWireRules(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{PastesPerDay: -1})
	endpoint := srv.URL + "/pastebin/api/api_post.php"
	ok := url.Values{"api_dev_key": {testKey}, "api_option": {"paste"}, "api_paste_code": {"x"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range ok {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	cases := []struct {
		form url.Values
		want string
	}{
		{with("api_dev_key", "nope"), ErrBadDevKey},
		{with("api_option", "trends"), ErrBadOption},
		{with("api_option", "list"), ErrBadUserKey},
		{with("api_option", "delete"), ErrBadUserKey},
		{with("api_user_key", "not-a-session"), ErrBadUserKey},
		{with("api_paste_code", ""), ErrEmpty},
		{with("api_paste_code", strings.Repeat("a", MaxSize+1)), ErrTooBig},
		{with("api_paste_expire_date", "5M"), ErrBadExpire},
		{with("api_paste_private", "3"), ErrBadPrivate},
		{with("api_paste_private", "2"), ErrBadPrivate},
		{with("api_paste_format", "Not A Format"), ErrBadFormat},
	}
	for _, tc := range cases {
		resp, err := srv.Client().PostForm(endpoint, tc.form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != tc.want {
			t.Errorf("%v: %d %q, want %q", tc.form, resp.StatusCode, b, tc.want)
		}
	}
	if _, body := get(t, srv, endpoint); body != ErrUsePost {
		t.Errorf("GET: %q", body)
	}
	for i := range FreeUnlisted {
		resp, _ := srv.Client().PostForm(endpoint, with("api_paste_private", "1"))
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(string(b), "http://") {
			t.Fatalf("unlisted paste %d: %q", i+1, b)
		}
	}
	resp, _ := srv.Client().PostForm(endpoint, with("api_paste_private", "1"))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != ErrMaxUnlisted {
		t.Fatalf("26th unlisted: %q", b)
	}
}

func TestDailyLimitIsQuotaError(t *testing.T) {
	_, c := setup(t, EmulatorOptions{PastesPerDay: 2})
	for range 2 {
		if _, err := upload(c, "x", hosts.UploadOptions{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := upload(c, "x", hosts.UploadOptions{}, nil)
	if !errors.Is(err, hosts.ErrQuota) || !strings.Contains(err.Error(), ErrDailyLimit) {
		t.Fatalf("third paste: %v, want ErrQuota", err)
	}
	want := "pastebin: daily paste limit reached (free accounts: 10 per 24 h) (" + ErrDailyLimit + "); try again later"
	if got := hosts.Describe(err); got != want {
		t.Fatalf("Describe = %q, want %q", got, want)
	}
}

func TestHTTP429IsRateLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, _ := New(hosts.Config{BaseURL: srv.URL, Key: testKey, MinInterval: time.Millisecond})
	if _, err := upload(c, "x", hosts.UploadOptions{}, nil); !errors.Is(err, hosts.ErrRateLimit) {
		t.Fatalf("err = %v", err)
	}
}

// Pastebin answers its errors as text with HTTP 200: the message names
// the error without "(HTTP 200)", which would read as a success.
func TestPlainTextErrorWithoutStatus200(t *testing.T) {
	err := classify(http.StatusOK, "Bad API request, api_paste_code was empty")
	if got := err.Error(); got != "pastebin: Bad API request, api_paste_code was empty" {
		t.Fatalf("got %q", got)
	}
	if got := classify(http.StatusServiceUnavailable, "down").Error(); !strings.Contains(got, "(HTTP 503)") {
		t.Fatalf("a real HTTP failure keeps its status: %q", got)
	}
}

// The URL a paste is answered with opens in local mode too: a page with
// the title and the text, escaped, and a link to the raw text; an unknown
// or expired paste is 404.
func TestPasteMainURLServesAPage(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	srv, c := setup(t, EmulatorOptions{Now: clk.now})
	text := "<script>alert(1)</script> & more\n"
	res, err := upload(c, text, hosts.UploadOptions{Expiry: 10 * time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("main URL: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"notes.txt", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", `href="/pastebin/raw/` + res.ID + `"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Fatalf("paste text not escaped:\n%s", page)
	}
	if code, _ := get(t, srv, srv.URL+"/pastebin/NOSUCHID"); code != http.StatusNotFound {
		t.Fatalf("unknown paste: %d", code)
	}
	clk.add(10 * time.Minute)
	if code, _ := get(t, srv, res.URL); code != http.StatusNotFound {
		t.Fatalf("expired paste's page still served: %d", code)
	}
}
