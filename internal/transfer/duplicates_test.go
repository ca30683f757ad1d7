package transfer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
)

// TestFindDuplicates: after an upload, a copy of the same content at
// another path is found with the earlier upload's handle; other content,
// unreadable files and another endpoint's ledger are not; a cancelled
// context stops the hashing with its error; a ledger without the index
// says so.
func TestFindDuplicates(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	orig, data := writeFile(t, dir, "orig.bin", 3000)
	eng := e.engine(transfer.Options{})
	if _, err := eng.AddUploads("one", transfer.Expand([]string{orig}, dir, "")); err != nil {
		t.Fatal(err)
	}
	handle := waitFor(t, eng, "upload", allFinished).Jobs[0].Handle
	cp := filepath.Join(dir, "copy.bin")
	if err := os.WriteFile(cp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	other, _ := writeFile(t, dir, "other.bin", 3000)
	files := transfer.Expand([]string{other, cp, filepath.Join(dir, "missing")}, dir, "")
	var hashed, total int64
	dups, err := eng.FindDuplicates(context.Background(), files, func(d, n int64) { hashed, total = d, n })
	if err != nil || len(dups) != 1 {
		t.Fatalf("duplicates %+v, %v", dups, err)
	}
	d := dups[0]
	if d.File.Path != cp || len(d.Earlier) != 1 || d.Earlier[0].Handle != handle || d.Earlier[0].LocalPath != orig || len(d.SHA256) != 64 {
		t.Fatalf("duplicate %+v", d)
	}
	if hashed != 6000 || total != 6000 {
		t.Fatalf("progress %d of %d, want 6000 of 6000", hashed, total)
	}

	otherScope := bookkeeping.For(e.ledger, testScopeOther)
	if dups, err := transfer.FindDuplicates(context.Background(), otherScope, files, nil); err != nil || len(dups) != 0 {
		t.Fatalf("another endpoint's ledger finds %+v, %v", dups, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := eng.FindDuplicates(ctx, files, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if _, err := transfer.FindDuplicates(context.Background(), failingStore{Ledger: otherScope}, files, nil); !errors.Is(err, transfer.ErrNoUploadIndex) {
		t.Fatalf("ledger without the index: %v", err)
	}
}
