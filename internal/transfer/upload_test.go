package transfer_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
)

// TestUploadFilesAndDirectory uploads a file and a directory tree: every
// file arrives byte-exact, is recorded in the ledger with its store path
// and its content's SHA-256 (multipart and simple store alike),
// leaves the journal, and the totals count files and bytes.
func TestUploadFilesAndDirectory(t *testing.T) {
	e := newEnv(t)
	base := t.TempDir()
	want := map[string][]byte{}
	single, b := writeFile(t, base, "big.bin", 2*partSize+123)
	want["big.bin"] = b
	for name, n := range map[string]int{"tree/a.txt": 10, "tree/sub/b.bin": 300 << 10, "tree/sub/empty": 0} {
		_, b := writeFile(t, base, name, n)
		want[name] = b
	}
	files := transfer.Expand([]string{single, filepath.Join(base, "tree")}, base, "")
	if len(files) != 4 {
		t.Fatalf("expanded to %d files: %+v", len(files), files)
	}
	eng := e.engine(transfer.Options{})
	g, err := eng.AddUploads("batch", files)
	if err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "uploads", allFinished)
	if s.Total.Done != 4 || s.Total.Files != 4 || s.Total.Failed != 0 {
		t.Fatalf("totals %+v", s.Total)
	}
	var size int64
	for _, b := range want {
		size += int64(len(b))
	}
	if s.Total.Bytes != size || s.Total.Acked != size || s.Total.InFlight != 0 {
		t.Fatalf("bytes %d acked %d in flight %d, want %d", s.Total.Bytes, s.Total.Acked, s.Total.InFlight, size)
	}
	if len(s.Groups) != 1 || s.Groups[0].ID != g || s.Groups[0].Totals.Done != 4 {
		t.Fatalf("groups %+v", s.Groups)
	}
	entries, err := e.ledger.List(context.Background(), testScope)
	if err != nil || len(entries) != 4 {
		t.Fatalf("ledger has %d entries (%v)", len(entries), err)
	}
	for _, en := range entries {
		key := en.StorePath
		if key == "" {
			key = en.Filename
		}
		if got := e.download(en.Handle); !bytes.Equal(got, want[key]) {
			t.Errorf("%s: %d bytes differ from the %d sent", key, len(got), len(want[key]))
		}
		if en.SHA256 != sha256Hex(want[key]) || en.LocalPath == "" {
			t.Errorf("%s: ledger has hash %q (want the content's SHA-256 %s) and local path %q", key, en.SHA256, sha256Hex(want[key]), en.LocalPath)
		}
	}
	for _, j := range s.Jobs {
		if j.Handle == "" || j.State != transfer.Done {
			t.Errorf("job %s: %+v", j.Name, j)
		}
	}
	big := jobByName(t, s, "big.bin")
	if len(big.Parts) != 3 {
		t.Fatalf("big.bin has %d parts, want 3", len(big.Parts))
	}
	if jobs, _ := bookkeeping.For(e.ledger, testScope).Jobs(context.Background()); len(jobs) != 0 {
		t.Fatalf("journal still holds %d jobs", len(jobs))
	}
}

// TestUnderFaultsNeverAheadOfServer uploads a directory while the server
// drops part uploads, rejects upload calls and keeps answering complete
// with 202: every file arrives byte-exact, and no snapshot taken during the
// run claims more bytes than the server had acknowledged.
func TestUnderFaultsNeverAheadOfServer(t *testing.T) {
	e := newEnv(t, "put:rate=0.1,drop,seed=7", "upload:rate=0.1,status=503,seed=8", "complete:accepted=2")
	base := t.TempDir()
	want := map[string][]byte{}
	for i, n := range []int{2*partSize + 7, partSize + 1, 3000, 0, 700 << 10} {
		name := filepath.Join("dir", string(rune('a'+i))+".bin")
		_, b := writeFile(t, base, name, n)
		want[filepath.ToSlash(name)] = b
	}
	eng := e.engine(transfer.Options{FileConcurrency: 3, PartConcurrency: 3})
	if _, err := eng.AddUploads("dir", transfer.Expand([]string{filepath.Join(base, "dir")}, base, "")); err != nil {
		t.Fatal(err)
	}
	snaps := 0
	check := neverAheadOfServer(t, e)
	s := waitFor(t, eng, "uploads", allFinished, func(s transfer.Snapshot) { snaps++; check(s) })
	if s.Total.Done != len(want) {
		for _, j := range s.Jobs {
			t.Logf("%s: %v %s", j.Name, j.State, j.Err)
		}
		t.Fatalf("totals %+v", s.Total)
	}
	retries := 0
	for _, j := range s.Jobs {
		retries += j.Retries
		if got := e.download(j.Handle); !bytes.Equal(got, want[j.Name]) {
			t.Errorf("%s: bytes differ", j.Name)
		}
	}
	if retries == 0 {
		t.Error("no retries reported: the faults did not bite")
	}
	t.Logf("%d snapshots checked, %d retries", snaps, retries)
}
