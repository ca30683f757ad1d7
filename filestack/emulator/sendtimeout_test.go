package emulator

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// getWithoutReading opens a connection, asks for path and reads nothing,
// with a small receive buffer so the kernel holds little of the answer.
func getWithoutReading(t *testing.T, addr, path string) *net.TCPConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc := c.(*net.TCPConn)
	tc.SetReadBuffer(8 << 10)
	fmt.Fprintf(tc, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr)
	return tc
}

// cdnGets counts the CDN GETs the server has finished (logged when the
// handler returns).
func cdnGets(s *Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Endpoint == epCDN && r.Method == "GET" {
			n++
		}
	}
	return n
}

// The repro on a real loopback listener: 100 connections ask for
// a 10 MB file and never read. Each response is cut once the client has
// taken nothing for the write idle timeout, so every handler returns and
// the server closes every connection, instead of all of them staying open
// for as long as the clients like.
func TestSlowReadersAreCut(t *testing.T) {
	e := newTEnv(t, Options{WriteIdleTimeout: 300 * time.Millisecond})
	data := make([]byte, 10_000_000)
	rand.Read(data)
	h := e.storeRaw(data, "")
	var closed atomic.Int64
	srv := httptest.NewUnstartedServer(e.s)
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			closed.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	conns := make([]*net.TCPConn, 100)
	for i := range conns {
		conns[i] = getWithoutReading(t, addr, "/"+h)
		defer conns[i].Close()
	}
	deadline := time.Now().Add(20 * time.Second)
	for (cdnGets(e.s) < len(conns) || closed.Load() < int64(len(conns))) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := cdnGets(e.s); n < len(conns) {
		t.Fatalf("%d of %d responses to clients that do not read are still being sent", len(conns)-n, len(conns))
	}
	if n := closed.Load(); n < int64(len(conns)) {
		t.Fatalf("%d of %d connections of clients that do not read are still open", int64(len(conns))-n, len(conns))
	}
	for _, r := range e.s.Requests() {
		if r.Endpoint == epCDN && r.Status != 200 {
			t.Fatalf("logged %+v", r)
		}
	}
}

// A client that reads, with pauses shorter than the idle timeout, gets
// the whole file.
func TestPausingReaderIsNotCut(t *testing.T) {
	e := newTEnv(t, Options{WriteIdleTimeout: time.Second})
	data := make([]byte, 2<<20)
	rand.Read(data)
	h := e.storeRaw(data, "")
	c := getWithoutReading(t, strings.TrimPrefix(e.srv.URL, "http://"), "/"+h)
	defer c.Close()
	c.SetReadBuffer(64 << 10)
	br := bufio.NewReaderSize(c, 4096)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	for {
		time.Sleep(400 * time.Millisecond)
		n, err := io.CopyN(&body, res.Body, 256<<10)
		if err != nil || n == 0 {
			break
		}
	}
	if !bytes.Equal(body.Bytes(), data) {
		t.Fatalf("got %d of %d bytes", body.Len(), len(data))
	}
}

// deadlineWriter records the write deadlines a sendGuard sets.
type deadlineWriter struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// Every chunk gets now+idle, capped by the minimum rate: after the first
// idle period, each minRate bytes taken buy one more second; a client
// below that is refused before the next chunk.
func TestSendGuardDeadlines(t *testing.T) {
	w := &deadlineWriter{ResponseRecorder: httptest.NewRecorder()}
	g := newSendGuard(w, 10*time.Second, 1000)
	before := time.Now()
	if _, err := g.Write(make([]byte, 3*sendChunk+1)); err != nil {
		t.Fatal(err)
	}
	if len(w.deadlines) != 4 {
		t.Fatalf("%d deadlines for 4 chunks", len(w.deadlines))
	}
	if d := w.deadlines[0].Sub(before); d < 10*time.Second || d > 11*time.Second {
		t.Fatalf("first deadline in %v, want the idle time", d)
	}
	// 3 chunks taken over (pretend) 10 minutes is ~650 B/s: too slow.
	g.start = time.Now().Add(-10 * time.Minute)
	if _, err := g.Write([]byte("x")); !errors.Is(err, errSlowReader) {
		t.Fatalf("a client under the minimum rate: %v", err)
	}
}

// Handlers mounted beside the server (the hosting emulators) get the same
// deadlines through GuardSenders.
func TestGuardSendersCutsMountedHandlers(t *testing.T) {
	e := newTEnv(t, Options{WriteIdleTimeout: 300 * time.Millisecond})
	var done atomic.Int64
	big := make([]byte, 10_000_000)
	h := e.s.GuardSenders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer done.Add(1)
		w.Write(big)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for i := 0; i < 10; i++ {
		defer getWithoutReading(t, addr, "/x").Close()
	}
	for deadline := time.Now().Add(20 * time.Second); done.Load() < 10 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if n := done.Load(); n < 10 {
		t.Fatalf("%d of 10 mounted handlers still sending to clients that do not read", 10-n)
	}
}
