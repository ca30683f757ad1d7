package transfer_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// TestFailedUploadKeepsWhatWasAccepted: part 3 of four is always refused
// (503), so the client gives up on it. The failed job keeps the parts the
// server accepted (drawn as done, nothing in flight) and says why it
// failed, including how long the client tried; no snapshot ever claims
// more than the server acknowledged.
func TestFailedUploadKeepsWhatWasAccepted(t *testing.T) {
	e := newEnv(t, "put:part=3,rate=1,status=503")
	p, _ := writeFile(t, t.TempDir(), "four.bin", 4*partSize)
	eng := e.engine(transfer.Options{PartConcurrency: 4})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "failure", allFinished, neverAheadOfServer(t, e))
	j := s.Jobs[0]
	if j.State != transfer.Failed || j.InFlight != 0 || j.Retrying || j.Attempt != 0 {
		t.Fatalf("job %+v", j)
	}
	if j.Acked != e.count.Acked() || j.Acked != int64(len(doneParts(j)))*partSize || slices.Contains(doneParts(j), 3) {
		t.Fatalf("acked %d (parts %v), the server acknowledged %d", j.Acked, doneParts(j), e.count.Acked())
	}
	if !strings.Contains(j.Err, "503") || !strings.Contains(j.Err, "gave up after 8 attempts over") {
		t.Fatalf("the failure does not say why and for how long: %q", j.Err)
	}
	if s.Total.Failed != 1 || s.Total.Acked != j.Acked || s.Total.Bytes != 4*partSize {
		t.Fatalf("totals %+v", s.Total)
	}
}

// TestTotalsCountFiles: transfers of empty files count by files: a
// directory of 300 empty files is one group whose totals say 300 files
// done of 300 (and 0 bytes of 0), next to another group with bytes.
func TestTotalsCountFiles(t *testing.T) {
	e := newEnv(t)
	base := t.TempDir()
	for i := range 300 {
		writeFile(t, base, filepath.Join("empty", fmt.Sprintf("%03d", i)), 0)
	}
	one, _ := writeFile(t, base, "one.bin", 5000)
	eng := e.engine(transfer.Options{FileConcurrency: 8})
	files := transfer.Expand([]string{filepath.Join(base, "empty")}, base, "")
	if m := transfer.Measure(files); m.Files != 300 || m.Bytes != 0 || m.Unreadable != 0 {
		t.Fatalf("measure %+v", m)
	}
	g, err := eng.AddUploads("empty", files)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.AddUploads("one", transfer.Expand([]string{one}, base, "")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, eng, "uploads", allFinished)
	s := eng.Summary()
	if s.Jobs != nil || len(s.Groups) != 2 || s.Groups[0].ID != g {
		t.Fatalf("summary copies jobs or lacks groups: %d jobs, groups %+v", len(s.Jobs), s.Groups)
	}
	if gt := s.Groups[0].Totals; gt.Files != 300 || gt.Done != 300 || gt.Failed != 0 || gt.Bytes != 0 {
		t.Fatalf("group totals %+v", gt)
	}
	if tt := s.Total; tt.Files != 301 || tt.Done != 301 || tt.Bytes != 5000 || tt.Acked != 5000 {
		t.Fatalf("totals %+v", tt)
	}
	if js := eng.GroupJobs(g); len(js) != 300 || js[0].Group != g || js[299].State != transfer.Done {
		t.Fatalf("group jobs: %d", len(js))
	}
	if js := eng.GroupJobs(99); js != nil {
		t.Fatalf("unknown group has %d jobs", len(js))
	}
	full := eng.Snapshot()
	full.Total.Speed, full.Total.ETA, s.Total.Speed, s.Total.ETA = 0, 0, 0, 0 // read at other moments
	if len(full.Jobs) != 301 || full.Total != s.Total {
		t.Fatalf("snapshot %d jobs, totals %+v vs summary %+v", len(full.Jobs), full.Total, s.Total)
	}
}

// TestMeasureBeforeLargeUpload: Measure says how many files and bytes a
// directory holds (and how many cannot be read), for the question a front
// end asks above LargeUpload files.
func TestMeasureBeforeLargeUpload(t *testing.T) {
	base := t.TempDir()
	var want int64
	for i := range transfer.LargeUpload + 1 {
		writeFile(t, base, filepath.Join("d", fmt.Sprintf("%04d", i)), i%7)
		want += int64(i % 7)
	}
	files := transfer.Expand([]string{filepath.Join(base, "d"), filepath.Join(base, "missing")}, base, "")
	m := transfer.Measure(files)
	if m.Files != transfer.LargeUpload+2 || m.Unreadable != 1 || m.Bytes != want {
		t.Fatalf("measure %+v, want %d files, 1 unreadable, %d bytes", m, transfer.LargeUpload+2, want)
	}
}

// TestCancelAllCounts: CancelAll reports how many jobs it cancelled
// (running and queued, not those already done).
func TestCancelAllCounts(t *testing.T) {
	e := newEnv(t, holdPart2)
	dir := t.TempDir()
	var paths []string
	for i := range 5 {
		p, _ := writeFile(t, dir, fmt.Sprintf("%d.bin", i), 2*partSize)
		paths = append(paths, p)
	}
	small, _ := writeFile(t, dir, "small.bin", 10)
	eng := e.engine(transfer.Options{FileConcurrency: 2, PartConcurrency: 1})
	if _, err := eng.AddUploads("small", transfer.Expand([]string{small}, dir, "")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, eng, "small", func(s transfer.Snapshot) bool { return s.Total.Done == 1 })
	if _, err := eng.AddUploads("big", transfer.Expand(paths, dir, "")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, eng, "running", func(s transfer.Snapshot) bool { return s.Total.Running == 2 })
	if n := eng.CancelAll(); n != 5 {
		t.Fatalf("CancelAll cancelled %d, want 5", n)
	}
	s := waitFor(t, eng, "cancelled", allFinished)
	if s.Total.Cancelled != 5 || s.Total.Done != 1 {
		t.Fatalf("totals %+v", s.Total)
	}
	e.emu.SetFaults()
	if n := eng.CancelAll(); n != 0 {
		t.Fatalf("second CancelAll cancelled %d", n)
	}
}
