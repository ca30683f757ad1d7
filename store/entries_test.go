package store

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// Entries yields the rows in each --sort order exactly as a stable sort of
// List's rows does in Go (names folded by strings.ToLower, which SQLite's
// lower() does not do beyond ASCII; equal keys newest added first), and
// stops when told.
func TestEntriesOrders(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	sc := Scope{Endpoint: "e", KeyFP: "k"}
	names := []string{"b.txt", "Ärger.txt", "a.txt", "ärger2.txt", "Zebra", "éclair", "B.txt", "Écran", "a.txt"}
	at := time.UnixMilli(1_700_000_000_000)
	for i, n := range names {
		e := Entry{Handle: "h" + string(rune('a'+i)), Filename: n, Size: int64(i % 3), Mimetype: []string{"text/plain", "image/png", "text/plain"}[i%3],
			Uploaded: at.Add(time.Duration(i%4) * time.Second), Added: at.Add(time.Duration(i) * time.Second)}
		if i == 4 {
			e.Uploaded = time.Time{}
		}
		if err := l.Add(ctx, sc, e); err != nil {
			t.Fatal(err)
		}
	}
	list, err := l.List(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	less := map[string]func(a, b Entry) bool{
		SortDate: func(a, b Entry) bool { return a.Uploaded.After(b.Uploaded) },
		SortName: func(a, b Entry) bool { return strings.ToLower(a.Filename) < strings.ToLower(b.Filename) },
		SortSize: func(a, b Entry) bool { return a.Size > b.Size },
		SortType: func(a, b Entry) bool { return a.Mimetype < b.Mimetype },
	}
	for by, lt := range less {
		want := slices.Clone(list)
		sort.SliceStable(want, func(i, j int) bool { return lt(want[i], want[j]) })
		var got []string
		for e, err := range l.Entries(ctx, sc, by) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, e.Handle)
		}
		var wantH []string
		for _, e := range want {
			wantH = append(wantH, e.Handle)
		}
		if !slices.Equal(got, wantH) {
			t.Errorf("--sort %s: %v, want %v", by, got, wantH)
		}
	}
	n := 0
	for range l.Entries(ctx, sc, SortName) {
		if n++; n == 2 {
			break
		}
	}
	for _, err := range l.Entries(ctx, sc, "colour") {
		if err == nil {
			t.Error("an unknown order gave rows, want an error")
		}
	}
}
