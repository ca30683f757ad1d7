package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchPost posts JSON and decodes the JSON answer.
func benchPost(b *testing.B, srv *httptest.Server, path string, body map[string]any) (int, map[string]any) {
	b.Helper()
	raw, _ := json.Marshal(body)
	res, err := http.Post(srv.URL+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	decodeJSON(res.Body, &m)
	return res.StatusCode, m
}

// benchMultipart uploads size bytes as partSize parts (regular multipart,
// as filestack-go and fsdeck send them) and returns the complete body.
func benchMultipart(b *testing.B, srv *httptest.Server, size, partSize int64, part []byte) map[string]any {
	b.Helper()
	st, start := benchPost(b, srv, "/multipart/start", map[string]any{"apikey": key, "filename": "big.bin",
		"mimetype": "application/octet-stream", "size": size, "store": map[string]any{"location": "s3"}})
	if st != 200 {
		b.Fatalf("start: %d %v", st, start)
	}
	base := func() map[string]any {
		return map[string]any{"apikey": key, "uri": start["uri"], "region": start["region"],
			"upload_id": start["upload_id"], "store": map[string]any{"location": "s3"}}
	}
	var parts []map[string]any
	for n, off := 1, int64(0); off < size; n, off = n+1, off+partSize {
		data := part[:min(partSize, size-off)]
		req := base()
		req["part"], req["size"], req["md5"] = n, len(data), md5b64(data)
		st, u := benchPost(b, srv, "/multipart/upload", req)
		if st != 200 {
			b.Fatalf("upload %d: %d %v", n, st, u)
		}
		put, _ := http.NewRequest("PUT", u["url"].(string), bytes.NewReader(data))
		for k, v := range u["headers"].(map[string]any) {
			put.Header.Set(k, v.(string))
		}
		res, err := http.DefaultClient.Do(put)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("PUT %d: %v %v", n, err, res)
		}
		res.Body.Close()
		parts = append(parts, map[string]any{"part_number": n, "etag": res.Header.Get("ETag")})
	}
	done := base()
	done["parts"], done["size"], done["filename"] = parts, size, "big.bin"
	return done
}

// BenchmarkComplete1GiB times multipart/complete alone for a 1 GiB upload
// in 8 MiB parts (the parts are sent with the timer stopped); each stored
// result is removed again so the benchmark's disk use stays near 1 GiB.
func BenchmarkComplete1GiB(b *testing.B) {
	size, partSize := int64(benchSize(1<<30, 16<<20)), int64(8<<20)
	s, srv := benchServer(b, Options{MinPartSize: 5 << 20, CompleteWait: 10 * time.Minute})
	part := make([]byte, partSize)
	rand.Read(part)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		body := benchMultipart(b, srv, size, partSize, part)
		b.StartTimer()
		st, res := benchPost(b, srv, "/multipart/complete", body)
		for st == http.StatusAccepted {
			st, res = benchPost(b, srv, "/multipart/complete", body)
		}
		b.StopTimer()
		if st != 200 || res["size"] != float64(size) {
			b.Fatalf("complete: %d %v", st, res)
		}
		if err := s.store.remove(res["handle"].(string)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(body["parts"].([]map[string]any))), "parts")
	}
}
