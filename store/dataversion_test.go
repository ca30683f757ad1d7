package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// DataVersion changes when another opener of the ledger (another fsdeck)
// commits, and stays put otherwise.
func TestDataVersionSeesOtherWriters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	mine, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	v0, err := mine.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := mine.DataVersion(ctx); v != v0 {
		t.Fatalf("changed with no write: %d then %d", v0, v)
	}
	if err := other.Add(ctx, scope, Entry{Handle: "AAAAAAAAAAAAAAAAAAAA"}); err != nil {
		t.Fatal(err)
	}
	v1, err := mine.DataVersion(ctx)
	if err != nil || v1 == v0 {
		t.Fatalf("another writer's commit not seen: %d then %d (%v)", v0, v1, err)
	}
	if err := other.Remove(ctx, scope, "AAAAAAAAAAAAAAAAAAAA"); err != nil {
		t.Fatal(err)
	}
	if v2, _ := mine.DataVersion(ctx); v2 == v1 {
		t.Fatal("a removal by another writer not seen")
	}
}

// BenchmarkDataVersion is the cost of one poll of the interface's ledger
// watch (it polls once a second while open).
func BenchmarkDataVersion(b *testing.B) {
	ctx := context.Background()
	l, err := Open(filepath.Join(b.TempDir(), "ledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for b.Loop() {
		if _, err := l.DataVersion(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListForComparison is one reload of a 1,000-entry remote pane,
// what a poll that saw no change saves.
func BenchmarkListForComparison(b *testing.B) {
	ctx := context.Background()
	l, err := Open(filepath.Join(b.TempDir(), "ledger.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < 1000; i++ {
		l.Add(ctx, scope, Entry{Handle: fmt.Sprintf("H%019d", i), Filename: "file.txt", Size: int64(i)})
	}
	for b.Loop() {
		if _, err := l.List(ctx, scope); err != nil {
			b.Fatal(err)
		}
	}
}
