package filestack

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// Cancelling mid-part stops everything: Upload returns, no event arrives
// after that, and no goroutine is left behind.
func TestCancelMidPart(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Latency: 50 * time.Millisecond}}}, Config{PartSize: MinPartSize})
	path, _ := randomFile(t, 6*int(MinPartSize))
	ctx, cancel := context.WithCancel(context.Background())
	var returned atomic.Bool
	var late atomic.Int32
	var once sync.Once
	progress := func(ev Event) {
		if returned.Load() {
			late.Add(1)
		}
		if ev.Kind == EventProgress && ev.Sent > 0 {
			once.Do(cancel)
		}
	}
	_, err := e.c.Upload(ctx, path, UploadOptions{ForceMultipart: true, Progress: progress})
	returned.Store(true)
	if err == nil || !IsCancelled(err) {
		t.Fatalf("want a cancellation error, got %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if late.Load() != 0 {
		t.Fatalf("%d events after Upload returned", late.Load())
	}
	e.c.Close()
	e.srv.Close()
	e.emu.Close()
	goleak.VerifyNone(t, ignore)
}

// Resuming a cancelled upload sends only the parts the server lacks: the
// emulator's request log shows no PUT for a part that was done.
func TestResumeSendsOnlyMissingParts(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 1})
	path, data := randomFile(t, 4*int(MinPartSize)+123)
	ctx, cancel := context.WithCancel(context.Background())
	var saved Session
	var mu sync.Mutex
	_, err := e.c.Upload(ctx, path, UploadOptions{ForceMultipart: true, OnSession: func(s Session) {
		mu.Lock()
		saved = s
		mu.Unlock()
		if len(s.Parts) == 2 {
			cancel()
		}
	}})
	if err == nil {
		t.Fatal("upload was not cancelled")
	}
	// The session is what a journal would persist: round-trip it as JSON.
	b, _ := json.Marshal(saved)
	var sess Session
	json.Unmarshal(b, &sess)
	if len(sess.Parts) != 2 {
		t.Fatalf("saved session has %d parts", len(sess.Parts))
	}
	done := map[string]bool{}
	for _, p := range sess.Parts {
		done[strconv.Itoa(p.Number)] = true
	}
	e.emu.ResetRequests()
	var ev events
	f, err := e.c.Resume(context.Background(), path, sess, UploadOptions{Progress: ev.add})
	if err != nil {
		t.Fatal(err)
	}
	if countEndpoint(e, "start") != 0 {
		t.Fatal("resume started a new upload")
	}
	sent := puts(e)
	if len(sent) != 3 {
		t.Fatalf("resume sent %d parts, want the 3 missing", len(sent))
	}
	for _, p := range sent {
		if done[p.Part] {
			t.Fatalf("part %s was sent again", p.Part)
		}
	}
	if !bytes.Equal(e.download(f.Handle), data) {
		t.Fatal("bytes differ")
	}
	checkProgress(t, ev.list(), int64(len(data)))
	if first := ev.list()[0]; first.Sent != 2*MinPartSize {
		t.Fatalf("resume should start at the bytes already sent, got %d", first.Sent)
	}
}

// A changed file or an unknown session falls back to a fresh upload,
// saying why.
func TestResumeFallsBack(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 1})
	path, data := randomFile(t, 2*int(MinPartSize)+5)
	ctx, cancel := context.WithCancel(context.Background())
	var sess Session
	e.c.Upload(ctx, path, UploadOptions{ForceMultipart: true, OnSession: func(s Session) {
		sess = s
		if len(s.Parts) == 1 {
			cancel()
		}
	}})
	reason := func(s Session) string {
		var ev events
		f, err := e.c.Resume(context.Background(), path, s, UploadOptions{Progress: ev.add})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(e.download(f.Handle), got) {
			t.Fatal("bytes differ")
		}
		for _, x := range ev.list() {
			if x.Kind == EventRestarted {
				return x.Reason
			}
		}
		return ""
	}
	gone := sess
	gone.UploadID = "NoSuchUploadIdNoSuchUploadId0000"
	if r := reason(gone); r == "" || !bytes.Contains([]byte(r), []byte("no longer accepts")) {
		t.Fatalf("unknown session: reason %q", r)
	}
	data[10] ^= 0xff
	os.WriteFile(path, data, 0o600)
	os.Chtimes(path, sess.ModTime, sess.ModTime) // same size and mtime: only the hash tells
	if r := reason(sess); r == "" || !bytes.Contains([]byte(r), []byte("part 1 of the file changed")) {
		t.Fatalf("changed content: reason %q", r)
	}
	os.WriteFile(path, append(data, 'x'), 0o600)
	if r := reason(sess); r == "" || !bytes.Contains([]byte(r), []byte("size or modification time")) {
		t.Fatalf("changed size: reason %q", r)
	}
}

// A resume with many sent parts checks them a batch at a time (md5-simd's
// lanes); a change in one part in the middle of a batch is still found and
// named, and an unchanged file resumes sending only the missing part.
func TestResumeChecksEverySentPart(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{PartSize: MinPartSize, PartConcurrency: 1})
	const parts = 10
	path, data := randomFile(t, parts*int(MinPartSize)-7)
	ctx, cancel := context.WithCancel(context.Background())
	var sess Session
	e.c.Upload(ctx, path, UploadOptions{ForceMultipart: true, OnSession: func(s Session) {
		sess = s
		if len(s.Parts) == parts-1 {
			cancel()
		}
	}})
	if len(sess.Parts) != parts-1 {
		t.Fatalf("journaled %d parts", len(sess.Parts))
	}
	resume := func() (string, int) {
		e.emu.ResetRequests()
		var ev events
		f, err := e.c.Resume(context.Background(), path, sess, UploadOptions{Progress: ev.add})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if !bytes.Equal(e.download(f.Handle), got) {
			t.Fatal("bytes differ")
		}
		for _, x := range ev.list() {
			if x.Kind == EventRestarted {
				return x.Reason, len(puts(e))
			}
		}
		return "", len(puts(e))
	}
	changed := append([]byte(nil), data...)
	changed[6*int(MinPartSize)+100] ^= 0xff // part 7
	os.WriteFile(path, changed, 0o600)
	os.Chtimes(path, sess.ModTime, sess.ModTime)
	if r, n := resume(); !strings.Contains(r, "part 7 of the file changed") || n != parts {
		t.Fatalf("changed part 7: reason %q, %d parts sent", r, n)
	}
	os.WriteFile(path, data, 0o600)
	os.Chtimes(path, sess.ModTime, sess.ModTime)
	if r, n := resume(); r != "" || n != 1 {
		t.Fatalf("unchanged file: reason %q, %d parts sent (want the 1 missing)", r, n)
	}
}
