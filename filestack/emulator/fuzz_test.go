package emulator

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzDecodeUpReq feeds arbitrary bodies to the Upload API decoder in both
// encodings: it must return a request or a 4xx, never panic, and a part
// number it returns is one a part can have (or 0, none given).
func FuzzDecodeUpReq(f *testing.F) {
	seeds := []struct{ ct, body string }{
		{"application/json", `{"apikey":"k","uri":"/u","region":"r","upload_id":"x","part":1,"size":"5","md5":"AAAA","store":{"location":"s3","workflows":[{"id":"w"}]},"parts":[{"part_number":"1","etag":"\"e\""}],"upload_tags":{"a":"b"},"fii":"true"}`},
		{"application/json", `{"parts":"1:a;2:b","upload_tags":["x"],"store":{"workflows":"one"}}`},
		{"application/x-www-form-urlencoded", "apikey=k&size=12&parts=1:e;2:f&multipart=true&store_path=a"},
		{"multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n12\r\n--XX--\r\n"},
		{"application/json", `[]`},
		// The int64 extremes, and one past them, in every numeric field.
		{"application/json", `{"part":9223372036854775807,"offset":9223372036854775807,"size":-9223372036854775808}`},
		{"application/json", `{"part":-9223372036854775808,"offset":-9223372036854775808,"size":9223372036854775807}`},
		{"application/json", `{"part":"4294967297","offset":"9223372036854775758","size":"50"}`},
		{"application/json", `{"part":9223372036854775808,"size":1}`},
		{"application/json", `{"parts":[{"part_number":4294967297,"etag":"e"},{"part_number":-9223372036854775808,"etag":"f"}]}`},
		{"application/json", `{"parts":"9223372036854775807:e;4294967297:f"}`},
		{"application/x-www-form-urlencoded", "part=4294967297&offset=9223372036854775807&size=-9223372036854775808&parts=9223372036854775807:e"},
	}
	for _, s := range seeds {
		f.Add(s.ct, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		req := httptest.NewRequest("POST", "/multipart/start", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		q, err := decodeUpReq(req, 1<<20)
		if err != nil {
			ae, ok := err.(*apiError)
			if !ok || ae.status < 400 || ae.status > 499 {
				t.Fatalf("decode error is not a 4xx: %#v", err)
			}
			return
		}
		if q == nil {
			t.Fatal("nil request without error")
		}
		// A part number is decoded as sent or refused, never wrapped.
		if q.Part < 0 || q.Part > maxParts {
			t.Fatalf("part %d decoded", q.Part)
		}
		for _, p := range q.Parts {
			if p.Number < 0 || p.Number > maxParts {
				t.Fatalf("part_number %d decoded", p.Number)
			}
		}
		sortedParts(q.Parts)
	})
}

// FuzzServeCDN sends arbitrary paths through the whole handler: every
// answer is a clean status, and nothing is written outside the data dir.
func FuzzServeCDN(f *testing.F) {
	for _, s := range []string{"/resize=w:10/AAAAAAAAAAAAAAAAAAAA", "/KEY/zip/[a,b]", "/debug/x", "/api/file/../../x", "/s3/x/1?offset=0&size=1",
		"/security=p:e30,s:00/AAAAAAAAAAAAAAAAAAAA", "/AAAAAAAAAAAAAAAAAAAA/metadata", `/store=path:"../../x"/AAAAAAAAAAAAAAAAAAAA`} {
		f.Add(s, "GET")
	}
	dir := f.TempDir()
	s, err := New(Options{DataDir: dir, APIKeys: []string{key}, AppSecret: secret})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	f.Fuzz(func(t *testing.T, path, method string) {
		if method != "GET" && method != "POST" && method != "PUT" && method != "DELETE" && method != "HEAD" {
			method = "GET"
		}
		req, err := http.NewRequest(method, "http://emu"+path, nil)
		if err != nil || req.URL.Path == "" || req.URL.Path[0] != '/' {
			return
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code == http.StatusInternalServerError && bytes.Contains(w.Body.Bytes(), []byte("internal error")) && !bytes.Contains(w.Body.Bytes(), []byte("injected")) {
			t.Fatalf("%s %s: 500 %s", method, path, w.Body.Bytes())
		}
		if w.Code < 100 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
	})
}
