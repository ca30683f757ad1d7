package transfer_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// Intelligent ingestion through the engine: the ledger's SHA-256 is the
// file's, for a fresh upload and for one resumed by a new engine after a
// stop (the client completes it from the parts it re-reads to check).
func TestLedgerSHA256OfIntelligentUploads(t *testing.T) {
	e := newEnv(t, holdPart2)
	e.intelligent = true
	dir := t.TempDir()
	p, data := writeFile(t, dir, "ii.bin", 3<<20*8+12345) // 4 parts of 8 MiB
	stopAfterFirstPart(t, e, p)
	fresh, fdata := writeFile(t, dir, "fresh.bin", 2<<20*8+777)
	eng := e.engine(transfer.Options{})
	ctx := context.Background()
	jobs, err := eng.Unfinished(ctx)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("journal: %+v, %v", jobs, err)
	}
	if _, err := eng.ResumeJobs("earlier", jobs); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.AddUploads("fresh", uploadFiles(t, fresh)); err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, eng, "uploads", allFinished)
	want := map[string][]byte{"ii.bin": data, "fresh.bin": fdata}
	for _, j := range s.Jobs {
		if j.State != transfer.Done || j.Restarted != "" {
			t.Fatalf("job %+v", j)
		}
		if !bytes.Equal(e.download(j.Handle), want[j.Name]) {
			t.Fatalf("%s: bytes differ", j.Name)
		}
		en, err := e.ledger.Get(ctx, testScope, j.Handle)
		if err != nil || en.SHA256 != sha256Hex(want[j.Name]) {
			t.Fatalf("%s: ledger %+v, %v; want SHA-256 %s", j.Name, en, err, sha256Hex(want[j.Name]))
		}
	}
	if len(s.Jobs) != 2 || s.Jobs[0].Resumed == 0 && s.Jobs[1].Resumed == 0 {
		t.Fatalf("jobs %+v: the stopped upload was not resumed", s.Jobs)
	}
}
