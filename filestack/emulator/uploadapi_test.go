package emulator

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func md5b64(b []byte) string {
	s := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(s[:])
}

// mp drives the Upload API the way the JSON SDKs do.
type mp struct {
	e     *tenv
	start map[string]any
}

func (e *tenv) mpStart(size int, extra map[string]any) mp {
	e.t.Helper()
	body := map[string]any{"apikey": key, "filename": "big.bin", "mimetype": "application/octet-stream", "size": size,
		"store": map[string]any{"location": "s3"}}
	for k, v := range extra {
		body[k] = v
	}
	r := e.postJSON("/multipart/start", body)
	if r.status != 200 {
		e.t.Fatalf("start: %d %s", r.status, r.body)
	}
	return mp{e: e, start: r.json(e.t)}
}

func (m mp) base(extra map[string]any) map[string]any {
	b := map[string]any{"apikey": key, "uri": m.start["uri"], "region": m.start["region"], "upload_id": m.start["upload_id"],
		"store": map[string]any{"location": "s3"}}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// part asks for a part URL and PUTs data to it; it returns the PUT's answer.
func (m mp) part(n int, data []byte, extra map[string]any, putHeaders ...string) resp {
	m.e.t.Helper()
	x := map[string]any{"part": n, "size": len(data), "md5": md5b64(data)}
	for k, v := range extra {
		x[k] = v
	}
	r := m.e.postJSON("/multipart/upload", m.base(x))
	if r.status != 200 {
		m.e.t.Fatalf("upload part %d: %d %s", n, r.status, r.body)
	}
	u := r.json(m.e.t)
	req, _ := http.NewRequest("PUT", u["url"].(string), bytes.NewReader(data))
	for k, v := range u["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	for i := 0; i+1 < len(putHeaders); i += 2 {
		req.Header.Set(putHeaders[i], putHeaders[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		m.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (m mp) complete(extra map[string]any) resp {
	return m.e.postJSON("/multipart/complete", m.base(extra))
}

func TestMultipartJSONOutOfOrder(t *testing.T) {
	e := newTEnv(t, Options{})
	p1, p2, p3 := bytes.Repeat([]byte("a"), 2000), bytes.Repeat([]byte("b"), 2000), []byte("tail")
	m := e.mpStart(4004, nil)
	if !strings.HasPrefix(m.start["location_url"].(string), "http://") || m.start["upload_type"] != nil {
		t.Fatalf("start: %v", m.start)
	}
	etags := map[int]string{}
	for _, p := range []struct {
		n int
		d []byte
	}{{3, p3}, {1, p1}, {2, p2}} {
		r := m.part(p.n, p.d, nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("ETag"), `"`) {
			t.Fatalf("PUT %d: %d %v", p.n, r.status, r.header)
		}
		etags[p.n] = r.header.Get("ETag")
	}
	parts := []map[string]any{{"part_number": 3, "etag": etags[3]}, {"part_number": 1, "etag": etags[1]}, {"part_number": 2, "etag": etags[2]}}
	r := m.complete(map[string]any{"parts": parts, "filename": "big.bin", "mimetype": "application/octet-stream", "size": 4004})
	res := r.json(t)
	if r.status != 200 || res["status"] != "Stored" || res["handle"] == nil {
		t.Fatalf("complete: %d %v", r.status, res)
	}
	got := e.do("GET", "/"+res["handle"].(string), nil).body
	if !bytes.Equal(got, append(append(append([]byte{}, p1...), p2...), p3...)) {
		t.Fatal("assembled file is not parts 1,2,3 in order")
	}
	if again := m.complete(map[string]any{"parts": parts, "size": 4004}).json(t); again["handle"] != res["handle"] {
		t.Fatalf("repeated complete gave a new handle: %v", again)
	}
}

// The form encoding of filestack-java and -php: store_* fields,
// multipart=true for II, parts as "1:etag;2:etag".
func TestMultipartFormEncoding(t *testing.T) {
	e := newTEnv(t, Options{})
	form := func(path string, f map[string]string) resp {
		body, ct := multipartBody("", "", nil, f)
		return e.do("POST", path, body, "Content-Type", ct)
	}
	r := form("/multipart/start", map[string]string{"apikey": key, "filename": "f.txt", "mimetype": "text/plain", "size": "2010", "store_location": "s3", "store_path": "dir/f.txt"})
	st := r.json(t)
	if r.status != 200 {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	m := mp{e: e, start: st}
	etag1 := m.part(1, bytes.Repeat([]byte("x"), 2000), nil).header.Get("ETag")
	etag2 := m.part(2, bytes.Repeat([]byte("y"), 10), nil).header.Get("ETag")
	r = form("/multipart/complete", map[string]string{"apikey": key, "uri": st["uri"].(string), "region": st["region"].(string),
		"upload_id": st["upload_id"].(string), "filename": "f.txt", "mimetype": "text/plain", "size": "2010",
		"parts": "1:" + etag1 + ";2:" + etag2, "store_location": "s3"})
	res := r.json(t)
	if r.status != 200 || res["key"] != "dir/f.txt" {
		t.Fatalf("complete: %d %v", r.status, res)
	}
}

// Intelligent ingestion: chunks by offset (one re-sent smaller, as after a
// halving), commit per part with the total size, complete with fii.
func TestIntelligentIngestion(t *testing.T) {
	e := newTEnv(t, Options{})
	part1 := bytes.Repeat([]byte("0123456789"), 300) // 3000 bytes
	part2 := []byte("end")
	m := e.mpStart(3003, map[string]any{"fii": true})
	if m.start["upload_type"] != "intelligent_ingestion" {
		t.Fatalf("II not granted: %v", m.start)
	}
	ii := func(off int) map[string]any { return map[string]any{"offset": off, "fii": true} }
	if r := m.part(1, part1[:2000], ii(0)); r.status != 200 {
		t.Fatalf("chunk: %d %s", r.status, r.body)
	}
	m.part(1, part1[:1000], ii(0)) // re-sent smaller: must not break assembly
	m.part(1, part1[1000:], ii(1000))
	m.part(2, part2, ii(0))
	if r := m.complete(map[string]any{"fii": true, "size": 3003}); r.status != 400 || !strings.Contains(string(r.body), "before any part was committed") {
		t.Fatalf("complete before commit: %d %s", r.status, r.body)
	}
	for _, n := range []int{1, 2} {
		if r := e.postJSON("/multipart/commit", m.base(map[string]any{"part": n, "size": 3003})); r.status != 200 {
			t.Fatalf("commit %d: %d %s", n, r.status, r.body)
		}
	}
	r := m.complete(map[string]any{"fii": true, "size": 3003, "filename": "big.bin", "mimetype": "application/octet-stream"})
	if r.status != 200 {
		t.Fatalf("complete: %d %s", r.status, r.body)
	}
	if got := e.do("GET", "/"+r.json(t)["handle"].(string), nil).body; !bytes.Equal(got, append(append([]byte{}, part1...), part2...)) {
		t.Fatal("II assembly wrong")
	}
	if s := e.mpStart(10, map[string]any{"fii": true}); s.start["upload_type"] != nil {
		t.Log("ok")
	}
	e2 := newTEnv(t, Options{DisableIntelligent: true})
	if s := e2.mpStart(10, map[string]any{"fii": true}); s.start["upload_type"] != nil {
		t.Fatalf("II granted while disabled: %v", s.start)
	}
}

func TestUploadAPIBadInput(t *testing.T) {
	e := newTEnv(t, Options{MinPartSize: 1000})
	check := func(name string, r resp, status int, msg string) {
		t.Helper()
		if r.status != status || !strings.Contains(string(r.body), msg) {
			t.Errorf("%s: %d %s, want %d %q", name, r.status, r.body, status, msg)
		}
	}
	check("malformed JSON", e.do("POST", "/multipart/start", strings.NewReader("{"), "Content-Type", "application/json"), 400, "malformed JSON")
	check("wrong type", e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": map[string]int{"x": 1}}), 400, "`size` must be a number")
	check("size as string ok", e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": "12"}), 200, "upload_id")
	check("zero size", e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": 0}), 400, "positive")
	check("no filename", e.postJSON("/multipart/start", map[string]any{"apikey": key, "size": 5}), 400, "missing filename")
	check("bad key", e.postJSON("/multipart/start", map[string]any{"apikey": "x", "filename": "f", "size": 5}), 401, "Invalid Application")
	check("store not object", e.postJSON("/multipart/start", map[string]any{"apikey": key, "filename": "f", "size": 5, "store": "s3"}), 400, "`store` must be an object")
	check("unknown upload id", e.postJSON("/multipart/upload", map[string]any{"apikey": key, "upload_id": "zzzzzzzzzzzzzzzzzzzz", "uri": "/x", "part": 1, "size": 1}), 400, "unknown upload_id")
	check("traversal upload id", e.postJSON("/multipart/upload", map[string]any{"apikey": key, "upload_id": "../../files", "uri": "/x", "part": 1, "size": 1}), 400, "unknown upload_id")
	check("content type", e.do("POST", "/multipart/start", strings.NewReader("x"), "Content-Type", "text/plain"), 400, "unsupported Content-Type")
	check("body cap", e.do("POST", "/multipart/start", bytes.NewReader(make([]byte, 2<<20)), "Content-Type", "application/json"), 413, "over")

	m := e.mpStart(3000, nil)
	check("part 0", e.postJSON("/multipart/upload", m.base(map[string]any{"part": 0, "size": 1})), 400, "out of range")
	check("part 10001", e.postJSON("/multipart/upload", m.base(map[string]any{"part": 10001, "size": 1})), 400, "out of range")
	check("too big part", e.postJSON("/multipart/upload", m.base(map[string]any{"part": 1, "size": 3001})), 400, "larger than the whole file")
	check("bad md5", e.postJSON("/multipart/upload", m.base(map[string]any{"part": 1, "size": 5, "md5": "abc"})), 400, "md5 must be")
	check("offset without II", e.postJSON("/multipart/upload", m.base(map[string]any{"part": 1, "size": 5, "offset": 0})), 400, "only valid for intelligent")
	check("wrong uri", e.postJSON("/multipart/upload", map[string]any{"apikey": key, "upload_id": m.start["upload_id"], "uri": "/other", "part": 1, "size": 1}), 400, "do not belong")

	bad := m.part(1, bytes.Repeat([]byte("a"), 2000), nil, "Content-MD5", md5b64([]byte("other")))
	if bad.status != 403 {
		t.Errorf("changed Content-MD5 must break the signature: %d %s", bad.status, bad.body)
	}
	r := m.e.postJSON("/multipart/upload", m.base(map[string]any{"part": 1, "size": 2000, "md5": md5b64(bytes.Repeat([]byte("a"), 2000))}))
	u := r.json(t)
	req, _ := http.NewRequest("PUT", u["url"].(string), bytes.NewReader(bytes.Repeat([]byte("b"), 2000)))
	for k, v := range u["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	res, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	check("BadDigest", resp{status: res.StatusCode, body: b}, 400, "<Code>BadDigest</Code>")
	req, _ = http.NewRequest("PUT", u["url"].(string), bytes.NewReader(bytes.Repeat([]byte("a"), 1999)))
	for k, v := range u["headers"].(map[string]any) {
		req.Header.Set(k, v.(string))
	}
	req.ContentLength = 1999
	res, _ = http.DefaultClient.Do(req)
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	check("short body", resp{status: res.StatusCode, body: b}, 400, "IncompleteBody")
	check("forged URL", e.do("PUT", "/s3/"+m.start["upload_id"].(string)+"/1?offset=0&size=1", strings.NewReader("x")), 403, "SignatureDoesNotMatch")

	small := m.part(1, []byte("tiny"), nil).header.Get("ETag")
	check("complete before all parts", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": small}}}), 400, "size mismatch")
	check("never uploaded", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": small}, {"part_number": 2, "etag": `"x"`}}}), 400, "part 2 was never uploaded")
	big := m.part(2, bytes.Repeat([]byte("c"), 2996), nil).header.Get("ETag")
	check("EntityTooSmall", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": small}, {"part_number": 2, "etag": big}}}), 400, "EntityTooSmall")
	check("etag mismatch", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": `"0000"`}, {"part_number": 2, "etag": big}}}), 400, "does not match")
	check("duplicate part", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": small}, {"part_number": 1, "etag": small}}}), 400, "listed twice")
	check("parts wrong shape", m.complete(map[string]any{"parts": []any{"x"}}), 400, "`parts` must be")
	check("gap", m.complete(map[string]any{"parts": []map[string]any{{"part_number": 2, "etag": big}}}), 400, "part 1 is missing")
	assertNoTempFiles(t, e.dir)
}

// complete answers 202 while assembly runs (or when told to by a fault),
// and the final answer once it is done.
func TestComplete202(t *testing.T) {
	e := newTEnv(t, Options{Faults: []Fault{{Endpoint: "complete", Accepted: 2}}})
	m := e.mpStart(3, nil)
	etag := m.part(1, []byte("abc"), nil).header.Get("ETag")
	body := map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": etag}}, "size": 3}
	for i := 0; i < 2; i++ {
		if r := m.complete(body); r.status != 202 {
			t.Fatalf("call %d: %d", i, r.status)
		}
	}
	if r := m.complete(body); r.status != 200 {
		t.Fatalf("third call: %d %s", r.status, r.body)
	}
}

// Unfinished sessions survive a restart; expired ones are swept.
func TestSessionsSurviveRestartAndExpire(t *testing.T) {
	dir := t.TempDir()
	e := newTEnv(t, Options{DataDir: dir, MinPartSize: 1})
	m := e.mpStart(6, nil)
	etag1 := m.part(1, []byte("abc"), nil).header.Get("ETag")
	e.srv.Close()
	e.s.Close()

	e2 := newTEnv(t, Options{DataDir: dir, MinPartSize: 1})
	m.e = e2
	etag2 := m.part(2, []byte("def"), nil).header.Get("ETag")
	r := m.complete(map[string]any{"parts": []map[string]any{{"part_number": 1, "etag": etag1}, {"part_number": 2, "etag": etag2}}, "size": 6})
	if r.status != 200 || string(e2.do("GET", "/"+r.json(t)["handle"].(string), nil).body) != "abcdef" {
		t.Fatalf("after restart: %d %s", r.status, r.body)
	}
	e2.srv.Close()
	e2.s.Close()

	later := time.Now().Add(48 * time.Hour)
	e3 := newTEnv(t, Options{DataDir: dir, Now: func() time.Time { return later }})
	m3 := e3.mpStart(3, nil)
	m3.part(1, []byte("xyz"), nil)
	e3.srv.Close()
	e3.s.Close()
	e4 := newTEnv(t, Options{DataDir: dir, Now: func() time.Time { return later.Add(25 * time.Hour) }})
	r = e4.postJSON("/multipart/upload", m3.base(map[string]any{"part": 1, "size": 1}))
	if r.status != 400 || !strings.Contains(string(r.body), "unknown upload_id") {
		t.Fatalf("expired session still there: %d %s", r.status, r.body)
	}
}

func TestFaultsInjected(t *testing.T) {
	e := newTEnv(t, Options{})
	e.s.SetFaults(Fault{Endpoint: "store", Nth: 2, Status: 503})
	ok := func(i int) int {
		return e.do("POST", "/api/store/S3?key="+key, strings.NewReader(fmt.Sprint(i))).status
	}
	if a, b, c := ok(1), ok(2), ok(3); a != 200 || b != 503 || c != 200 {
		t.Fatalf("nth=2: %d %d %d", a, b, c)
	}
	e.s.SetFaults(Fault{Endpoint: "store", Rate: 1, Status: 429})
	if r := e.do("POST", "/api/store/S3?key="+key, strings.NewReader("x")); r.status != 429 || r.header.Get("Filestack-Reset") == "" {
		t.Fatalf("rate=1 429: %d %v", r.status, r.header)
	}
	e.s.SetFaults(Fault{Endpoint: "*", Drop: true, Nth: 1})
	if _, err := http.Post(e.srv.URL+"/api/store/S3?key="+key, "text/plain", strings.NewReader("hello world")); err == nil {
		t.Fatal("drop: expected a transport error")
	}
	e.s.SetFaults(Fault{Endpoint: "*", Latency: 30 * time.Millisecond})
	start := time.Now()
	e.do("GET", "/", nil)
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("latency not applied")
	}
	for _, bad := range []string{"nope:nth=1", "put", "put:nth=x", "put:status=200", "put:wat=1"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
	f, err := ParseFault("put:nth=3,count=2,status=503,latency=5ms")
	if err != nil || f.Nth != 3 || f.Count != 2 || f.Status != 503 || f.Latency != 5*time.Millisecond {
		t.Fatalf("%+v %v", f, err)
	}
}
