// Package clitest holds what the command tests in internal/cli (run
// in-process) and internal/e2e (run against the built binary) share: a
// free loopback address, waiting for a listener, `fsdeck serve`'s request
// log read as it is written, strict JSON Lines decoding and a small PNG.
// It is imported by tests only, and imports nothing of fsdeck.
package clitest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// FreeAddr is a loopback address nothing listens on right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// WaitListening waits (15 s at most) until something accepts connections
// on addr.
func WaitListening(t testing.TB, addr string) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			return
		}
	}
	t.Fatalf("nothing listens on %s", addr)
}

// JSONLines decodes a command's JSON Lines output strictly: every line is
// JSON and has every one of fields.
func JSONLines[T any](t testing.TB, out string, fields ...string) []T {
	t.Helper()
	var rs []T
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("not JSON: %q", line)
		}
		for _, k := range fields {
			if _, ok := m[k]; !ok {
				t.Fatalf("field %q missing in %s", k, line)
			}
		}
		var r T
		json.Unmarshal([]byte(line), &r)
		rs = append(rs, r)
	}
	return rs
}

// ResultFields are the fields every --json result line has (README,
// "Scripting").
var ResultFields = []string{"handle", "url", "filename", "size", "type", "path", "status", "error"}

// ServeLog is `fsdeck serve`'s request log, read as it is written.
type ServeLog struct {
	mu    sync.Mutex
	lines []string
}

// Follow reads r (the server's stderr) into the log until it ends.
func (l *ServeLog) Follow(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l.mu.Lock()
		l.lines = append(l.lines, sc.Text())
		l.mu.Unlock()
	}
}

// Lines returns a copy of the log's lines from index from on.
func (l *ServeLog) Lines(from int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines[from:]...)
}

var partPut = regexp.MustCompile(`method=PUT endpoint=\S+ path=/s3/\S+/(\d+) status=(\d+)`)

// StoredParts returns the part numbers PUT with status 200 in log lines
// from index from on, and the count of lines.
func (l *ServeLog) StoredParts(from int) (map[string]int, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	parts := map[string]int{}
	for _, line := range l.lines[from:] {
		if m := partPut.FindStringSubmatch(line); m != nil && m[2] == "200" {
			parts[m[1]]++
		}
	}
	return parts, len(l.lines)
}

// WaitParts waits (30 s at most) until at least n parts are stored.
func (l *ServeLog) WaitParts(t testing.TB, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if p, _ := l.StoredParts(0); len(p) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d parts stored", n)
		}
	}
}

var uploadCall = regexp.MustCompile(`endpoint=upload path=/multipart/upload status=200`)

// WaitAcknowledged waits (30 s at most) until, in log lines from index
// from on, n parts are stored and the client has asked where to send one
// more. With parts sent one at a time, a client asks for the next part
// only after it has read the server's answer for the last one and
// journaled it, so an interrupt after this resends none of the n parts
// (WaitParts alone races that answer: the server logs a part before the
// client has read its reply).
func (l *ServeLog) WaitAcknowledged(t testing.TB, from, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		l.mu.Lock()
		calls := 0
		for _, line := range l.lines[from:] {
			if uploadCall.MatchString(line) {
				calls++
			}
		}
		l.mu.Unlock()
		if p, _ := l.StoredParts(from); len(p) >= n && calls > n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d parts acknowledged", n)
		}
	}
}

// PNG is a small PNG that every image target accepts.
func PNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 5, 4))
	for x := range 5 {
		img.Set(x, x%4, color.RGBA{R: uint8(40 * x), G: 200, B: 9, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
