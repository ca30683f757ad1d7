package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A stored file is served as data, never as a page of the server's
// origin: every route that serves stored (or fetched) bytes sends
// X-Content-Type-Options: nosniff, and for HTML, SVG, XML and JavaScript
// Content-Security-Policy: sandbox, also for HEAD, ?dl=true, a chain
// that passes the file through, a cached transformation and an external
// source passed through.
func TestStoredFilesServedInert(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true})
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>`
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write([]byte(svg))
	}))
	defer src.Close()
	files := []struct {
		query, body string
		active      bool
	}{
		{"&mimetype=text/html", "<script>alert(document.cookie)</script>", true},
		{"&filename=x.svg", svg, true},
		{"&mimetype=application/xml", "<?xml version=\"1.0\"?><r/>", true},
		{"&mimetype=application/javascript", "fetch('/api/file/x')", true},
		{"&mimetype=text/plain", "plain", false},
		{"&filename=q.png", string(pngBytes(quadrants(8, 8))), false},
	}
	for _, f := range files {
		h := e.storeRaw([]byte(f.body), f.query)
		paths := []string{"/" + h, "/" + h + "?dl=true", "/api/file/" + h, "/" + key + "/" + h}
		if !f.active {
			paths = append(paths, "/cache=expiry:60/"+h)
		}
		if strings.Contains(f.query, "png") {
			paths = append(paths, "/resize=w:4/"+h, "/resize=w:4/"+h) // computed, then cached
		}
		for _, p := range paths {
			for _, method := range []string{"GET", "HEAD"} {
				checkInert(t, e.do(method, p, nil), method+" "+p+" ("+f.query+")", f.active)
			}
		}
	}
	checkInert(t, e.do("GET", "/"+key+"/"+src.URL+"/x.svg", nil), "external SVG passed through", true)
}

func checkInert(t *testing.T, r resp, what string, active bool) {
	t.Helper()
	csp := r.header.Get("Content-Security-Policy")
	if r.status != 200 || r.header.Get("X-Content-Type-Options") != "nosniff" || (csp == "sandbox") != active || (!active && csp != "") {
		t.Errorf("%s: %d, Content-Type %q, nosniff %q, CSP %q (active: %v)", what, r.status, r.header.Get("Content-Type"),
			r.header.Get("X-Content-Type-Options"), csp, active)
	}
}
