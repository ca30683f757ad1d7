package emulator

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// Over HTTPS the emulator answers location_url as a bare host, as Filestack
// does; an SDK-style client that prepends https:// reaches it.
func TestTLSAndCNAMECertificate(t *testing.T) {
	dir := t.TempDir()
	cfg, certPath, err := SelfSignedTLS(dir, "cdn.example.test")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := New(Options{DataDir: dir, APIKeys: []string{key}, AppSecret: secret})
	defer s.Close()
	srv := httptest.NewUnstartedServer(s)
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()
	pem, _ := os.ReadFile(certPath)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := c.Post(srv.URL+"/multipart/start", "application/json", strings.NewReader(`{"apikey":"`+key+`","filename":"f","size":3}`))
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	decodeJSON(res.Body, &st)
	res.Body.Close()
	loc := st["location_url"].(string)
	if strings.Contains(loc, "://") {
		t.Fatalf("location_url over TLS should be a bare host: %q", loc)
	}
	res, err = c.Get("https://" + loc + "/")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("https://%s: %v %v", loc, err, res)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	// A later CNAME gets a new certificate that covers it.
	_, _, err = SelfSignedTLS(dir, "cdn.other.test")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(certPath)
	if bytes.Equal(again, pem) || !certCovers(certPath, []string{"cdn.other.test", "localhost"}) {
		t.Fatal("certificate not renewed for the new name")
	}
}
