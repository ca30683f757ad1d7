package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// Bookmarks come back oldest first, each once however often it was added;
// a removed one is gone.
func TestBookmarksOldestFirst(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	if got, err := l.Bookmarks(ctx); err != nil || len(got) != 0 {
		t.Fatalf("a new ledger's bookmarks: %q, %v", got, err)
	}
	for _, p := range []string{"/b", "/a", "/b"} {
		if err := l.AddBookmark(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.db.Exec(`UPDATE bookmarks SET added_ms = 1 WHERE path = '/b'`); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Bookmarks(ctx); err != nil || !slices.Equal(got, []string{"/b", "/a"}) {
		t.Fatalf("bookmarks %q, %v; want /b (older) then /a", got, err)
	}
	if err := l.RemoveBookmark(ctx, "/b"); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Bookmarks(ctx); err != nil || !slices.Equal(got, []string{"/a"}) {
		t.Fatalf("after removing /b: %q, %v", got, err)
	}
}
