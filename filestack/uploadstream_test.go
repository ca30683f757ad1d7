package filestack

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// onlyReader hides every method but Read (a pipe).
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// UploadStream stores a stream of unknown length in one store request
// sent as it is read (chunked: no Content-Length), sniffing its type, and
// reports the bytes read.
func TestUploadStreamStoresAPipe(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	data := bytes.Repeat([]byte("%PDF-1.4 streamed line\n"), 400_000) // 9 MiB
	var sent int64
	f, err := e.c.UploadStream(context.Background(), onlyReader{bytes.NewReader(data)}, UploadOptions{Filename: "s.pdf",
		Progress: func(ev Event) {
			if ev.Kind == EventProgress {
				sent = ev.Sent
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Size != int64(len(data)) || f.Filename != "s.pdf" || f.Mimetype != "application/pdf" || sent != int64(len(data)) {
		t.Fatalf("file %+v, progress %d", f, sent)
	}
	if got := e.download(f.Handle); !bytes.Equal(got, data) {
		t.Fatal("stored bytes differ")
	}
	var stores int
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "store" {
			stores++
		}
		if strings.HasPrefix(r.Endpoint, "start") || r.Endpoint == "upload" {
			t.Errorf("a multipart call: %+v", r)
		}
	}
	if stores != 1 {
		t.Errorf("%d store requests, want 1", stores)
	}
}

// A stream is sent once: a temporary failure is not retried (the bytes
// read are gone), and a read error of the stream is the error reported.
func TestUploadStreamNeverRetries(t *testing.T) {
	var calls atomic.Int32
	var chunked atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		chunked.Store(r.ContentLength == -1)
		io.Copy(io.Discard, r.Body)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, err := New(Config{APIKey: testKey, APIBase: srv.URL + "/api", UploadBase: srv.URL, CDNBase: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.UploadStream(context.Background(), onlyReader{strings.NewReader(strings.Repeat("x", 100_000))}, UploadOptions{Filename: "x"})
	var fe *Error
	if !errors.As(err, &fe) || fe.Status != http.StatusServiceUnavailable || calls.Load() != 1 || !chunked.Load() {
		t.Fatalf("err %v, %d calls, chunked %v; want one chunked call answered 503", err, calls.Load(), chunked.Load())
	}
	broken := io.MultiReader(strings.NewReader(strings.Repeat("y", 50_000)), iotestErr{})
	if _, err = c.UploadStream(context.Background(), onlyReader{broken}, UploadOptions{Filename: "y"}); err == nil || !strings.Contains(err.Error(), "producer died") {
		t.Fatalf("read error: %v", err)
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("producer died") }
