package transfer_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// TestConcurrencyLimits: no more files run at once than FileConcurrency,
// and no upload has more parts in flight than PartConcurrency.
func TestConcurrencyLimits(t *testing.T) {
	e := newEnv(t, "put:latency=100ms")
	dir := t.TempDir()
	var paths []string
	for _, n := range []string{"a", "b", "c"} {
		p, _ := writeFile(t, dir, n, 2*partSize+1)
		paths = append(paths, p)
	}
	eng := e.engine(transfer.Options{FileConcurrency: 2, PartConcurrency: 2})
	if _, err := eng.AddUploads("three", transfer.Expand(paths, dir, "")); err != nil {
		t.Fatal(err)
	}
	maxRunning := 0
	s := waitFor(t, eng, "uploads", allFinished, func(s transfer.Snapshot) {
		maxRunning = max(maxRunning, s.Total.Running)
	})
	if s.Total.Done != 3 {
		t.Fatalf("totals %+v", s.Total)
	}
	if maxRunning > 2 {
		t.Errorf("%d files ran at once, limit 2", maxRunning)
	}
	e.count.mu.Lock()
	defer e.count.mu.Unlock()
	if e.count.maxPut > 4 {
		t.Errorf("%d part PUTs at once, limit 2 files × 2 parts", e.count.maxPut)
	}
	most := 0
	for id, n := range e.count.maxPerUpload {
		if n > 2 {
			t.Errorf("upload %s had %d parts in flight, limit 2", id, n)
		}
		most = max(most, n)
	}
	if most < 2 {
		t.Errorf("no upload ever sent 2 parts at once: part concurrency unused")
	}
}

// putParts lists the part numbers the server stored since the last reset.
func putParts(e *env) []int {
	var out []int
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "put" && r.Status == 200 {
			n, _ := strconv.Atoi(r.Part)
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// doneParts lists the 1-based numbers of a job's acknowledged parts.
func doneParts(j transfer.JobSnapshot) []int {
	var out []int
	for i, p := range j.Parts {
		if p == transfer.PartDone {
			out = append(out, i+1)
		}
	}
	return out
}

// TestPauseResumeSendsOnlyMissingParts pauses an upload after its first
// part and resumes it: parts on the server show as done at once and are
// not sent again.
func TestPauseResumeSendsOnlyMissingParts(t *testing.T) {
	e := newEnv(t, holdPart2)
	p, data := writeFile(t, t.TempDir(), "four.bin", 4*partSize)
	eng := e.engine(transfer.Options{PartConcurrency: 1})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
		t.Fatal(err)
	}
	check := neverAheadOfServer(t, e)
	s := waitFor(t, eng, "a part", func(s transfer.Snapshot) bool { return s.Jobs[0].Acked >= partSize }, check)
	id := s.Jobs[0].ID
	if err := eng.Pause(id); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "pause", func(s transfer.Snapshot) bool { return s.Jobs[0].State == transfer.Paused }, check)
	had := doneParts(s.Jobs[0])
	if !slices.Equal(had, []int{1}) {
		t.Fatalf("paused with parts %v done; want [1]", had)
	}
	e.emu.SetFaults()
	e.emu.ResetRequests()
	if err := eng.Resume(id); err != nil {
		t.Fatal(err)
	}
	if s = eng.Snapshot(); !slices.Equal(doneParts(s.Jobs[0]), had) || s.Jobs[0].Acked != int64(len(had))*partSize {
		t.Fatalf("resumed job shows parts %v (acked %d), want %v done from the start", doneParts(s.Jobs[0]), s.Jobs[0].Acked, had)
	}
	s = waitFor(t, eng, "upload", allFinished, check)
	j := s.Jobs[0]
	if j.State != transfer.Done || j.Resumed != int64(len(had))*partSize {
		t.Fatalf("job %+v", j)
	}
	sent := putParts(e)
	for _, n := range sent {
		if slices.Contains(had, n) {
			t.Errorf("part %d was on the server but sent again (sent %v, had %v)", n, sent, had)
		}
	}
	if len(sent)+len(had) != 4 {
		t.Errorf("sent %v after resume with %v on the server; want the other parts once each", sent, had)
	}
	if got := e.download(j.Handle); !bytes.Equal(got, data) {
		t.Fatal("uploaded bytes differ")
	}
}

