package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// hostsEntries reads /etc/hosts lines: hostname → address.
func hostsEntries(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		for _, h := range f[1:] {
			if _, dup := got[h]; dup {
				t.Errorf("%s listed twice", h)
			}
			got[h] = f[0]
		}
	}
	return got
}

// serve --hosts prints an /etc/hosts line naming every hostname serve
// answers (Filestack's, or the custom domain's, and the five services'),
// sent to the listen address, and nothing else on stdout; hints go to
// stderr.
func TestServeHostsPrintsEveryHostname(t *testing.T) {
	c := newCLI(t)
	out, errOut, code := c.run("", "serve", "--hosts", "--addr", "127.0.0.1:7444")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := hostsEntries(t, out)
	want := []string{"www.filestackapi.com", "upload.filestackapi.com", "cdn.filestackcontent.com", "process.filestackapi.com",
		"api.imgbb.com", "i.ibb.co", "ibb.co", "api.gyazo.com", "upload.gyazo.com", "i.gyazo.com", "gyazo.com", "pastebin.com",
		"gofile.io", "upload.gofile.io", "api.gofile.io", "api-v2.ddownload.com", "upload.ddownload.com", "ddownload.com"}
	for _, h := range want {
		if got[h] != "127.0.0.1" {
			t.Errorf("%s → %q, want 127.0.0.1", h, got[h])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d names, want %d: %v", len(got), len(want), got)
	}
	if !strings.Contains(errOut, "port 80") || !strings.Contains(errOut, "--tls") {
		t.Errorf("hints: %q", errOut)
	}
	out, errOut, _ = c.run("", "serve", "--hosts", "--tls", "--cname", "example.test", "--addr", "127.0.0.2:443")
	got = hostsEntries(t, out)
	if got["cdn.example.test"] != "127.0.0.2" || got["www.example.test"] == "" || got["cdn.filestackcontent.com"] != "" || errOut != "" {
		t.Errorf("with --cname and --addr 127.0.0.2:443: %v, hints %q", got, errOut)
	}
}

// loopbackClient sends every hostname to addr (the test's /etc/hosts)
// and trusts only the CA in caFile.
func loopbackClient(t *testing.T, addr, caFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// serve --tls makes a local CA once in the data directory (its key
// owner-only), prints its path and how curl, Go, Node and Python trust
// it, and answers Filestack's hostnames and the services' over HTTPS with
// a certificate that CA vouches for.
func TestServeTLSLocalCA(t *testing.T) {
	base, banner, data := startServeWith(t, "https", "--tls")
	ca := filepath.Join(data, "tls-ca", "ca.pem")
	for _, want := range []string{ca, "curl --cacert " + ca, "SSL_CERT_FILE=" + ca, "NODE_EXTRA_CA_CERTS=" + ca,
		"REQUESTS_CA_BUNDLE=" + ca, "new: trust it"} {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}
	if runtime.GOOS != "windows" {
		if st, err := os.Stat(filepath.Join(data, "tls-ca", "ca-key.pem")); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("CA key: %v %v", st, err)
		}
	}
	hc := loopbackClient(t, strings.TrimPrefix(base, "https://"), ca)
	res, err := hc.PostForm("https://pastebin.com/api/api_post.php", url.Values{"api_dev_key": {serveKey},
		"api_option": {"paste"}, "api_paste_code": {"over TLS"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !regexp.MustCompile(`^https://pastebin\.com/[A-Za-z0-9]{8}$`).Match(b) {
		t.Fatalf("paste URL %q", b)
	}
	res, err = hc.Post("https://www.filestackapi.com/api/store/S3?key="+serveKey, "text/plain", strings.NewReader("filestack over TLS"))
	if err != nil {
		t.Fatal(err)
	}
	var stored struct{ URL string }
	json.NewDecoder(res.Body).Decode(&stored)
	res.Body.Close()
	if !strings.HasPrefix(stored.URL, "https://cdn.filestackcontent.com/") {
		t.Fatalf("stored URL %q", stored.URL)
	}
	res, err = hc.Get(stored.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if string(b) != "filestack over TLS" {
		t.Fatalf("CDN answered %q", b)
	}
	first, _ := os.ReadFile(ca)
	// Again on the same data: the same CA, not a new one to trust.
	_, banner2, _ := startServeWithData(t, data, "https", "--tls")
	again, _ := os.ReadFile(ca)
	if string(first) != string(again) || strings.Contains(banner2.String(), "new: trust it") {
		t.Fatalf("the CA was made again:\n%s", banner2.String())
	}
	if !slices.Contains(strings.Split(banner2.String(), "\n"), "            Node: NODE_EXTRA_CA_CERTS="+ca) {
		t.Errorf("second banner: %s", banner2.String())
	}
}
