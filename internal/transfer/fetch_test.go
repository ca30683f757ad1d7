package transfer_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// heldServer serves body at /f: the first half, then (after release is
// closed) the rest; /missing answers 404.
func heldServer(t *testing.T, body []byte) (*httptest.Server, chan struct{}) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/f" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		select {
		case <-release:
			w.Write(body[len(body)/2:])
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	return srv, release
}

func partialFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, transfer.PartialPrefix+"*"))
	return m
}

// A download through a Fetcher runs as a job of the host's target: the
// progress is the bytes written so far, the bytes go to a partial file
// renamed into place at the end under a safe name that never replaces an
// existing file, and the Filestack client is not involved.
func TestFetcherDownloadProgressAndNoOverwrite(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	body := randomBytes(t, "fetch", 200_000)
	srv, release := heldServer(t, body)
	tg, _ := e.hostTarget(newFakeHost(hosts.Capabilities{}))
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cat.png"), []byte("mine"), 0o600)
	from := transfer.URLFetcher{HTTP: srv.Client(), URL: srv.URL + "/f", Service: "Fake"}
	if _, err := eng.AddDownloadsTo(tg, "cat", dir, []transfer.RemoteFile{{Handle: "id1", Filename: "cat.png", Size: 200_000, From: from}}); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "half written", func(s transfer.Snapshot) bool { return len(s.Jobs) == 1 && s.Jobs[0].Acked == 100_000 })
	if j := s.Jobs[0]; j.State != transfer.Running || j.Target != "fake" || j.Dir != transfer.Download {
		t.Fatalf("while running: %+v", j)
	}
	if len(partialFiles(t, dir)) != 1 {
		t.Fatalf("no partial file while running: %v", partialFiles(t, dir))
	}
	close(release)
	s = waitFor(t, eng, "done", allFinished)
	j := s.Jobs[0]
	want := filepath.Join(dir, "cat (1).png")
	if j.State != transfer.Done || j.SavedAs != want || j.Acked != 200_000 {
		t.Fatalf("finished: %+v", j)
	}
	if got, _ := os.ReadFile(want); !bytes.Equal(got, body) {
		t.Fatalf("saved %d bytes, not the served ones", len(got))
	}
	if mine, _ := os.ReadFile(filepath.Join(dir, "cat.png")); string(mine) != "mine" {
		t.Fatalf("the existing file was replaced")
	}
	if p := partialFiles(t, dir); len(p) != 0 {
		t.Fatalf("partial files left: %v", p)
	}
	if n := e.count.Acked(); n != 0 {
		t.Fatalf("the Filestack emulator was used: %d", n)
	}
}

// Cancelling a fetch removes its partial file; a refused URL fails with
// the service's name and status; a hostile name is made safe.
func TestFetcherDownloadCancelAndFailure(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	srv, _ := heldServer(t, randomBytes(t, "fetch2", 100_000))
	tg, _ := e.hostTarget(newFakeHost(hosts.Capabilities{}))
	dir := t.TempDir()
	files := []transfer.RemoteFile{
		{Handle: "a", Filename: "../\u202egnp.exe", From: transfer.URLFetcher{HTTP: srv.Client(), URL: srv.URL + "/f", Service: "Fake"}},
		{Handle: "b", Filename: "gone.png", From: transfer.URLFetcher{HTTP: srv.Client(), URL: srv.URL + "/missing", Service: "Fake"}},
	}
	if _, err := eng.AddDownloadsTo(tg, "two", dir, files); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "a half written, b failed", func(s transfer.Snapshot) bool {
		return len(s.Jobs) == 2 && s.Jobs[0].Acked == 50_000 && s.Jobs[1].State == transfer.Failed
	})
	if name := s.Jobs[0].Name; strings.ContainsAny(name, "/\u202e") {
		t.Fatalf("unsafe local name %q", name)
	}
	if msg := s.Jobs[1].Err; !strings.Contains(msg, "Fake answered HTTP 404") || strings.Contains(msg, srv.URL) {
		t.Fatalf("failure text: %q", msg)
	}
	if err := eng.Cancel(s.Jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "cancelled", allFinished)
	if s.Jobs[0].State != transfer.Cancelled {
		t.Fatalf("after cancel: %+v", s.Jobs[0])
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("files left after cancel and failure: %v", left)
	}
	// Without a Fetcher a host target has no client to download with.
	if _, err := eng.AddDownloadsTo(tg, "x", dir, []transfer.RemoteFile{{Handle: "c"}}); err != transfer.ErrNoTarget {
		t.Fatalf("no fetcher, no download by id: %v", err)
	}
}

// A paused fetch drops what it wrote (it cannot be continued) and starts
// over on resume, ending with the served bytes exactly.
func TestFetcherPauseResumeStartsOver(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{})
	body := randomBytes(t, "fetch3", 80_000)
	srv, release := heldServer(t, body)
	tg, _ := e.hostTarget(newFakeHost(hosts.Capabilities{}))
	dir := t.TempDir()
	from := transfer.URLFetcher{HTTP: srv.Client(), URL: srv.URL + "/f", Service: "Fake"}
	if _, err := eng.AddDownloadsTo(tg, "p", dir, []transfer.RemoteFile{{Handle: "p", Filename: "p.bin", From: from}}); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "half written", func(s transfer.Snapshot) bool { return len(s.Jobs) == 1 && s.Jobs[0].Acked == 40_000 })
	if err := eng.Pause(s.Jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, eng, "paused", func(s transfer.Snapshot) bool { return s.Jobs[0].State == transfer.Paused })
	if p := partialFiles(t, dir); len(p) != 0 {
		t.Fatalf("a paused fetch kept its partial file: %v", p)
	}
	close(release)
	if err := eng.Resume(s.Jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "done", allFinished)
	if j := s.Jobs[0]; j.State != transfer.Done || j.Acked != 80_000 {
		t.Fatalf("after resume: %+v", j)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "p.bin")); !bytes.Equal(got, body) {
		t.Fatalf("saved %d bytes, not the served ones", len(got))
	}
}
