package hosts_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
)

// closedAddr is a 127.0.0.1 port nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// Failures to reach a service become words that name the host, never
// net/http's `Post "https://…?key=…": dial tcp: …`, and keep the key out.
func TestRedactErrorWordsNetworkProblems(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(500 * time.Millisecond) }))
	defer slow.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tlsSrv.Close()
	closed := closedAddr(t)
	get := func(c *http.Client, u string) error {
		_, err := c.Post(u+"/1/upload?key="+secret, "text/plain", strings.NewReader("x"))
		if err == nil {
			t.Fatalf("%s answered", u)
		}
		return err
	}
	// Resets the connection once the request arrives, as a server
	// killed mid-request does.
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	}))
	defer reset.Close()
	slowHost := strings.TrimPrefix(slow.URL, "http://")
	tlsHost := strings.TrimPrefix(tlsSrv.URL, "https://")
	dns := &url.Error{Op: "Post", URL: "https://api.imgbb.com/1/upload?key=" + secret,
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "api.imgbb.com", IsNotFound: true}}}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"refused", get(http.DefaultClient, "http://"+closed), "connection refused by " + closed},
		{"timeout", get(&http.Client{Timeout: 100 * time.Millisecond}, slow.URL), "timed out reaching " + slowHost},
		{"tls", get(http.DefaultClient, tlsSrv.URL), "TLS certificate problem with " + tlsHost + ": x509: certificate signed by unknown authority"},
		{"dns", dns, "cannot resolve host api.imgbb.com: no such host"},
		{"reset", get(http.DefaultClient, reset.URL), "connection lost (reset by " + strings.TrimPrefix(reset.URL, "http://") + ")"},
	}
	for _, c := range cases {
		got := hosts.RedactError(c.err, secret)
		if got.Error() != c.want {
			t.Errorf("%s: %q, want %q (from %v)", c.name, got.Error(), c.want, c.err)
		}
		var ue *url.Error
		if !errors.As(got, &ue) || strings.Contains(ue.URL, secret) {
			t.Errorf("%s: the cause is lost or carries the key: %#v", c.name, ue)
		}
		wrapped := hosts.RedactError(fmt.Errorf("ImgBB upload: %w", c.err), secret)
		if s := wrapped.Error(); !strings.Contains(s, c.want) || strings.Contains(s, secret) || strings.Contains(s, "dial tcp") {
			t.Errorf("%s wrapped: %q", c.name, s)
		}
	}
}
