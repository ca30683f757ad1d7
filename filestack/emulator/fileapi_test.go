package emulator

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

func TestStoreShapesAndDownload(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true})
	data := []byte("hello, filestack")
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(data)
	}))
	defer src.Close()
	body, ct := multipartBody("fileUpload", "greeting.txt", data, nil)
	cases := []struct {
		name   string
		query  string
		body   []byte
		reader func() (*bytes.Reader, string)
		wantFn string
	}{
		{name: "raw", query: "&filename=raw.txt", body: data, wantFn: "raw.txt"},
		{name: "base64", query: "&filename=b.txt&base64decode=true", body: []byte(base64.StdEncoding.EncodeToString(data)), wantFn: "b.txt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/api/store/S3?key="+key+c.query, bytes.NewReader(c.body), "Content-Type", "text/plain")
			m := r.json(t)
			if r.status != 200 || m["filename"] != c.wantFn || m["size"].(float64) != float64(len(data)) || m["handle"] != nil {
				t.Fatalf("%d %v", r.status, m)
			}
			h := strings.TrimPrefix(m["url"].(string), e.srv.URL+"/")
			if got := e.do("GET", "/"+h, nil); !bytes.Equal(got.body, data) {
				t.Fatalf("download %q", got.body)
			}
		})
	}
	r := e.do("POST", "/api/store/S3?key="+key, body, "Content-Type", ct)
	if m := r.json(t); r.status != 200 || m["filename"] != "greeting.txt" || m["type"] != "text/plain" {
		t.Fatalf("fileUpload: %d %v", r.status, m)
	}
	r = e.do("POST", "/api/store/S3?key="+key, strings.NewReader("url="+src.URL+"/dir/remote.txt"), "Content-Type", "application/x-www-form-urlencoded")
	m := r.json(t)
	if r.status != 200 || m["filename"] != "remote.txt" || m["size"].(float64) != float64(len(data)) {
		t.Fatalf("url=: %d %v", r.status, m)
	}
}

func TestCDNHeadersRangeAndConditional(t *testing.T) {
	e := newTEnv(t, Options{})
	data := bytes.Repeat([]byte("0123456789"), 100)
	h := e.storeRaw(data, "&filename="+`we"ird%0Aname.txt`+"&mimetype=text/plain")
	r := e.do("GET", "/"+h, nil)
	hd := r.header
	if r.status != 200 || hd.Get("Content-Type") != "text/plain" || hd.Get("Content-Length") != "1000" ||
		hd.Get("ETag") == "" || hd.Get("Last-Modified") == "" || !strings.HasPrefix(hd.Get("Content-Disposition"), "inline;") {
		t.Fatalf("headers %v", hd)
	}
	if strings.ContainsAny(hd.Get("Content-Disposition"), "\n\r") {
		t.Fatalf("control characters in Content-Disposition: %q", hd.Get("Content-Disposition"))
	}
	if r := e.do("GET", "/"+h+"?dl=true", nil); !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("dl=true: %v", r.header.Get("Content-Disposition"))
	}
	r = e.do("GET", "/"+h, nil, "Range", "bytes=10-19")
	if r.status != 206 || string(r.body) != "0123456789" {
		t.Fatalf("range: %d %q", r.status, r.body)
	}
	r = e.do("GET", "/"+h, nil, "If-None-Match", hd.Get("ETag"))
	if r.status != 304 {
		t.Fatalf("If-None-Match: %d", r.status)
	}
	r = e.do("HEAD", "/api/file/"+h, nil)
	if r.status != 200 || r.header.Get("Content-Length") != "1000" || r.header.Get("X-File-Name") == "" || len(r.body) != 0 {
		t.Fatalf("HEAD: %d %v", r.status, r.header)
	}
}

func TestMetadataFields(t *testing.T) {
	e := newTEnv(t, Options{})
	img := pngBytes(quadrants(40, 30))
	h := e.storeRaw(img, "&filename=q.png")
	m := e.do("GET", "/api/file/"+h+"/metadata", nil).json(t)
	for _, k := range []string{"size", "mimetype", "filename", "uploaded", "writeable", "location", "path", "container"} {
		if _, ok := m[k]; !ok {
			t.Errorf("default set lacks %s: %v", k, m)
		}
	}
	if m["mimetype"] != "image/png" || m["size"].(float64) != float64(len(img)) {
		t.Fatalf("%v", m)
	}
	m = e.do("GET", "/api/file/"+h+"/metadata?md5=true&sha256=true&width=true&height=true", nil).json(t)
	sum := md5.Sum(img)
	sha := sha256.Sum256(img)
	if m["md5"] != hex.EncodeToString(sum[:]) || m["sha256"] != hex.EncodeToString(sha[:]) || m["width"] != 40.0 || m["height"] != 30.0 || len(m) != 4 {
		t.Fatalf("flags: %v", m)
	}
	txt := e.storeRaw([]byte("not an image"), "&filename=t.txt")
	m = e.do("GET", "/"+txt+"/metadata?width=true", nil).json(t)
	if v, ok := m["width"]; !ok || v != nil {
		t.Fatalf("width of a text file must be null: %v", m)
	}
}

