package gyazo

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

const testToken = "tok-s3cret-value"

func pngBytes(t *testing.T, seed byte) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 9, 7))
	for i := range img.Pix {
		img.Pix[i] = byte(i) ^ seed
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func setup(t *testing.T, opts EmulatorOptions) (*httptest.Server, *Client) {
	t.Helper()
	if opts.Tokens == nil {
		opts.Tokens = []string{testToken}
	}
	opts.Prefix = "/gyazo"
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	c, err := New(hosts.Config{BaseURL: srv.URL + "/gyazo", Key: testToken, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func up(c *Client, data []byte, title string, p hosts.Progress) (hosts.Result, error) {
	return c.Upload(context.Background(), hosts.File{Name: "shot.png", Size: int64(len(data)), Body: bytes.NewReader(data)},
		hosts.UploadOptions{Title: title}, p)
}

func TestUploadRoundTripStatDelete(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{})
	data := pngBytes(t, 3)
	var sent int64
	res, err := up(c, data, "my shot", func(s, _ int64) { sent = s })
	if err != nil {
		t.Fatal(err)
	}
	if sent != int64(len(data)) || len(res.ID) != 32 || res.Links[0].Label != "permalink" || res.Links[1].Label != "thumb" {
		t.Fatalf("progress %d, result %+v", sent, res)
	}
	resp, err := srv.Client().Get(res.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, data) {
		t.Fatalf("GET %s: %d bytes, want the %d uploaded", res.URL, len(got), len(data))
	}
	st, err := c.Stat(context.Background(), res.ID)
	if err != nil || st.Name != "my shot" || st.URL != res.URL || st.Created.IsZero() {
		t.Fatalf("stat %+v %v", st, err)
	}
	if err := c.Delete(context.Background(), res.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stat(context.Background(), res.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestListPagesWithTotal(t *testing.T) {
	_, c := setup(t, EmulatorOptions{})
	var ids []string
	for i := range 5 {
		r, err := up(c, pngBytes(t, byte(i)), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	var seen []string
	for page := 1; page <= 3; page++ {
		items, total, err := c.List(context.Background(), page, 2)
		if err != nil || total != 5 {
			t.Fatalf("page %d: total %d err %v", page, total, err)
		}
		for _, it := range items {
			seen = append(seen, it.ID)
		}
	}
	// Newest first, every image exactly once across the pages.
	if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
		t.Fatalf("listed %v, uploaded %v", seen, ids)
	}
}

func TestTokensAreSeparateAndWrongTokenRejected(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{Tokens: []string{testToken, "other"}})
	res, err := up(c, pngBytes(t, 1), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := New(hosts.Config{BaseURL: srv.URL + "/gyazo", Key: "other", HTTP: srv.Client(), MinInterval: time.Millisecond})
	if items, total, err := other.List(context.Background(), 1, 20); err != nil || total != 0 || len(items) != 0 {
		t.Fatalf("other token sees %d/%d (%v)", len(items), total, err)
	}
	if err := other.Delete(context.Background(), res.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("other token deleted: %v", err)
	}
	bad, _ := New(hosts.Config{BaseURL: srv.URL + "/gyazo", Key: "wrong-" + testToken, HTTP: srv.Client(), MinInterval: time.Millisecond})
	_, err = up(bad, pngBytes(t, 1), "", nil)
	if !errors.Is(err, hosts.ErrAuth) || strings.Contains(err.Error(), testToken) {
		t.Fatalf("wrong token: %v", err)
	}
	if _, _, err := bad.List(context.Background(), 1, 1); !errors.Is(err, hosts.ErrAuth) {
		t.Fatalf("wrong token list: %v", err)
	}
}

func TestEmulatorRejectsNonImagesAndBadPaging(t *testing.T) {
	srv, c := setup(t, EmulatorOptions{MaxUpload: 4096})
	if _, err := c.Upload(context.Background(), hosts.File{Name: "a.txt", Size: 5, Body: strings.NewReader("hello")}, hosts.UploadOptions{}, nil); !errors.Is(err, hosts.ErrRejected) {
		t.Fatalf("text upload: %v", err)
	}
	big := append(pngBytes(t, 0), make([]byte, 8192)...)
	if _, err := up(c, big, "", nil); !errors.Is(err, hosts.ErrRejected) {
		t.Fatalf("over MaxUpload: %v", err)
	}
	for _, q := range []string{"per_page=101", "page=0", "per_page=x"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/gyazo/api/images?"+q, nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", q, resp.StatusCode)
		}
	}
}

func TestRateLimitIsTyped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"message":"Too many requests"}`)
	}))
	defer srv.Close()
	c, _ := New(hosts.Config{BaseURL: srv.URL, Key: testToken, MinInterval: time.Millisecond})
	_, _, err := c.List(context.Background(), 1, 20)
	var he *hosts.Error
	if !errors.Is(err, hosts.ErrRateLimit) || !errors.As(err, &he) || he.RetryAfter != 30*time.Second {
		t.Fatalf("err = %v", err)
	}
}

func TestRealHostsSplitUploadFromAPI(t *testing.T) {
	c, err := New(hosts.Config{Key: "k"})
	if err != nil || c.upload != DefaultUploadURL || c.api != DefaultURL {
		t.Fatalf("%+v %v", c, err)
	}
}
