package filestack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

func TestMetadataDeleteOverwriteStoreURL(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{AppSecret: testSecret})
	path, data := randomFile(t, 1234)
	f, err := e.c.Upload(context.Background(), path, UploadOptions{Filename: "x.bin"})
	if err != nil {
		t.Fatal(err)
	}
	md, err := e.c.Metadata(context.Background(), f.Handle, FieldMD5, FieldWidth)
	if err != nil {
		t.Fatal(err)
	}
	if md.Filename != "x.bin" || md.Size == nil || *md.Size != 1234 || md.MD5 == "" || md.Width != nil || md.Uploaded.IsZero() {
		t.Fatalf("metadata %+v", md)
	}
	nf, err := e.c.Overwrite(context.Background(), f.Handle, bytes.NewReader([]byte("new")), 3, "text/plain")
	if err != nil || nf.Size != 3 {
		t.Fatalf("overwrite: %v %+v", err, nf)
	}
	if got := e.download(f.Handle); string(got) != "new" {
		t.Fatalf("after overwrite %q", got)
	}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
	defer src.Close()
	sf, err := e.c.StoreURL(context.Background(), src.URL+"/from/web.bin", UploadOptions{})
	if err != nil || sf.Filename != "web.bin" || !bytes.Equal(e.download(sf.Handle), data) {
		t.Fatalf("store URL: %v %+v", err, sf)
	}
	if _, err := e.c.OverwriteURL(context.Background(), f.Handle, src.URL+"/x"); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Delete(context.Background(), f.Handle); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Metadata(context.Background(), f.Handle); !IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := e.c.StoreURL(context.Background(), "ftp://x/y", UploadOptions{}); err == nil {
		t.Fatal("ftp URL accepted")
	}
}

func TestDeleteNeedsSecret(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	if err := e.c.Delete(context.Background(), "AAAAAAAAAAAAAAAAAAAA"); err != ErrNoSecret {
		t.Fatalf("got %v", err)
	}
}

// A download whose connection drops mid-body resumes with Range and ends
// byte-exact without re-sending what arrived.
func TestDownloadResumesWithRange(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	path, data := randomFile(t, 3<<20)
	f, err := e.c.Upload(context.Background(), path, UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The transport cuts the first answer after 1 MiB, as a dropped connection would.
	c2, _ := New(Config{APIKey: testKey, CDNBase: e.srv.URL, APIBase: e.srv.URL + "/api", UploadBase: e.srv.URL,
		Transport: &dropOnce{rt: http.DefaultTransport, after: 1 << 20}, Retry: RetryPolicy{Base: time.Millisecond}})
	var buf bytes.Buffer
	var ranges []string
	c2.http.Transport.(*dropOnce).seen = &ranges
	n, err := c2.Download(context.Background(), f.Handle, &buf, DownloadOptions{})
	if err != nil || n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("download: %v n=%d equal=%v", err, n, bytes.Equal(buf.Bytes(), data))
	}
	if len(ranges) != 2 || ranges[0] != "" || !strings.HasPrefix(ranges[1], "bytes=") || ranges[1] == "bytes=0-" {
		t.Fatalf("requests' Range headers: %q", ranges)
	}
}

// dropOnce cuts the first response body after `after` bytes.
type dropOnce struct {
	rt    http.RoundTripper
	after int64
	done  bool
	seen  *[]string
}

func (d *dropOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	*d.seen = append(*d.seen, r.Header.Get("Range"))
	res, err := d.rt.RoundTrip(r)
	if err != nil || d.done {
		return res, err
	}
	d.done = true
	res.Body = &cutBody{rc: res.Body, left: d.after}
	return res, nil
}

type cutBody struct {
	rc interface {
		Read([]byte) (int, error)
		Close() error
	}
	left int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errConnReset
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cutBody) Close() error { return c.rc.Close() }

var errConnReset = &netErr{}

type netErr struct{}

func (*netErr) Error() string   { return "connection reset by peer" }
func (*netErr) Timeout() bool   { return false }
func (*netErr) Temporary() bool { return true }