func TestFileAPIErrors(t *testing.T) {
	e := newTEnv(t, Options{})
	tests := []struct {
		name, method, path string
		status             int
		msg                string
	}{
		{"no key", "POST", "/api/store/S3", 400, "key parameter"},
		{"bad key", "POST", "/api/store/S3?key=nope", 401, "Invalid Application"},
		{"unknown handle", "GET", "/api/file/AAAAAAAAAAAAAAAAAAAA/metadata", 404, "File not found"},
		{"invalid handle", "GET", "/api/file/..%2F..%2Fetc%2Fpasswd/metadata", 400, "invalid handle"},
		{"cdn invalid", "GET", "/not-a-handle", 400, "invalid handle"},
		{"cdn unknown", "GET", "/AAAAAAAAAAAAAAAAAAAA", 404, "File not found"},
		{"delete without policy", "DELETE", "/api/file/AAAAAAAAAAAAAAAAAAAA?key=" + key, 403, "Policy required"},
		{"bad method", "PATCH", "/api/file/AAAAAAAAAAAAAAAAAAAA", 405, "not allowed"},
		{"store path", "POST", "/api/store/S3/../x?key=" + key, 400, "unsupported store path"},
	}
	for _, tt := range tests {
		r := e.do(tt.method, tt.path, strings.NewReader("x"))
		if r.status != tt.status || !strings.Contains(string(r.body), tt.msg) {
			t.Errorf("%s: %d %s, want %d %q", tt.name, r.status, r.body, tt.status, tt.msg)
		}
	}
	r := e.do("POST", "/api/store/S3?key="+key, strings.NewReader("url=file:///etc/passwd"), "Content-Type", "application/x-www-form-urlencoded")
	if r.status != 400 || !strings.Contains(string(r.body), "only http and https") {
		t.Fatalf("file:// fetch: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/store/S3?key="+key+"&base64decode=true", strings.NewReader("!!!not base64"))
	if r.status != 400 || !strings.Contains(string(r.body), "base64") {
		t.Fatalf("bad base64: %d %s", r.status, r.body)
	}
	// A JSON file sent raw as application/json is read as a store-from-URL
	// request; the answer says how to store it as a file instead.
	r = e.do("POST", "/api/store/S3?key="+key, strings.NewReader(`{"name":"pkg"}`), "Content-Type", "application/json")
	if r.status != 400 || !strings.Contains(string(r.body), "has no url") || !strings.Contains(string(r.body), "application/octet-stream") {
		t.Fatalf("JSON body without url: %d %s", r.status, r.body)
	}
	body, ct := multipartBody("", "", nil, map[string]string{"other": "x"})
	if r := e.do("POST", "/api/store/S3?key="+key, body, "Content-Type", ct); r.status != 400 || !strings.Contains(string(r.body), "fileUpload") {
		t.Fatalf("multipart without fileUpload: %d %s", r.status, r.body)
	}
}

func TestMaxUploadSize(t *testing.T) {
	e := newTEnv(t, Options{MaxUploadSize: 100})
	r := e.do("POST", "/api/store/S3?key="+key, bytes.NewReader(make([]byte, 101)))
	if r.status != 413 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	assertNoTempFiles(t, e.dir)
}

// The largest limit there is (--max-upload 9223372036854775807) stores
// whole files: the one byte looked for past the limit must not wrap the
// limit to nothing.
func TestMaxUploadSizeAtInt64Limit(t *testing.T) {
	e := newTEnv(t, Options{MaxUploadSize: math.MaxInt64})
	h := e.storeRaw([]byte("every byte"), "")
	if got := e.do("GET", "/"+h, nil); string(got.body) != "every byte" {
		t.Fatalf("stored %q", got.body)
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(ents) != 0 {
		t.Fatalf("temp files left: %v", ents)
	}
}

func TestDeleteAndOverwriteNeedPolicies(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw([]byte("v1"), "&filename=v.txt")
	other := e.storeRaw([]byte("other"), "")
	narrow := signed(security.Policy{Expiry: future(), Call: []string{"write"}, Handle: h})
	if r := e.do("POST", "/api/file/"+other+"?"+narrow.Encode(), strings.NewReader("x")); r.status != 403 {
		t.Fatalf("policy for another handle accepted: %d", r.status)
	}
	r := e.do("POST", "/api/file/"+h+"?"+narrow.Encode(), strings.NewReader("version two"), "Content-Type", "text/plain")
	if m := r.json(t); r.status != 200 || m["size"].(float64) != 11 || m["isWriteable"] != true {
		t.Fatalf("overwrite: %d %v", r.status, m)
	}
	if got := e.do("GET", "/"+h, nil); string(got.body) != "version two" {
		t.Fatalf("after overwrite: %q", got.body)
	}
	body, ct := multipartBody("fileUpload", "x", []byte("three"), nil)
	if r := e.do("PUT", "/api/file/"+h+"?"+narrow.Encode(), body, "Content-Type", ct); r.status != 200 {
		t.Fatalf("overwrite by fileUpload/PUT: %d %s", r.status, r.body)
	}
	if r := e.do("DELETE", "/api/file/"+h+"?key="+key+"&"+narrow.Encode(), nil); r.status != 403 || !strings.Contains(string(r.body), "`remove`") {
		t.Fatalf("write policy deleted: %d %s", r.status, r.body)
	}
	del := signed(security.Policy{Expiry: future(), Call: []string{"revoke"}})
	if r := e.do("DELETE", "/api/file/"+h+"?key="+key+"&"+del.Encode(), nil); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/"+h, nil); r.status != 404 {
		t.Fatalf("after delete: %d", r.status)
	}
	req, _ := http.NewRequest("DELETE", e.srv.URL+"/api/file/"+other+"?key="+key, nil)
	req.SetBasicAuth("app", secret)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("basic auth with the app secret: %v %v", res, err)
	}
}

