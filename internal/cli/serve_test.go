package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const serveKey = "SERVEKEYxxxxxxxxxxxxxx"

// startServe runs `fsdeck serve` on a free loopback port and returns its
// base URL, the cancel that stands for SIGTERM, and where run's error lands.
func startServe(t *testing.T) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	out := &lockedBuffer{}
	done := make(chan error, 1)
	data := t.TempDir()
	go func() {
		done <- runStd(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--apikey", serveKey, "--quiet"}, nil, out, io.Discard)
	}()
	re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], cancel, done
		}
	}
	t.Fatalf("no banner: %q", out.String())
	return "", nil, nil
}

// stopsWithin cancels (SIGTERM) and wants run to end cleanly within limit.
func stopsWithin(t *testing.T, cancel context.CancelFunc, done <-chan error, limit time.Duration) {
	t.Helper()
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v after %v, want a clean exit", err, time.Since(start))
		}
		if took := time.Since(start); took > limit {
			t.Fatalf("serve took %v to stop, want under %v", took, limit)
		}
	case <-time.After(limit + 10*time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeStopsPromptlyWithConnectionsButNoRequest: connections that
// never sent a whole request (one opened, one with half a header) do not
// hold the exit, which is clean.
func TestServeStopsPromptlyWithConnectionsButNoRequest(t *testing.T) {
	base, cancel, done := startServe(t)
	addr := strings.TrimPrefix(base, "http://")
	for _, send := range []string{"", "GET /x HTTP/1.1\r\nHost: x\r\n"} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, send)
	}
	time.Sleep(100 * time.Millisecond)
	stopsWithin(t, cancel, done, time.Second)
}

// TestServeIdleStopsPromptly: with nothing in flight, serve exits at once.
func TestServeIdleStopsPromptly(t *testing.T) {
	base, cancel, done := startServe(t)
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	stopsWithin(t, cancel, done, time.Second)
}

// TestServeStopStopsProcessing: SIGTERM during a long transformation stops
// it promptly and serve exits cleanly.
func TestServeStopStopsProcessing(t *testing.T) {
	base, cancel, done := startServe(t)
	img := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 131 % 251)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	res, err := http.Post(base+"/api/store/S3?key="+serveKey, "image/png", &buf)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("store: %v %v", err, res)
	}
	var m struct{ URL string }
	json.NewDecoder(res.Body).Decode(&m)
	res.Body.Close()
	handle := m.URL[strings.LastIndex(m.URL, "/")+1:]
	chain := strings.Repeat("sharpen=amount:20/", 300)
	go func() {
		if res, err := http.Get(fmt.Sprintf("%s/%s/%s%s", base, serveKey, chain, handle)); err == nil {
			res.Body.Close()
		}
	}()
	time.Sleep(500 * time.Millisecond) // the chain is running (it takes many seconds)
	stopsWithin(t, cancel, done, 3*time.Second)
}

// serve on an address something already listens on says so in words and
// names --addr, not a bare "bind: address already in use".
func TestServeAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := newCLI(t)
	_, errOut, code := c.run("", "serve", "--quiet", "--addr", ln.Addr().String())
	if code == 0 || !strings.Contains(errOut, "something already serves there") || !strings.Contains(errOut, "--addr") {
		t.Fatalf("serve on a busy address: %d %q", code, errOut)
	}
}