// No error text ever carries the API key, the app secret, a policy or a signature.
func TestErrorsAreRedacted(t *testing.T) {
	const k, s = "SECRETKEYzzzzzzzzzzzzz", "APPSECRETyyyyyyyyyyyyyyyy"
	e := newEnv(t, emulator.Options{APIKeys: []string{"OTHER"}}, Config{APIKey: k, AppSecret: s})
	path, _ := randomFile(t, 10)
	_, err1 := e.c.Upload(context.Background(), path, UploadOptions{})
	_, err2 := e.c.Metadata(context.Background(), "AAAAAAAAAAAAAAAAAAAA")
	dead, _ := New(Config{APIKey: k, AppSecret: s, APIBase: "http://127.0.0.1:1/api", CDNBase: "http://127.0.0.1:1",
		UploadBase: "http://127.0.0.1:1", Retry: RetryPolicy{Attempts: 1}})
	_, err3 := dead.Upload(context.Background(), path, UploadOptions{})
	_, err4 := dead.Metadata(context.Background(), "AAAAAAAAAAAAAAAAAAAA")
	err5 := dead.Delete(context.Background(), "AAAAAAAAAAAAAAAAAAAA")
	sig := security.Narrow(s, "remove", "AAAAAAAAAAAAAAAAAAAA", 10*time.Minute, time.Now())
	for i, err := range []error{err1, err2, err3, err4, err5} {
		if err == nil {
			t.Fatalf("error %d is nil", i+1)
		}
		msg := err.Error()
		for _, secret := range []string{k, s, sig.Signature[:16], url.QueryEscape(sig.Policy)[:12]} {
			if strings.Contains(msg, secret) {
				t.Errorf("error %d leaks a secret: %s", i+1, msg)
			}
		}
	}
	got := redact("GET /x?key=abc&policy=def&signature=123&filename=ok security=p:AAA,s:BBB")
	for _, leak := range []string{"abc", "def", "123", "AAA", "BBB"} {
		if strings.Contains(got, leak) {
			t.Errorf("redact left %q in %s", leak, got)
		}
	}
	if !strings.Contains(got, "filename=ok") {
		t.Errorf("redact removed too much: %s", got)
	}
}

func TestURLs(t *testing.T) {
	c, _ := New(Config{APIKey: "KEY", AppSecret: testSecret, Now: func() time.Time { return time.Unix(1700000000, 0) }})
	if got := c.CDNURL("AAAAAAAAAAAAAAAAAAAA"); got != "https://cdn.filestackcontent.com/AAAAAAAAAAAAAAAAAAAA" {
		t.Fatal(got)
	}
	ch := transform.Chain{Tasks: []transform.Task{transform.NewTask("resize", "width", 300)}, Source: transform.Handle("https://example.com/a.jpg")}
	if got := c.TransformURL(ch, 0); got != "https://cdn.filestackcontent.com/KEY/resize=width:300/https://example.com/a.jpg" {
		t.Fatalf("external source needs the key segment: %s", got)
	}
	signed := c.TransformURL(transform.Chain{Tasks: []transform.Task{transform.NewTask("flip")}, Source: transform.Handle("AAAAAAAAAAAAAAAAAAAA")}, time.Hour)
	parsed, err := transform.Parse(strings.TrimPrefix(signed, "https://cdn.filestackcontent.com"))
	if err != nil {
		t.Fatal(err)
	}
	sec, ok := parsed.Task("security")
	if !ok || !security.Verify(testSecret, sec.String("policy", ""), sec.String("signature", "")) {
		t.Fatalf("signed transform URL: %s", signed)
	}
	pol, _ := security.Decode(sec.String("policy", ""))
	if pol.Expiry != 1700003600 {
		t.Fatalf("expiry %d", pol.Expiry)
	}
	u, ok := c.SignedURL("AAAAAAAAAAAAAAAAAAAA", time.Hour)
	if !ok || !strings.Contains(u, "policy=") || !strings.Contains(u, "signature=") {
		t.Fatal(u)
	}
	cn, _ := New(Config{APIKey: "K", CNAME: "files.example.com"})
	if cfg := cn.Config(); cfg.CDNBase != "https://cdn.files.example.com" || cfg.UploadBase != "https://upload.files.example.com" || cfg.APIBase != "https://www.files.example.com/api" {
		t.Fatalf("CNAME: %+v", cfg)
	}
	for in, want := range map[string]string{
		"AAAAAAAAAAAAAAAAAAAA": "AAAAAAAAAAAAAAAAAAAA", "https://cdn.filestackcontent.com/AAAAAAAAAAAAAAAAAAAA": "AAAAAAAAAAAAAAAAAAAA",
		"https://www.filestackapi.com/api/file/AAAAAAAAAAAAAAAAAAAA":           "AAAAAAAAAAAAAAAAAAAA",
		"https://cdn.filestackcontent.com/resize=w:3/AAAAAAAAAAAAAAAAAAAA?x=1": "AAAAAAAAAAAAAAAAAAAA", "nope": "",
	} {
		if h, _ := ParseHandle(in); h != want {
			t.Errorf("ParseHandle(%q) = %q", in, h)
		}
	}
	if locationBase("upload-eu-west-1.filestackapi.com") != "https://upload-eu-west-1.filestackapi.com" || locationBase("http://127.0.0.1:5/") != "http://127.0.0.1:5" {
		t.Fatal("location_url normalisation")
	}
}

