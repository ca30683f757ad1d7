package filestack

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// retryLog collects the retries WithRetryObserver reports.
type retryLog struct {
	mu sync.Mutex
	rs []Retry
}

func (l *retryLog) add(r Retry) { l.mu.Lock(); l.rs = append(l.rs, r); l.mu.Unlock() }
func (l *retryLog) list() []Retry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Retry(nil), l.rs...)
}

// A server whose disk is full (507) is not asked again at once: every
// retry waits the longest backoff, the retry says why, and an intelligent
// ingestion upload does not shrink its chunks for it (a smaller chunk
// fits no better). Once there is room, the upload ends byte-exact.
func TestFullDiskWaitsTheLongestBackoff(t *testing.T) {
	for _, ii := range []bool{false, true} {
		name := map[bool]string{false: "regular", true: "intelligent"}[ii]
		t.Run(name, func(t *testing.T) {
			const max = 120 * time.Millisecond
			e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Nth: 2, Count: 2, Status: 507}}},
				Config{Retry: RetryPolicy{Base: time.Millisecond, Max: max}})
			n := 3*int(MinPartSize) + 999
			path, data := randomFile(t, n)
			var log retryLog
			var ev events
			ctx := WithRetryObserver(context.Background(), log.add)
			f, err := e.c.Upload(ctx, path, UploadOptions{Progress: ev.add, ForceMultipart: true, Intelligent: ii})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(e.download(f.Handle), data) {
				t.Fatal("bytes differ")
			}
			rs := log.list()
			if len(rs) != 2 {
				t.Fatalf("%d retries, want 2: %+v", len(rs), rs)
			}
			for _, r := range rs {
				if r.Wait != max || !strings.Contains(r.Err.Error(), "507 Insufficient Storage") {
					t.Errorf("retry after a full disk waited %v (want the longest, %v): %v", r.Wait, max, r.Err)
				}
			}
			for _, x := range ev.list() {
				if x.Kind == EventChunkSize {
					t.Errorf("a full disk halved the chunk size: %+v", x)
				}
			}
		})
	}
}

// A full disk that stays full ends the upload, after the policy's attempts,
// with the server's message.
func TestFullDiskGivesUpWithTheServersMessage(t *testing.T) {
	e := newEnv(t, emulator.Options{Faults: []emulator.Fault{{Endpoint: "put", Rate: 1, Status: 507}}},
		Config{Retry: RetryPolicy{Attempts: 3, Base: time.Millisecond, Max: 10 * time.Millisecond}})
	for _, ii := range []bool{false, true} {
		path, _ := randomFile(t, int(MinPartSize)+1)
		_, err := e.c.Upload(context.Background(), path, UploadOptions{ForceMultipart: true, Intelligent: ii})
		if !IsInsufficientStorage(err) || !strings.Contains(err.Error(), "gave up after 3 attempts") {
			t.Fatalf("intelligent=%v: %v", ii, err)
		}
	}
}