// TestRetryAfterFaultsSendsOnlyFailedParts: a part the server keeps
// rejecting fails the job with the reason, the snapshot claims only the
// parts that were accepted, and Retry sends just the missing part.
func TestRetryAfterFaultsSendsOnlyFailedParts(t *testing.T) {
	e := newEnv(t, "put:part=3,rate=1,status=503")
	p, data := writeFile(t, t.TempDir(), "three.bin", 3*partSize)
	eng := e.engine(transfer.Options{PartConcurrency: 1})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
		t.Fatal(err)
	}
	check := neverAheadOfServer(t, e)
	s := waitFor(t, eng, "failure", allFinished, check)
	j := s.Jobs[0]
	if j.State != transfer.Failed || j.Err == "" || j.Acked != 2*partSize || j.InFlight != 0 || j.Retries == 0 {
		t.Fatalf("failed job: state %v, acked %d, in flight %d, retries %d, err %q", j.State, j.Acked, j.InFlight, j.Retries, j.Err)
	}
	if s.Total.Failed != 1 || s.Total.Acked != 2*partSize {
		t.Fatalf("totals %+v", s.Total)
	}
	e.emu.SetFaults()
	e.emu.ResetRequests()
	if err := eng.Retry(j.ID); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "retry", allFinished, check)
	if j = s.Jobs[0]; j.State != transfer.Done || j.Err != "" {
		t.Fatalf("after retry: %+v", j)
	}
	if sent := putParts(e); !slices.Equal(sent, []int{3}) {
		t.Errorf("retry sent parts %v, want only [3]", sent)
	}
	if got := e.download(j.Handle); !bytes.Equal(got, data) {
		t.Fatal("uploaded bytes differ")
	}
}

// TestFailedUploadClaimsNothing: with every part and store rejected, no
// snapshot ever shows acknowledged bytes, and the failed job says why.
func TestFailedUploadClaimsNothing(t *testing.T) {
	e := newEnv(t, "put:rate=1,status=503", "store:rate=1,status=500")
	dir := t.TempDir()
	big, _ := writeFile(t, dir, "big.bin", 2*partSize)
	small, _ := writeFile(t, dir, "small.bin", 1000)
	eng := e.engine(transfer.Options{})
	if _, err := eng.AddUploads("two", transfer.Expand([]string{big, small}, dir, "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "failures", allFinished, func(s transfer.Snapshot) {
		if s.Total.Acked != 0 {
			t.Fatalf("snapshot claims %d bytes acknowledged; the server accepted none", s.Total.Acked)
		}
	})
	if s.Total.Failed != 2 || s.Total.Done != 0 {
		t.Fatalf("totals %+v", s.Total)
	}
	for _, j := range s.Jobs {
		if j.Err == "" || j.Acked != 0 || j.InFlight != 0 {
			t.Errorf("%s: %+v", j.Name, j)
		}
	}
}

