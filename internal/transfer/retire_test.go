package transfer_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// TakeFinished hands over each ended job once and forgets it: the engine
// lists only the jobs still to run, while the totals (the group's and the
// whole's) keep counting every file, so a front end reporting as jobs
// end holds no more than the jobs in flight.
func TestTakeFinishedForgetsEndedJobsKeepsTotals(t *testing.T) {
	e := newEnv(t)
	base := t.TempDir()
	var size int64
	for i := range 12 {
		_, b := writeFile(t, base, fmt.Sprintf("tree/f%02d.txt", i), 100+i)
		size += int64(len(b))
	}
	eng := e.engine(transfer.Options{FileConcurrency: 2})
	g, err := eng.AddUploads("batch", transfer.Expand([]string{filepath.Join(base, "tree")}, base, ""))
	if err != nil {
		t.Fatal(err)
	}
	taken := map[transfer.JobID]transfer.JobSnapshot{}
	deadline := time.Now().Add(30 * time.Second)
	for len(taken) < 12 {
		for _, j := range eng.TakeFinished() {
			if _, twice := taken[j.ID]; twice {
				t.Fatalf("job %d handed over twice", j.ID)
			}
			if j.State != transfer.Done || j.Handle == "" || j.LocalPath == "" {
				t.Fatalf("taken job %+v", j)
			}
			taken[j.ID] = j
		}
		s := eng.Snapshot()
		for _, j := range s.Jobs {
			if _, gone := taken[j.ID]; gone {
				t.Fatalf("job %d still listed after it was taken", j.ID)
			}
		}
		if s.Total.Files != 12 || s.Total.Done < len(taken) || len(s.Groups) != 1 || s.Groups[0].Totals.Files != 12 {
			t.Fatalf("after taking %d: totals %+v, groups %+v", len(taken), s.Total, s.Groups)
		}
		select {
		case <-eng.Wake():
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of 12 jobs ended: %+v", len(taken), eng.Snapshot())
		}
	}
	s := eng.Snapshot()
	if len(s.Jobs) != 0 || s.Total.Done != 12 || s.Total.Acked != size || s.Total.Bytes != size || s.Groups[0].ID != g {
		t.Fatalf("at the end: %d jobs listed, totals %+v", len(s.Jobs), s.Total)
	}
	// The counts agree; speed and ETA are over a time window, so two
	// calls at different moments may differ in them.
	sum := eng.Summary().Total
	sum.Speed, sum.ETA = 0, 0
	snap := s.Total
	snap.Speed, snap.ETA = 0, 0
	if sum != snap {
		t.Fatalf("summary %+v, snapshot %+v", sum, snap)
	}
	if more := eng.TakeFinished(); len(more) != 0 {
		t.Fatalf("taken again: %+v", more)
	}
	if n := eng.ClearFinished(); n != 0 || len(eng.Snapshot().Groups) != 0 || eng.Snapshot().Total.Files != 0 {
		t.Fatalf("clear: %d, %+v", n, eng.Snapshot())
	}
}
