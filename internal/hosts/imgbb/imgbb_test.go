package imgbb

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

const testKey = "k3y-s3cret-value"

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.NRGBA{1, 2, 3, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func setup(t *testing.T, opts EmulatorOptions) (*httptest.Server, *Client) {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = []string{testKey}
	}
	opts.Prefix = "/imgbb"
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	c, err := New(hosts.Config{BaseURL: srv.URL + "/imgbb", Key: testKey, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestUploadRoundTripAndReplyFields(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{})
	data := pngBytes(t, 64, 48)
	var last, total int64
	res, err := c.Upload(context.Background(), hosts.File{Name: "cat photo.png", Size: int64(len(data)), Body: bytes.NewReader(data)},
		hosts.UploadOptions{Expiry: 600 * time.Second}, func(s, tot int64) { last, total = s, tot })
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(data)) || total != int64(len(data)) {
		t.Errorf("progress ended at %d/%d, want %d", last, total, len(data))
	}
	if res.Target != Name || res.ID == "" || res.Size != int64(len(data)) || res.Name != "catphoto.png" {
		t.Errorf("result %+v", res)
	}
	if d := res.Expires.Sub(res.Created); d != 600*time.Second {
		t.Errorf("expiry span %s, want 10m", d)
	}
	labels := map[string]string{}
	for _, l := range res.Links {
		labels[l.Label] = l.URL
	}
	for _, want := range []string{"viewer", "display", "thumb", "medium", "delete"} {
		if !strings.HasPrefix(labels[want], srv.URL+"/imgbb/") {
			t.Errorf("link %s = %q", want, labels[want])
		}
	}
	resp, err := srv.Client().Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, data) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("GET %s: %d bytes %q, want the %d uploaded", res.URL, len(got), resp.Header.Get("Content-Type"), len(data))
	}
}

func TestWrongKeyRejectedWithoutLeakingKey(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{Keys: []string{"other"}})
	c, _ := New(hosts.Config{BaseURL: srv.URL + "/imgbb", Key: testKey, HTTP: srv.Client(), MinInterval: time.Millisecond})
	data := pngBytes(t, 4, 4)
	_, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
	if !errors.Is(err, hosts.ErrAuth) || !strings.Contains(err.Error(), "Invalid API v1 key.") {
		t.Fatalf("err = %v, want ErrAuth with ImgBB's message", err)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Fatal("key leaked into error text")
	}
}

func TestTransportErrorRedactsKey(t *testing.T) {
	c, _ := New(hosts.Config{BaseURL: "http://127.0.0.1:1/imgbb", Key: testKey, MinInterval: time.Millisecond})
	data := pngBytes(t, 4, 4)
	_, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
	if err == nil || strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "key=") {
		t.Fatalf("err = %v; must fail without quoting the key", err)
	}
}

