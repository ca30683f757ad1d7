package gofile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

const testToken = "acct-s3cret-token"

func setup(t *testing.T, opts EmulatorOptions) *httptest.Server {
	t.Helper()
	opts.Prefix = "/gofile"
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	srv := httptest.NewServer(NewEmulator(opts))
	t.Cleanup(srv.Close)
	return srv
}

func client(t *testing.T, srv *httptest.Server, key hosts.Key) *Client {
	t.Helper()
	c, err := New(hosts.Config{BaseURL: srv.URL + "/gofile", Key: key, HTTP: srv.Client(), MinInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func send(c *Client, name string, data []byte, p hosts.Progress) (hosts.Result, error) {
	return c.Upload(context.Background(), hosts.File{Name: name, Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, p)
}

func fetch(t *testing.T, srv *httptest.Server, id, name string) (int, []byte) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/gofile/download/web/" + id + "/" + url.PathEscape(name))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestGuestTokenAdoptedOnFirstUpload(t *testing.T) {
	srv := setup(t, EmulatorOptions{})
	c := client(t, srv, "")
	data := bytes.Repeat([]byte{0, 1, 2, 0xff}, 5000)
	var sent int64
	first, err := send(c, "a b.bin", data, func(s, _ int64) { sent = s })
	if err != nil {
		t.Fatal(err)
	}
	tok, folder := c.GuestToken()
	if tok == "" || folder == "" || sent != int64(len(data)) {
		t.Fatalf("guest token %q folder %q progress %d", tok, folder, sent)
	}
	if code, got := fetch(t, srv, first.ID, first.Name); code != 200 || !bytes.Equal(got, data) {
		t.Fatalf("download: %d, %d bytes", code, len(got))
	}
	second, err := send(c, "b.txt", []byte("two"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Same guest, same folder: one download page for both.
	if second.URL != first.URL || !strings.HasPrefix(first.URL, srv.URL+"/gofile/d/") {
		t.Fatalf("pages %q and %q", first.URL, second.URL)
	}
	if tok2, _ := c.GuestToken(); tok2 != tok {
		t.Fatal("guest token changed")
	}
	// The guest token deletes its own files.
	if err := c.Delete(context.Background(), first.ID); err != nil {
		t.Fatal(err)
	}
	if code, _ := fetch(t, srv, first.ID, first.Name); code != http.StatusNotFound {
		t.Fatalf("deleted file still served: %d", code)
	}
}

func TestAccountTokenAndWrongToken(t *testing.T) {
	srv := setup(t, EmulatorOptions{Tokens: []string{testToken}})
	c := client(t, srv, testToken)
	res, err := send(c, "x", []byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok, _ := c.GuestToken(); tok != "" {
		t.Fatal("account client must not report a guest token")
	}
	bad := client(t, srv, "wrong-"+testToken)
	_, err = send(bad, "x", []byte("x"), nil)
	if !errors.Is(err, hosts.ErrAuth) || !strings.Contains(err.Error(), "error-token") || strings.Contains(err.Error(), testToken) {
		t.Fatalf("wrong token: %v", err)
	}
	guest := client(t, srv, "")
	if _, err := send(guest, "y", []byte("y"), nil); err != nil {
		t.Fatal(err)
	}
	if err := guest.Delete(context.Background(), res.ID); !errors.Is(err, hosts.ErrNotFound) {
		t.Fatalf("another account deleted the file: %v", err)
	}
}

func TestListingNeedsPremium(t *testing.T) {
	srv := setup(t, EmulatorOptions{Tokens: []string{testToken}})
	c := client(t, srv, testToken)
	var d map[string]any
	err := c.call(context.Background(), testToken, http.MethodGet, srv.URL+"/gofile/contents/abc", nil, "", &d)
	if !errors.Is(err, hosts.ErrRejected) || !strings.Contains(err.Error(), "Premium") {
		t.Fatalf("err = %v", err)
	}
}

func TestRateLimitIsTyped(t *testing.T) {
	srv := setup(t, EmulatorOptions{Tokens: []string{testToken}, UploadsPerMinute: 1})
	c := client(t, srv, testToken)
	if _, err := send(c, "x", []byte("x"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := send(c, "x", []byte("x"), nil); !errors.Is(err, hosts.ErrRateLimit) {
		t.Fatalf("err = %v", err)
	}
}

func TestEmulatorRejectsForeignFolderAndMissingFile(t *testing.T) {
	srv := setup(t, EmulatorOptions{Tokens: []string{testToken, "other"}})
	owner := client(t, srv, "other")
	if _, err := send(owner, "x", []byte("x"), nil); err != nil {
		t.Fatal(err)
	}
	var foreign string
	e := srv.Config.Handler.(*Emulator)
	e.mu.Lock()
	foreign = e.tokens[hosts.Owner("other")]
	e.mu.Unlock()
	c := client(t, srv, testToken)
	c.folder = foreign
	if _, err := send(c, "x", []byte("x"), nil); !errors.Is(err, hosts.ErrRejected) {
		t.Fatalf("upload into another account's folder: %v", err)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/gofile/uploadfile", strings.NewReader("--b--\r\n"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), `"status":"error-noFile"`) {
		t.Fatalf("no file: %d %s", resp.StatusCode, b)
	}
}
