package filestack

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/text"
)

// restartable is the emulator on a fixed loopback address whose server can
// go away and come back (same data directory, same address), as local
// mode's server does when the process serving it exits and another takes
// the address over.
type restartable struct {
	t    *testing.T
	addr string
	data string
	wrap func(http.Handler) http.Handler

	mu  sync.Mutex
	srv *http.Server
	emu *emulator.Server
}

func newRestartable(t *testing.T, wrap func(rs *restartable, next http.Handler) http.Handler) *restartable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rs := &restartable{t: t, addr: ln.Addr().String(), data: t.TempDir()}
	rs.wrap = func(h http.Handler) http.Handler { return wrap(rs, h) }
	rs.serve(ln)
	t.Cleanup(rs.stop)
	return rs
}

func (rs *restartable) serve(ln net.Listener) {
	emu, err := emulator.New(emulator.Options{DataDir: rs.data, APIKeys: []string{testKey}, AppSecret: testSecret, MinPartSize: MinPartSize})
	if err != nil {
		rs.t.Fatal(err)
	}
	srv := &http.Server{Handler: rs.wrap(emu)}
	go srv.Serve(ln)
	rs.mu.Lock()
	rs.srv, rs.emu = srv, emu
	rs.mu.Unlock()
}

// stop closes the server and every connection to it, at once.
func (rs *restartable) stop() {
	rs.mu.Lock()
	srv, emu := rs.srv, rs.emu
	rs.srv, rs.emu = nil, nil
	rs.mu.Unlock()
	if srv != nil {
		srv.Close()
		emu.Close()
	}
}

// restart stops the server and, after a while with nothing listening,
// serves the same data at the same address again.
func (rs *restartable) restart(gap time.Duration) {
	rs.stop()
	time.Sleep(gap)
	ln, err := net.Listen("tcp", rs.addr)
	if err != nil {
		rs.t.Errorf("listening again on %s: %v", rs.addr, err)
		return
	}
	rs.serve(ln)
}

// firstPut runs fn once, for the first part PUT, after some of its body
// arrived; every other request goes to next.
func firstPut(fn func(rs *restartable, w http.ResponseWriter, r *http.Request)) func(*restartable, http.Handler) http.Handler {
	var once sync.Once
	return func(rs *restartable, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hit := false
			if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/s3/") {
				once.Do(func() { hit = true })
			}
			if !hit {
				next.ServeHTTP(w, r)
				return
			}
			io.CopyN(io.Discard, r.Body, 64<<10)
			fn(rs, w, r)
		})
	}
}

// TestServerGoneMidPart: the server goes away while a part is arriving.
// The part's failure says the connection was lost and is retried, and
// once the server is back at its address the upload ends byte-exact. A
// server dying after it answered the part without its ETag (the answer
// the issue saw) is retried too, and never blamed on a bucket's CORS
// settings, a browser matter.
func TestServerGoneMidPart(t *testing.T) {
	for _, tc := range []struct {
		name string
		kill func(rs *restartable, w http.ResponseWriter, r *http.Request)
		want string
	}{
		{"killed", func(rs *restartable, w http.ResponseWriter, r *http.Request) {
			go rs.restart(300 * time.Millisecond)
			<-r.Context().Done() // the connection is closed under this request
			panic(http.ErrAbortHandler)
		}, "connection lost"},
		{"answered without an ETag, then gone", func(rs *restartable, w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			// A complete answer (no body, so the restart cannot cut it
			// short), sent before the server goes: only the ETag is missing.
			w.Header().Set("Connection", "close")
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			go rs.restart(300 * time.Millisecond)
		}, "without the part's ETag"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := newRestartable(t, firstPut(tc.kill))
			base := "http://" + rs.addr
			c, err := New(Config{APIKey: testKey, APIBase: base + "/api", UploadBase: base, CDNBase: base, PartConcurrency: 2, Describe: text.Describe,
				Retry: RetryPolicy{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			p, want := randomFile(t, 3*MinPartSize+1234)
			var mu sync.Mutex
			var retries []string
			f, err := c.Upload(context.Background(), p, UploadOptions{Progress: func(e Event) {
				if e.Kind == EventRetry {
					mu.Lock()
					retries = append(retries, e.Err.Error())
					mu.Unlock()
				}
			}})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Fatalf("upload failed: %v (retries %q)", err, retries)
			}
			said := false
			for _, r := range retries {
				said = said || strings.Contains(r, tc.want)
				if strings.Contains(r, "CORS") || strings.Contains(r, "tcp ") {
					t.Errorf("retry reason %q", r)
				}
			}
			if !said {
				t.Fatalf("retries %q, want one to say %q", retries, tc.want)
			}
			var buf bytes.Buffer
			if _, err := c.Download(context.Background(), f.Handle, &buf, DownloadOptions{}); err != nil || !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("stored bytes differ (%v)", err)
			}
		})
	}
}
