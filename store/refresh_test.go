package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// Refresh updates a row that is there and never brings back one another
// process removed meanwhile; it keeps where the file came from.
func TestRefreshNeverReinserts(t *testing.T) {
	ctx := context.Background()
	l, err := Open(filepath.Join(t.TempDir(), "ledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	e := Entry{Handle: "AAAAAAAAAAAAAAAAAAAA", Filename: "a.txt", Size: 1, LocalPath: "/home/a.txt", SHA256: "abc", URL: "https://x/a"}
	if err := l.Add(ctx, scope, e); err != nil {
		t.Fatal(err)
	}
	when := time.UnixMilli(1700000000000)
	fresh := Entry{Handle: e.Handle, Filename: "renamed.txt", Size: 2, Mimetype: "text/plain", Width: 3, Height: 4,
		StorePath: "dir/renamed.txt", RefreshedAt: when}
	ok, err := l.Refresh(ctx, scope, fresh)
	if err != nil || !ok {
		t.Fatalf("refresh of a present row: %v %v", ok, err)
	}
	got, err := l.Get(ctx, scope, e.Handle)
	if err != nil || got.Filename != "renamed.txt" || got.Size != 2 || got.Mimetype != "text/plain" || got.Width != 3 ||
		got.StorePath != "dir/renamed.txt" || !got.RefreshedAt.Equal(when) || got.LocalPath != "/home/a.txt" ||
		got.SHA256 != "abc" || got.URL != "https://x/a" {
		t.Fatalf("after refresh: %+v %v", got, err)
	}
	if err := l.Remove(ctx, scope, e.Handle); err != nil {
		t.Fatal(err)
	}
	fresh.Gone = true
	ok, err = l.Refresh(ctx, scope, fresh)
	if err != nil || ok {
		t.Fatalf("refresh of a removed row: %v %v", ok, err)
	}
	if _, err := l.Get(ctx, scope, e.Handle); err != ErrNotFound {
		t.Fatalf("a refresh brought a removed row back: %v", err)
	}
}