// TestCancelUpload: a cancelled upload leaves the journal and records
// nothing; Retry starts it over and it completes.
func TestCancelUpload(t *testing.T) {
	e := newEnv(t, holdPart2)
	p, data := writeFile(t, t.TempDir(), "c.bin", 3*partSize)
	eng := e.engine(transfer.Options{PartConcurrency: 1})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "a part", func(s transfer.Snapshot) bool { return s.Jobs[0].Acked > 0 })
	id := s.Jobs[0].ID
	if err := eng.Cancel(id); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "cancel", allFinished)
	if s.Jobs[0].State != transfer.Cancelled || s.Total.Cancelled != 1 || s.Total.Bytes != 0 {
		t.Fatalf("after cancel: %+v / %+v", s.Jobs[0], s.Total)
	}
	ctx := context.Background()
	if jobs, err := eng.Unfinished(ctx); err != nil || len(jobs) != 0 {
		t.Fatalf("journal after cancel: %v %v", jobs, err)
	}
	if en, _ := e.ledger.List(ctx, testScope); len(en) != 0 {
		t.Fatalf("ledger after cancel: %+v", en)
	}
	e.emu.SetFaults()
	e.emu.ResetRequests()
	if err := eng.Retry(id); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "retry", allFinished)
	if s.Jobs[0].State != transfer.Done || s.Jobs[0].Resumed != 0 {
		t.Fatalf("after retry: %+v", s.Jobs[0])
	}
	if sent := putParts(e); !slices.Equal(sent, []int{1, 2, 3}) {
		t.Errorf("a cancelled upload retried sent %v, want all parts", sent)
	}
	if got := e.download(s.Jobs[0].Handle); !bytes.Equal(got, data) {
		t.Fatal("uploaded bytes differ")
	}
	if n := eng.ClearFinished(); n != 1 || len(eng.Snapshot().Jobs) != 0 || len(eng.Snapshot().Groups) != 0 {
		t.Fatalf("ClearFinished cleared %d, left %+v", n, eng.Snapshot())
	}
	if err := eng.Pause(id); err != transfer.ErrUnknownJob {
		t.Fatalf("pausing a cleared job: %v", err)
	}
}

// TestUnreadableFileIsFailedJob: a path that cannot be read is a failed
// job with the reason, and retrying it after it appears uploads it.
func TestUnreadableFileIsFailedJob(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	missing := dir + "/later.txt"
	eng := e.engine(transfer.Options{})
	files := transfer.Expand([]string{missing}, dir, "")
	if len(files) != 1 || files[0].Err == "" {
		t.Fatalf("expand of a missing file: %+v", files)
	}
	if _, err := eng.AddUploads("one", files); err != nil {
		t.Fatal(err)
	}
	s := eng.Snapshot()
	if s.Jobs[0].State != transfer.Failed || s.Jobs[0].Err != "no longer exists" || s.Total.Failed != 1 {
		t.Fatalf("snapshot %+v", s.Jobs)
	}
	if err := os.WriteFile(missing, []byte("here now"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := eng.Retry(s.Jobs[0].ID); err != nil {
		t.Fatal(err)
	}
	s = waitFor(t, eng, "upload", allFinished)
	if s.Jobs[0].State != transfer.Done || s.Jobs[0].Acked != 8 {
		t.Fatalf("after retry: %+v", s.Jobs[0])
	}
}

// TestCancelWhilePausingWins: cancelling a job that is still winding down
// from a pause cancels it (journal entry dropped), instead of leaving it
// paused.
func TestCancelWhilePausingWins(t *testing.T) {
	e := newEnv(t, holdPart2)
	p, _ := writeFile(t, t.TempDir(), "c.bin", 2*partSize)
	eng := e.engine(transfer.Options{PartConcurrency: 1})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{p}, "", "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "a part", func(s transfer.Snapshot) bool { return s.Jobs[0].Acked > 0 })
	id := s.Jobs[0].ID
	if eng.Pause(id) != nil || eng.Cancel(id) != nil {
		t.Fatal("pause or cancel failed")
	}
	s = waitFor(t, eng, "cancel", allFinished)
	if s.Jobs[0].State != transfer.Cancelled {
		t.Fatalf("job %v after pause then cancel, want cancelled", s.Jobs[0].State)
	}
	if jobs, err := eng.Unfinished(context.Background()); err != nil || len(jobs) != 0 {
		t.Fatalf("journal after cancel: %v %v", jobs, err)
	}
}
