package transfer_test

import (
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
)

// TestFailureKeepsCause: a job failed by the server keeps the typed error
// in its snapshot (a rejected key is IsUnauthorized, for exit statuses
// without matching text), and a retry clears it.
func TestFailureKeepsCause(t *testing.T) {
	e := newEnv(t)
	wrong, err := filestack.New(filestack.Config{APIKey: "WRONGKEYxxxxxxxxxxxxxx", APIBase: e.srv.URL + "/api",
		UploadBase: e.srv.URL, CDNBase: e.srv.URL, PartSize: partSize, SimpleMax: 1 << 20,
		Retry: filestack.RetryPolicy{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	dir := t.TempDir()
	big, _ := writeFile(t, dir, "big.bin", 2*partSize)
	small, _ := writeFile(t, dir, "small.bin", 1000)
	ts := bookkeeping.For(e.ledger, testScope)
	eng := e.engine(transfer.Options{Target: transfer.Target{Service: fsTarget(wrong), Journal: ts, Ledger: ts}})
	if _, err := eng.AddUploads("two", transfer.Expand([]string{big, small}, dir, "")); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "failures", allFinished)
	for _, j := range s.Jobs {
		if j.State != transfer.Failed || !filestack.IsUnauthorized(j.Cause) {
			t.Errorf("%s: state %v, cause %v (%q)", j.Name, j.State, j.Cause, j.Err)
		}
	}
	if n := eng.RetryGroup(s.Jobs[0].Group); n != 2 {
		t.Fatalf("retried %d", n)
	}
	for _, j := range eng.Snapshot().Jobs {
		if j.State != transfer.Failed && j.Cause != nil {
			t.Errorf("%s is %v again but keeps the cause %v", j.Name, j.State, j.Cause)
		}
	}
}
