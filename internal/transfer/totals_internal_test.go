package transfer

import (
	"testing"
	"time"
)

// A file refused before a byte was sent (failed, never started, or
// started again by a retry and refused again) counts as a failed file but
// not in the bytes to send; one that failed after some of it was accepted
// keeps its size, as its bar shows what was accepted of it.
func TestTotalsLeaveOutRefusedBytes(t *testing.T) {
	var tot Totals
	for _, j := range []JobSnapshot{
		{State: Done, Size: 10 << 10, Acked: 10 << 10},
		{State: Failed, Size: 1 << 10, Err: "imgbb: accepts images only"},
		{State: Failed, Size: 4 << 10, Acked: 1 << 10, Started: time.Unix(1, 0)},
		{State: Failed, Size: 8 << 10, Started: time.Unix(2, 0), Err: "imgbb: accepts images only"},
	} {
		tot.count(&j)
	}
	if tot.Files != 4 || tot.Failed != 3 || tot.Bytes != 14<<10 || tot.Acked != 11<<10 {
		t.Fatalf("totals %+v", tot)
	}
}
