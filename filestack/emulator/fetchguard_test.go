package emulator

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// By default the server fetches only public addresses: store-from-URL,
// a processing source and a passthrough of a loopback URL, by address or
// by a name that resolves to one, are refused with a message naming the
// way to allow them. With FetchPrivate they work.
func TestFetchRefusesPrivateAddresses(t *testing.T) {
	img := pngBytes(quadrants(8, 8))
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer src.Close()
	byName := strings.Replace(src.URL, "127.0.0.1", "localhost", 1)
	paths := func(u string) []string {
		return []string{
			"/api/store/S3?key=" + key + " url=" + url.QueryEscape(u+"/a.png"),
			"/" + key + "/resize=w:4/" + u + "/a.png",
			"/" + key + "/" + u + "/a.png",
		}
	}
	strict := newTEnv(t, Options{})
	for _, u := range []string{src.URL, byName} {
		for _, p := range paths(u) {
			method, p, r := fetchVia(strict, p)
			if r.status != 400 || !strings.Contains(string(r.body), "refusing to connect") || !strings.Contains(string(r.body), "--allow-private-urls") {
				t.Errorf("%s %s: %d %s, want 400 refusing a private address", method, p, r.status, truncate(string(r.body), 200))
			}
		}
	}
	open := newTEnv(t, Options{FetchPrivate: true})
	for _, p := range paths(src.URL) {
		if method, p, r := fetchVia(open, p); r.status != 200 {
			t.Errorf("FetchPrivate: %s %s: %d %s", method, p, r.status, truncate(string(r.body), 200))
		}
	}
}

// fetchVia requests p; "PATH url=U" is a store-from-URL form post.
func fetchVia(e *tenv, p string) (string, string, resp) {
	if path, form, ok := strings.Cut(p, " "); ok {
		return "POST", path, e.do("POST", path, strings.NewReader(form), "Content-Type", "application/x-www-form-urlencoded")
	}
	return "GET", p, e.do("GET", p, nil)
}

func TestPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"8.8.8.8": true, "1.1.1.1": true, "2001:4860:4860::8888": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "255.255.255.255": false,
		"224.0.0.1": false, "::1": false, "fe80::1": false, "fc00::1": false, "fec0::1": false, "::": false,
		// Addresses that embed an IPv4 one are judged by it: NAT64,
		// 6to4, IPv4-compatible, Teredo (its client address is inverted).
		"64:ff9b::7f00:1": false, "64:ff9b::a00:1": false, "64:ff9b::808:808": true,
		"64:ff9b:1::a00:1": false, "2002:a00:1::1": false, "2002:7f00:1::": false, "2002:808:808::1": true,
		"::7f00:1": false, "::a00:1": false, "2001:0:4136:e378:8000:63bf:f5ff:fffe": false,
		// 0.0.0.0/8 reaches this host on Linux; other reserved ranges.
		"0.1.2.3": false, "192.0.0.1": false, "198.18.0.1": false, "240.0.0.1": false,
	} {
		if got := publicAddr(netip.MustParseAddr(s).Unmap()); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", s, got, want)
		}
	}
	// An IPv4-mapped IPv6 address is judged as the IPv4 address it maps.
	if err := refusePrivate("tcp6", "[::ffff:127.0.0.1]:80", nil); err == nil {
		t.Error("::ffff:127.0.0.1 allowed")
	}
	if err := refusePrivate("tcp4", "8.8.8.8:443", nil); err != nil {
		t.Errorf("8.8.8.8 refused: %v", err)
	}
}

// Without the key segment, a processing URL may not name an external
// source (the server would be an open proxy) or several sources.
func TestExternalSourceNeedsKey(t *testing.T) {
	e := newTEnv(t, Options{FetchPrivate: true})
	img := pngBytes(quadrants(8, 8))
	h := e.storeRaw(img, "&filename=q.png")
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	}))
	defer src.Close()
	for _, p := range []string{"/" + src.URL + "/a.png", "/resize=w:4/" + src.URL + "/a.png", "/zip/[" + h + "," + h + "]"} {
		r := e.do("GET", p, nil)
		if r.status != 400 || !strings.Contains(string(r.body), "API key is required") {
			t.Errorf("GET %s: %d %s, want 400 asking for the key", p, r.status, truncate(string(r.body), 200))
		}
	}
	for _, p := range []string{"/" + key + "/" + src.URL + "/a.png", "/" + key + "/zip/[" + h + "," + h + "]"} {
		if r := e.do("GET", p, nil); r.status != 200 {
			t.Errorf("GET %s: %d %s", p, r.status, truncate(string(r.body), 200))
		}
	}
}

// On a public address, HTTP's ports and the usual alternates are fetched;
// the Fetch standard's bad ports (other protocols' servers) are not.
func TestFetchRefusesBadPorts(t *testing.T) {
	for _, addr := range []string{"8.8.8.8:80", "8.8.8.8:443", "8.8.8.8:8080", "[2001:4860:4860::8888]:8443"} {
		if err := refusePrivate("tcp", addr, nil); err != nil {
			t.Errorf("%s refused: %v", addr, err)
		}
	}
	for _, addr := range []string{"8.8.8.8:25", "8.8.8.8:6667", "[2001:4860:4860::8888]:587", "8.8.8.8:0"} {
		if err := refusePrivate("tcp", addr, nil); err == nil || !strings.Contains(err.Error(), "port") {
			t.Errorf("%s allowed: %v", addr, err)
		}
	}
}
