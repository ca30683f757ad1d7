package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// Every write to a ledger opened read-only for damage is refused with the
// damage and the remedy, not SQLite's bare "attempt to write a readonly
// database".
func TestDamagedLedgerWritesNameTheRemedy(t *testing.T) {
	path := ledgerWith(t, 3000)
	info, _ := os.Stat(path)
	overwrite(t, path, info.Size()/2, 3*4096)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	_, jobErr := l.StartJob(ctx, scope, "/tmp/x", 1)
	writes := map[string]error{
		"Add":         l.Add(ctx, scope, Entry{Handle: "NEWNEWNEWNEWNEWNEWNE"}),
		"Remove":      l.Remove(ctx, scope, "H0000000000000000001"),
		"StartJob":    jobErr,
		"AddBookmark": l.AddBookmark(ctx, "/c"),
	}
	for name, err := range writes {
		var de *DamagedError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "fsdeck doctor") || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("%s on a damaged ledger: %v", name, err)
		}
	}
}

// Damage a read meets after a healthy start is reported as damage with the
// remedy.
func TestReadMeetingDamageNamesTheRemedy(t *testing.T) {
	path := ledgerWith(t, 3000)
	l, err := Open(path)
	if err != nil || l.Damaged() != nil {
		t.Fatalf("%v %v", err, l.Damaged())
	}
	defer l.Close()
	// Fresh connections from here on, so no page cache hides the damage.
	l.db.SetMaxIdleConns(0)
	info, _ := os.Stat(path)
	overwrite(t, path, info.Size()/2, 3*4096)
	_, err = l.List(context.Background(), scope)
	var de *DamagedError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "fsdeck doctor") {
		t.Fatalf("list over damaged pages: %v", err)
	}
	if strings.Contains(err.Error(), "read-only") {
		t.Fatalf("says read-only, but the ledger was opened writable: %v", err)
	}
}
