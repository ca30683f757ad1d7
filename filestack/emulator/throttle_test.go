package emulator

import (
	"bytes"
	"testing"
	"time"
)

// A bps fault slows CDN bodies (so a test can interrupt a download
// midway) and leaves other endpoints alone; bad values are refused.
func TestFaultBytesPerSecond(t *testing.T) {
	f, err := ParseFault("cdn:bps=100000")
	if err != nil || f.BytesPerSecond != 100000 {
		t.Fatalf("%+v %v", f, err)
	}
	for _, bad := range []string{"cdn:bps=0", "cdn:bps=-5", "cdn:bps=x"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
	e := newTEnv(t, Options{Faults: []Fault{f}})
	body := bytes.Repeat([]byte("x"), 40000)
	r := e.do("POST", "/api/store/S3?key="+key, bytes.NewReader(body))
	h, _ := r.json(t)["url"].(string)
	if r.status != 200 || h == "" {
		t.Fatalf("store: %d %s", r.status, r.body)
	}
	start := time.Now()
	got := e.do("GET", h[len(e.srv.URL):], nil)
	// 40,000 bytes at 100,000 bytes a second take at least 0.4s of
	// deliberate waits.
	if d := time.Since(start); got.status != 200 || !bytes.Equal(got.body, body) || d < 350*time.Millisecond {
		t.Fatalf("throttled GET: %d, %d bytes in %v", got.status, len(got.body), d)
	}
}
