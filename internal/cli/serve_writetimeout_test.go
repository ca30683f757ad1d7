package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// --write-timeout reaches the server: a client that asks for a large
// file and reads nothing has its response cut (logged as the handler
// returns) within the timeout, not whenever it likes.
func TestServeWriteTimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runStd(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--apikey", serveKey, "--write-timeout", "200ms"}, nil, out, logs)
	}()
	defer func() { cancel(); <-done }()
	re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	res, err := http.Post(base+"/api/store/S3?key="+serveKey, "application/octet-stream", bytes.NewReader(make([]byte, 10_000_000)))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("store: %v %v", err, res)
	}
	var stored struct{ URL string }
	json.NewDecoder(res.Body).Decode(&stored)
	res.Body.Close()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.(*net.TCPConn).SetReadBuffer(8 << 10)
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", strings.TrimPrefix(stored.URL, base))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs.String(), "endpoint=cdn") {
			return
		}
	}
	t.Fatalf("the response to a client that reads nothing was not cut:\n%s", logs.String())
}
