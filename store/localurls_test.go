package store

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/fsdeck/fsdeck/internal/text"
)

// Local mode's hosting-target rows are read with their URLs and links on
// the local server's current address (List, Get, FindBySHA256; the
// engine's duplicate check reads them through FindBySHA256 as well, see
// internal/transfer/bookkeeping), whichever port recorded them; rows of other
// scopes, and every row before SetLocalBase or while base is "", read as
// recorded.
func TestLocalBaseRebuildsTargetURLs(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	const old = "http://127.0.0.1:33335/gofile"
	local := Scope{Target: "gofile", Endpoint: LocalEndpoint, KeyFP: Fingerprint("k")}
	remote := Scope{Target: "gofile", Endpoint: "https://api.gofile.io", KeyFP: Fingerprint("k")}
	e := Entry{Handle: "g1", Filename: "a.bin", SHA256: "ab12", URL: old + "/d/g1",
		Links: []text.Link{{Label: "downloadPage", URL: old + "/d/g1"}, {Label: "other", URL: "https://example.invalid/x"}}}
	for _, sc := range []Scope{local, remote} {
		if err := l.Add(ctx, sc, e); err != nil {
			t.Fatal(err)
		}
	}
	var base atomic.Value
	base.Store("")
	read := func(sc Scope) []Entry {
		t.Helper()
		var out []Entry
		list, err := l.List(ctx, sc)
		out = append(out, list...)
		got, gerr := l.Get(ctx, sc, "g1")
		out = append(out, got)
		hits, ferr := l.FindBySHA256(ctx, sc, "ab12")
		out = append(out, hits...)
		if err != nil || gerr != nil || ferr != nil || len(list) != 1 || len(hits) != 1 {
			t.Fatalf("reading %v: %v %v %v", sc, err, gerr, ferr)
		}
		return out
	}
	check := func(sc Scope, wantBase string) {
		t.Helper()
		for _, got := range read(sc) {
			if got.URL != wantBase+"/d/g1" || len(got.Links) != 2 || got.Links[0].URL != wantBase+"/d/g1" ||
				got.Links[0].Label != "downloadPage" || got.Links[1] != e.Links[1] {
				t.Fatalf("%v read %q %+v, want URLs under %s", sc, got.URL, got.Links, wantBase)
			}
		}
	}
	check(local, old) // no base told yet
	l.SetLocalBase(func() string { return base.Load().(string) })
	check(local, old) // no local server running
	base.Store("http://127.0.0.1:7337")
	check(local, "http://127.0.0.1:7337/gofile")
	check(remote, old) // only local mode's rows move
}
