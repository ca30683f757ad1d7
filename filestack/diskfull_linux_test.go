package filestack

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// smallDisk mounts a 64 MiB tmpfs for the test's data directory, or skips
// the test where that is not possible (not root, no tmpfs, a container
// without mount rights).
func smallDisk(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a 64 MiB tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64m,mode=0700"); err != nil {
		t.Skipf("cannot mount a 64 MiB tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// The repro on a real full disk: a 5 × 20 MiB upload to a server
// whose data lives on 64 MiB. The parts that do not fit are answered 507
// with "the server's disk is full" (not 400 IncompleteBody), the client
// retries after its longest backoff and then gives up with that message.
// The abandoned upload holds its parts; a later store expires it (once
// idle for a minute) to make room, instead of failing for a day.
func TestFullDiskOnASmallFileSystem(t *testing.T) {
	data := smallDisk(t)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, emulator.Options{DataDir: data, Now: clock},
		Config{PartSize: 20 << 20, PartConcurrency: 1, Retry: RetryPolicy{Attempts: 2, Base: time.Millisecond, Max: 20 * time.Millisecond}})
	path, _ := randomFile(t, 100<<20)
	var log retryLog
	_, err := e.c.Upload(WithRetryObserver(context.Background(), log.add), path, UploadOptions{})
	if !IsInsufficientStorage(err) || !strings.Contains(err.Error(), "the server's disk is full") {
		t.Fatalf("upload of 100 MiB to 64 MiB: %v", err)
	}
	rs := log.list()
	if len(rs) == 0 || !strings.Contains(rs[0].Err.Error(), "disk is full") || rs[0].Wait != 20*time.Millisecond {
		t.Fatalf("retries: %+v", rs)
	}
	bigID := ""
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "put" && r.Status == 400 {
			t.Fatalf("a part was answered 400 (blaming the client): %+v", r)
		}
		if r.Endpoint == "put" && bigID == "" {
			bigID = strings.Split(r.Path, "/")[2] // /s3/ID/PART
		}
	}
	bigSession := filepath.Join(data, "sessions", bigID)
	if _, err := os.Stat(bigSession); err != nil {
		t.Fatalf("the abandoned upload's session: %v", err)
	}

	small, smallData := randomFile(t, 20<<20)
	if _, err := e.c.Upload(context.Background(), small, UploadOptions{}); !IsInsufficientStorage(err) {
		t.Fatalf("within a minute the abandoned upload is kept, so there is no room: %v", err)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	f, err := e.c.Upload(context.Background(), small, UploadOptions{})
	if err != nil {
		t.Fatalf("after a minute idle the abandoned upload makes room: %v", err)
	}
	if !bytes.Equal(e.download(f.Handle), smallData) {
		t.Fatal("bytes differ")
	}
	if _, err := os.Stat(bigSession); err == nil {
		t.Fatal("the abandoned upload was not expired to make room")
	}
}