// StoreTransform signs a policy that allows the store call.
func TestStoreTransform(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{AppSecret: testSecret})
	path, _ := randomFile(t, 100)
	f, _ := e.c.Upload(context.Background(), path, UploadOptions{Filename: "a.bin"})
	out, err := e.c.StoreTransform(context.Background(), transform.Chain{Source: transform.Handle(f.Handle)}, StoreOptions{Path: "copies/a.bin"})
	if err != nil || out.Handle == f.Handle || out.Key != "copies/a.bin" {
		t.Fatalf("%v %+v", err, out)
	}
}

// A paused download resumes from its offset with Range and If-Range; when the
// file changed in between, the destination is emptied through Restart and
// the new content arrives whole.
func TestDownloadResumesFromOffset(t *testing.T) {
	rec := &recordHeaders{rt: http.DefaultTransport}
	e := newEnv(t, emulator.Options{}, Config{AppSecret: testSecret, Transport: rec})
	path, data := randomFile(t, 3<<20)
	f, err := e.c.Upload(context.Background(), path, UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var etag string
	var first bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	_, err = e.c.Download(ctx, f.Handle, &first, DownloadOptions{OnETag: func(s string) { etag = s },
		Progress: func(n, _ int64) {
			if n >= 1<<20 {
				cancel()
			}
		}})
	if !IsCancelled(err) || etag == "" || first.Len() < 1<<20 || first.Len() >= len(data) {
		t.Fatalf("first part: err=%v etag=%q len=%d", err, etag, first.Len())
	}
	offset := int64(first.Len())

	// The server logs the cancelled GET when its handler ends, which can be
	// after Download returned; wait for it so it is not taken for a
	// request of the resume.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if reqs := e.emu.Requests(); len(reqs) > 0 && reqs[len(reqs)-1].Endpoint == "cdn" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cancelled download was never logged")
		}
	}
	e.emu.ResetRequests()
	rec.reset()
	var progress []int64
	restarts := 0
	dst := bytes.NewBuffer(bytes.Clone(first.Bytes()))
	n, err := e.c.Download(context.Background(), f.Handle, dst, DownloadOptions{Offset: offset, ETag: etag,
		Restart:  func() error { restarts++; dst.Reset(); return nil },
		Progress: func(n, total int64) { progress = append(progress, n, total) }})
	if err != nil || n != int64(len(data)) || !bytes.Equal(dst.Bytes(), data) || restarts != 0 {
		t.Fatalf("resume: err=%v n=%d equal=%v restarts=%d", err, n, bytes.Equal(dst.Bytes(), data), restarts)
	}
	if progress[0] != offset || progress[1] != int64(len(data)) {
		t.Fatalf("progress starts at %d of %d, want %d of %d", progress[0], progress[1], offset, len(data))
	}
	// As above, the server may log the GET just after the client has read
	// the whole body.
	for deadline := time.Now().Add(5 * time.Second); len(e.emu.Requests()) == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	reqs, hs := e.emu.Requests(), rec.list()
	if len(reqs) != 1 || reqs[0].Status != http.StatusPartialContent || len(hs) != 1 ||
		hs[0].Get("Range") != fmt.Sprintf("bytes=%d-", offset) || hs[0].Get("If-Range") != etag {
		t.Fatalf("resume requests: %+v %v", reqs, hs)
	}

	// The file changes while paused: the server sends it whole, Restart empties
	// the destination, and the result is the new content.
	if _, err := e.c.Overwrite(context.Background(), f.Handle, bytes.NewReader(data[:5000]), 5000, ""); err != nil {
		t.Fatal(err)
	}
	for _, off := range []int64{100, offset} { // within the new size (200), beyond it (416)
		dst := bytes.NewBuffer(bytes.Clone(first.Bytes()[:off]))
		restarts = 0
		n, err = e.c.Download(context.Background(), f.Handle, dst, DownloadOptions{Offset: off, ETag: etag,
			Restart: func() error { restarts++; dst.Reset(); return nil }})
		if err != nil || n != 5000 || !bytes.Equal(dst.Bytes(), data[:5000]) || restarts != 1 {
			t.Fatalf("offset %d after change: err=%v n=%d restarts=%d", off, err, n, restarts)
		}
		// Without Restart the caller hears that the file changed.
		_, err = e.c.Download(context.Background(), f.Handle, io.Discard, DownloadOptions{Offset: off, ETag: etag})
		if err == nil || !strings.Contains(err.Error(), "changed") && !strings.Contains(err.Error(), "416") {
			t.Fatalf("offset %d without Restart: %v", off, err)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/*", 0, -1, true},
		{"bytes 5-9/3", 0, 0, false},
		{"bytes -5/10", 0, 0, false},
		{"items 1-2/3", 0, 0, false},
		{"bytes 1-2", 0, 0, false},
		{"", 0, 0, false},
	} {
		s, tot, ok := parseContentRange(tc.in)
		if ok != tc.ok || (ok && (s != tc.start || tot != tc.total)) {
			t.Errorf("%q: %d %d %v", tc.in, s, tot, ok)
		}
	}
}

// recordHeaders keeps the headers of every request it carries.
type recordHeaders struct {
	rt http.RoundTripper
	mu sync.Mutex
	hs []http.Header
}

func (r *recordHeaders) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.hs = append(r.hs, req.Header.Clone())
	r.mu.Unlock()
	return r.rt.RoundTrip(req)
}

func (r *recordHeaders) reset() { r.mu.Lock(); r.hs = nil; r.mu.Unlock() }

func (r *recordHeaders) list() []http.Header {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]http.Header(nil), r.hs...)
}

// A proxy that ignores Range answers a restart after a dropped connection
// with the whole file: with Restart the download begins again and ends
// byte-exact; without it the caller is told rather than given a corrupt file.
func TestDownloadRestartsWhenRangeIgnored(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	path, data := randomFile(t, 3<<20)
	f, err := e.c.Upload(context.Background(), path, UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, withRestart := range []bool{true, false} {
		var ranges []string
		drop := &dropOnce{rt: stripRange{http.DefaultTransport}, after: 1 << 20, seen: &ranges}
		c2, _ := New(Config{APIKey: testKey, CDNBase: e.srv.URL, APIBase: e.srv.URL + "/api", UploadBase: e.srv.URL,
			Transport: drop, Retry: RetryPolicy{Base: time.Millisecond}})
		var buf bytes.Buffer
		restarts := 0
		opts := DownloadOptions{}
		if withRestart {
			opts.Restart = func() error { restarts++; buf.Reset(); return nil }
		}
		n, err := c2.Download(context.Background(), f.Handle, &buf, opts)
		switch {
		case withRestart && (err != nil || n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) || restarts != 1):
			t.Fatalf("with Restart: err=%v n=%d restarts=%d", err, n, restarts)
		case !withRestart && (err == nil || !strings.Contains(err.Error(), "changed")):
			t.Fatalf("without Restart: %v", err)
		}
		if len(ranges) != 2 || ranges[1] == "" {
			t.Fatalf("Range headers sent: %q", ranges)
		}
		c2.Close()
	}
}

// stripRange forwards requests without their Range header, as a proxy that
// does not support ranges would; the header stays on the original request.
type stripRange struct{ rt http.RoundTripper }

func (s stripRange) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Del("Range")
	r2.Header.Del("If-Range")
	return s.rt.RoundTrip(r2)
}