func TestClientRefusesBeforeSending(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits++ }))
	defer srv.Close()
	c, _ := New(hosts.Config{BaseURL: srv.URL, Key: testKey, MinInterval: time.Millisecond})
	png := pngBytes(t, 4, 4)
	cases := map[string]struct {
		f    hosts.File
		opts hosts.UploadOptions
	}{
		"too big":   {hosts.File{Name: "a.png", Size: MaxSize + 1, Body: bytes.NewReader(png)}, hosts.UploadOptions{}},
		"not image": {hosts.File{Name: "a.txt", Size: 5, Body: strings.NewReader("hello")}, hosts.UploadOptions{}},
		"expiry 59": {hosts.File{Name: "a.png", Size: 1, Body: bytes.NewReader(png)}, hosts.UploadOptions{Expiry: 59 * time.Second}},
		"expiry max+1": {hosts.File{Name: "a.png", Size: 1, Body: bytes.NewReader(png)},
			hosts.UploadOptions{Expiry: MaxExpiry + time.Second}},
		"privacy": {hosts.File{Name: "a.png", Size: 1, Body: bytes.NewReader(png)}, hosts.UploadOptions{Privacy: hosts.Private}},
	}
	for name, tc := range cases {
		if _, err := c.Upload(context.Background(), tc.f, tc.opts, nil); !errors.Is(err, hosts.ErrRejected) {
			t.Errorf("%s: err = %v, want ErrRejected", name, err)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
}

// post sends a raw form to the emulator, as another client would.
func post(t *testing.T, srv *httptest.Server, q url.Values, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().PostForm(srv.URL+"/imgbb/1/upload?"+q.Encode(), form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

func errMsg(m map[string]any) string {
	e, _ := m["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func TestEmulatorEnforcesWireRules(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{})
	img := base64.StdEncoding.EncodeToString(pngBytes(t, 8, 8))
	key := url.Values{"key": {testKey}}
	cases := []struct {
		name string
		q    url.Values
		form url.Values
		want string
	}{
		{"no key", nil, url.Values{"image": {img}}, "Invalid API v1 key."},
		{"empty", key, url.Values{}, "Empty upload source."},
		{"expiration 59", url.Values{"key": {testKey}, "expiration": {"59"}}, url.Values{"image": {img}}, "Invalid expiration"},
		{"expiration 15552001", url.Values{"key": {testKey}, "expiration": {"15552001"}}, url.Values{"image": {img}}, "Invalid expiration"},
		{"not image", key, url.Values{"image": {base64.StdEncoding.EncodeToString([]byte("plain text"))}}, "Invalid image source."},
		{"url source", key, url.Values{"image": {"https://example.com/a.png"}}, "not fetched"},
	}
	for _, tc := range cases {
		code, m := post(t, srv, tc.q, tc.form)
		if code != http.StatusBadRequest || m["status_txt"] != "Bad Request" || !strings.Contains(errMsg(m), tc.want) {
			t.Errorf("%s: %d %v, want 400 %q", tc.name, code, m, tc.want)
		}
	}
	code, m := post(t, srv, url.Values{"key": {testKey}, "expiration": {"15552000"}}, url.Values{"image": {img}, "name": {"b64"}})
	data, _ := m["data"].(map[string]any)
	if code != http.StatusOK || m["success"] != true || data["expiration"] != "15552000" || data["title"] != "b64" {
		t.Fatalf("base64 upload: %d %v", code, m)
	}
}

// postFile sends image bytes as a multipart file part, the cheap way to
// reach the size boundary (base64 of 32 MB is slow to build under -race).
func postFile(t *testing.T, srv *httptest.Server, data []byte) (int, map[string]any) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, _ := mw.CreateFormFile("image", "big.png")
		_, _ = fw.Write(data)
		pw.CloseWithError(mw.Close())
	}()
	resp, err := srv.Client().Post(srv.URL+"/imgbb/1/upload?key="+testKey, mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

func TestEmulatorSizeLimit(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{})
	big := make([]byte, MaxSize+1)
	copy(big, pngBytes(t, 2, 2))
	code, m := postFile(t, srv, big)
	if code != http.StatusBadRequest || !strings.Contains(errMsg(m), "max 32 MB") {
		t.Fatalf("32 MiB + 1 byte: %d %v", code, m)
	}
	code, m = postFile(t, srv, big[:MaxSize])
	if code != http.StatusOK {
		t.Fatalf("exactly 32 MiB: %d %v", code, errMsg(m))
	}
	// Over the limit as base64 too: the body cap answers the same error.
	b64 := base64.StdEncoding.EncodeToString(make([]byte, MaxSize/3*4/4*3+(2<<20)))
	code, m = post(t, srv, url.Values{"key": {testKey}}, url.Values{"image": {b64}})
	if code != http.StatusBadRequest || !strings.Contains(errMsg(m), "max 32 MB") {
		t.Fatalf("oversized base64 body: %d %v", code, m)
	}
}

func TestRateLimitIsTyped(t *testing.T) {
	_, c := setup(t, EmulatorOptions{UploadsPerMinute: 1})
	data := pngBytes(t, 4, 4)
	up := func() error {
		_, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		return err
	}
	if err := up(); err != nil {
		t.Fatal(err)
	}
	if err := up(); !errors.Is(err, hosts.ErrRateLimit) || !strings.Contains(err.Error(), "Rate limit reached.") {
		t.Fatalf("second upload: %v, want ErrRateLimit", err)
	}
}

func TestClientPaces(t *testing.T) {
	srv, _ := setup(t, EmulatorOptions{})
	c, _ := New(hosts.Config{BaseURL: srv.URL + "/imgbb", Key: testKey, HTTP: srv.Client(), MinInterval: 150 * time.Millisecond})
	data := pngBytes(t, 4, 4)
	start := time.Now()
	for range 3 {
		if _, err := c.Upload(context.Background(), hosts.File{Name: "a.png", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// Three requests one interval apart cannot finish in under two intervals.
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Fatalf("3 uploads in %s: not paced", el)
	}
}
