package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/security"
	"github.com/fsdeck/fsdeck/filestack/transform"
)

// hostClient sends every request to one test server under a chosen Host,
// the way SDKs reach upload., www., process. and cdn. of one domain.
type hostClient struct {
	t   *testing.T
	srv *httptest.Server
}

func (c hostClient) do(method, host, path, ctype string, body []byte) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Host = host
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		c.t.Fatalf("%s %s on %s: %d %s", method, path, host, res.StatusCode, b)
	}
	return res.StatusCode, m
}

func (c hostClient) postJSON(host, path string, v any) map[string]any {
	c.t.Helper()
	b, _ := json.Marshal(v)
	st, m := c.do("POST", host, path, "application/json", b)
	if st != 200 {
		c.t.Fatalf("%s on %s: %d %v", path, host, st, m)
	}
	return m
}

// multipartURL uploads a small file through start, upload, the part PUT and
// complete, all sent to the upload host, and returns complete's answer.
func (c hostClient) multipartURL(upload string) map[string]any {
	c.t.Helper()
	data := []byte("hello")
	st := c.postJSON(upload, "/multipart/start", map[string]any{"apikey": key, "filename": "h.txt", "size": len(data)})
	base := map[string]any{"apikey": key, "uri": st["uri"], "region": st["region"], "upload_id": st["upload_id"]}
	up := map[string]any{"part": 1, "size": len(data), "md5": md5b64(data)}
	for k, v := range base {
		up[k] = v
	}
	u := c.postJSON(upload, "/multipart/upload", up)
	req, _ := http.NewRequest("PUT", c.srv.URL+u["url"].(string)[strings.Index(u["url"].(string), "/s3/"):], bytes.NewReader(data))
	req.Host = upload
	for k, v := range u["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	res, err := c.srv.Client().Do(req)
	if err != nil || res.StatusCode != 200 {
		c.t.Fatalf("part PUT: %v %v", err, res)
	}
	res.Body.Close()
	done := map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": res.Header.Get("ETag")}},
		"filename": "h.txt", "mimetype": "text/plain", "size": len(data)}
	for k, v := range base {
		done[k] = v
	}
	return c.postJSON(upload, "/multipart/complete", done)
}

// Every answer that names a stored file gives its CDN URL, whichever host
// was called, as in the protocol examples: https://cdn.filestackcontent.com/
// {handle} on Filestack's own hosts and https://cdn.<cname>/{handle} under a
// custom domain; on a plain address the CDN is the same address.
func TestFileURLsNameTheCDN(t *testing.T) {
	tests := []struct {
		name, cname       string
		upload, www, proc string
		cdn               string
	}{
		{"filestack hosts", "", "upload.filestackapi.com", "www.filestackapi.com", "process.filestackapi.com", "https://cdn.filestackcontent.com"},
		{"regional upload host", "", "upload-eu-west-1.filestackapi.com", "www.filestackapi.com", "cdn.filestackcontent.com", "https://cdn.filestackcontent.com"},
		{"cname", "example.test", "upload.example.test", "www.example.test", "process.example.test", "https://cdn.example.test"},
		{"cname with port", "example.test", "upload.example.test:8443", "www.example.test:8443", "cdn.example.test:8443", "https://cdn.example.test:8443"},
		{"plain address", "", "127.0.0.1:9999", "127.0.0.1:9999", "127.0.0.1:9999", "https://127.0.0.1:9999"},
		{"cname, other host", "example.test", "localhost:9999", "localhost:9999", "localhost:9999", "https://localhost:9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(Options{DataDir: t.TempDir(), APIKeys: []string{key}, AppSecret: secret, CNAME: tt.cname, MinPartSize: 1})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewTLSServer(s)
			defer func() { srv.Close(); s.Close() }()
			c := hostClient{t, srv}
			check := func(what string, m map[string]any) {
				t.Helper()
				h, _ := m["handle"].(string)
				if h == "" {
					u, _ := m["url"].(string)
					h = u[strings.LastIndex(u, "/")+1:]
				}
				if want := tt.cdn + "/" + h; m["url"] != want || !transform.ValidHandle(h) {
					t.Errorf("%s: url %v, want %s", what, m["url"], want)
				}
			}
			check("multipart complete", c.multipartURL(tt.upload))
			st, stored := c.do("POST", tt.www, "/api/store/S3?key="+key, "text/plain", []byte("x"))
			if st != 200 {
				t.Fatalf("store: %d %v", st, stored)
			}
			check("File API store", stored)
			h := stored["url"].(string)[strings.LastIndex(stored["url"].(string), "/")+1:]
			st, over := c.do("POST", tt.www, "/api/file/"+h+"?key="+key+"&"+signed(security.Policy{Expiry: future()}).Encode(), "text/plain", []byte("y"))
			if st != 200 {
				t.Fatalf("overwrite: %d %v", st, over)
			}
			check("overwrite", map[string]any{"url": over["url"], "handle": h})
			check("store task", c.postJSON(tt.proc, "/"+key+"/store/"+h, nil))
			check("/process", c.postJSON(tt.proc, "/process", map[string]any{"apikey": key,
				"sources": []string{h}, "tasks": []map[string]any{{"name": "store"}}}))
		})
	}
}
