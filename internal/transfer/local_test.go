package transfer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// A local copy counts the bytes written as its progress, keeps the
// source's mode, and a cancel mid-copy leaves neither the destination nor
// a hidden partial file.
func TestLocalCopyProgressAndCancel(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	os.WriteFile(filepath.Join(src, "f"), data, 0o604)
	eng := transfer.New(context.Background(), transfer.Options{})
	defer eng.Shutdown(time.Second)
	item := transfer.LocalItem{Src: filepath.Join(src, "f"), Dst: filepath.Join(dst, "f"), Name: "f", Size: int64(len(data)), Mode: 0o604}
	if _, err := eng.AddLocal("copy", false, []transfer.LocalItem{item}); err != nil {
		t.Fatal(err)
	}
	j := waitLocal(t, eng)
	if j.State != transfer.Done || j.Acked != int64(len(data)) || j.Dir != transfer.Copy || j.SavedAs != item.Dst {
		t.Fatalf("%+v", j)
	}
	if fi, err := os.Stat(item.Dst); err != nil || fi.Mode().Perm() != 0o604 {
		t.Fatalf("copy: %v %v", fi, err)
	}

	// A 64 MiB copy cancelled as soon as it is queued (it starts at once).
	fifo := filepath.Join(src, "big")
	os.WriteFile(fifo, nil, 0o600)
	f, _ := os.OpenFile(fifo, os.O_WRONLY, 0)
	for i := 0; i < 64; i++ {
		f.Write(data)
	}
	f.Close()
	g, _ := eng.AddLocal("copy", false, []transfer.LocalItem{{Src: fifo, Dst: filepath.Join(dst, "big"), Name: "big", Size: 64 << 20, Mode: 0o600}})
	eng.CancelGroup(g)
	j = waitLocal(t, eng)
	if j.State != transfer.Cancelled {
		t.Fatalf("%+v", j)
	}
	ents, _ := os.ReadDir(dst)
	if len(ents) != 1 {
		t.Fatalf("left behind: %v", ents)
	}
}

// waitLocal waits until nothing runs and returns the newest job.
func waitLocal(t *testing.T, eng *transfer.Engine) transfer.JobSnapshot {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		s := eng.Snapshot()
		if s.Total.Running+s.Total.Queued == 0 && len(s.Jobs) > 0 {
			return s.Jobs[len(s.Jobs)-1]
		}
	}
	t.Fatal("local job did not finish")
	return transfer.JobSnapshot{}
}

// Local copies run in a lane of their own: an upload queued behind a
// copy of 1,000 files starts at once and finishes before it.
func TestLocalCopiesDoNotHoldUpUploads(t *testing.T) {
	e := newEnv(t)
	eng := e.engine(transfer.Options{FileConcurrency: 1})
	src, dst := t.TempDir(), t.TempDir()
	var items []transfer.LocalItem
	for i := 0; i < 1000; i++ {
		name := "f" + strconv.Itoa(i)
		os.WriteFile(filepath.Join(src, name), []byte(name), 0o600)
		items = append(items, transfer.LocalItem{Src: filepath.Join(src, name), Dst: filepath.Join(dst, name), Name: name, Size: int64(len(name)), Mode: 0o600})
	}
	if _, err := eng.AddLocal("copy", false, items); err != nil {
		t.Fatal(err)
	}
	path, _ := writeFile(t, t.TempDir(), "up.bin", 1000)
	if _, err := eng.AddUploads("up", transfer.Expand([]string{path}, filepath.Dir(path), "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "the upload done", func(s transfer.Snapshot) bool {
		return jobByName(t, s, "up.bin").State == transfer.Done
	})
	if s.Groups[0].Totals.Done == 1000 {
		t.Fatal("the upload waited for the whole copy")
	}
	waitFor(t, eng, "the copy done", allFinished)
}