// Many parallel uploads of the same and of different content all come
// back byte-exact under distinct handles.
func TestConcurrentStores(t *testing.T) {
	e := newTEnv(t, Options{})
	const n = 40
	var wg sync.WaitGroup
	handles := make([]string, n)
	datas := make([][]byte, n)
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		datas[i] = bytes.Repeat([]byte{byte(i % 3)}, 10000+i%3)
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Post(e.srv.URL+"/api/store/S3?key="+key, "application/octet-stream", bytes.NewReader(datas[i]))
			if err != nil || res.StatusCode != 200 {
				errs <- fmt.Errorf("upload %d: %v %v", i, err, res)
				return
			}
			var m map[string]any
			decodeJSON(res.Body, &m)
			u := m["url"].(string)
			handles[i] = u[strings.LastIndex(u, "/")+1:]
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, h := range handles {
		if seen[h] || !transform.ValidHandle(h) {
			t.Fatalf("handle %q repeated or invalid", h)
		}
		seen[h] = true
		if got := e.do("GET", "/"+h, nil); !bytes.Equal(got.body, datas[i]) {
			t.Fatalf("file %d differs", i)
		}
	}
	assertNoTempFiles(t, e.dir)
}

// Nothing the client sends as filename or path is used as a filesystem path.
func TestTraversalNamesStayInside(t *testing.T) {
	outside := t.TempDir()
	e := newTEnv(t, Options{})
	h := e.storeRaw([]byte("x"), "&filename=../../../"+filepath.Base(outside)+"/pwned&path=../../"+filepath.Base(outside)+"/pwned2")
	m := e.do("GET", "/api/file/"+h+"/metadata", nil).json(t)
	if m["filename"] != "../../../"+filepath.Base(outside)+"/pwned" {
		t.Fatalf("filename should be kept as data: %v", m)
	}
	ents, _ := os.ReadDir(outside)
	if len(ents) != 0 {
		t.Fatalf("wrote outside the data directory: %v", ents)
	}
	err := filepath.Walk(e.dir, func(p string, info os.FileInfo, err error) error {
		if strings.Contains(info.Name(), "pwned") {
			return fmt.Errorf("a file named from client input: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRestartKeepsFiles(t *testing.T) {
	dir := t.TempDir()
	e := newTEnv(t, Options{DataDir: dir})
	h := e.storeRaw([]byte("persistent"), "&filename=p.txt")
	e.srv.Close()
	e.s.Close()
	e2 := newTEnv(t, Options{DataDir: dir})
	if r := e2.do("GET", "/"+h, nil); r.status != 200 || string(r.body) != "persistent" {
		t.Fatalf("after restart: %d %q", r.status, r.body)
	}
}

// The request log (and so `serve`'s log) never holds the API key or a signature.
func TestRequestLogRedacted(t *testing.T) {
	e := newTEnv(t, Options{})
	h := e.storeRaw(pngBytes(quadrants(4, 4)), "")
	sec := security.New(secret, security.Policy{Expiry: future()})
	e.do("GET", "/"+key+"/security=p:"+sec.Policy+",s:"+sec.Signature+"/resize=w:2/"+h, nil)
	for _, r := range e.s.Requests() {
		if strings.Contains(r.Path, key) || strings.Contains(r.Path, sec.Signature) {
			t.Fatalf("log holds a secret: %s", r.Path)
		}
	}
}
