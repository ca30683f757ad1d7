package contentsec

import (
	"net/http"
	"testing"
)

func TestActive(t *testing.T) {
	for _, tt := range []struct {
		mimetype string
		active   bool
	}{
		{"text/html", true},
		{"TEXT/HTML; charset=utf-8", true},
		{"application/xhtml+xml", true},
		{"image/svg+xml", true},
		{"text/xml", true},
		{"application/xml", true},
		{"application/rss+xml", true},
		{"text/xsl", true},
		{"application/javascript", true},
		{"text/javascript", true},
		{"application/x-javascript", true},
		{"text/ecmascript", true},
		{"text/jscript", true},
		{"multipart/x-mixed-replace; boundary=x", true},
		{"", true},
		{"html", true},
		{"text/plain, text/html", true},
		{"text/plain;x=1, text/html", true},
		{"text/ html", true},
		{"text/plain\x00", true},
		{"text/htm\u00a0l", true},
		{"text/pla in", true},
		{"application/vnd.ms-excel", false},
		{"text/plain", false},
		{"image/png", false},
		{"image/jpeg", false},
		{"application/json", false},
		{"application/pdf", false},
		{"application/octet-stream", false},
		{"video/mp4", false},
		{"text/csv; charset=utf-8", false},
	} {
		if got := Active(tt.mimetype); got != tt.active {
			t.Errorf("Active(%q) = %v, want %v", tt.mimetype, got, tt.active)
		}
	}
}

func TestHeaders(t *testing.T) {
	h := http.Header{}
	Headers(h, "image/svg+xml")
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "sandbox" {
		t.Fatalf("svg: %v", h)
	}
	h = http.Header{}
	Headers(h, "image/png")
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") != "" {
		t.Fatalf("png: %v", h)
	}
}

// BenchmarkHeaders is what every served file pays for the headers.
func BenchmarkHeaders(b *testing.B) {
	h := http.Header{}
	for i := 0; i < b.N; i++ {
		Headers(h, "image/jpeg")
	}
}
