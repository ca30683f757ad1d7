package localpane

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// A listing again of the directory shown (a download landing in it)
// keeps the cursor on its entry; when that entry is gone (trashed), the
// cursor lands on its neighbour: the next one, or the one before the last.
func TestCursorStaysAfterActionsElsewhere(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "c.txt", "e.txt", "g.txt"} {
		writeFile(t, dir, n)
	}
	s := newScreen(t, dir)
	s.press(key1("j"), key1("j")) // e.txt
	writeFile(t, dir, "b.txt")    // a download lands above the cursor
	s.run(uikit.Emit(uikit.LocalReloadMsg{}))
	if cur, _ := s.p.Current(); cur.Name != "e.txt" {
		t.Fatalf("after a download into the directory the cursor is on %s", cur.Name)
	}
	os.Remove(filepath.Join(dir, "e.txt")) // as a trash does
	s.run(uikit.Emit(uikit.LocalReloadMsg{}))
	if cur, _ := s.p.Current(); cur.Name != "g.txt" {
		t.Fatalf("after e.txt went the cursor is on %s, not its neighbour g.txt", cur.Name)
	}
	os.Remove(filepath.Join(dir, "g.txt")) // the last one
	s.run(uikit.Emit(uikit.LocalReloadMsg{}))
	if cur, _ := s.p.Current(); cur.Name != "c.txt" {
		t.Fatalf("after the last entry went the cursor is on %s, not c.txt", cur.Name)
	}
}

// a sub/deep/new.txt makes the directories first (as a sub/deep/ does)
// and selects sub; a name that climbs out is refused.
func TestNewFileMakesParents(t *testing.T) {
	dir := t.TempDir()
	s := newScreen(t, dir)
	s.press(keyRunes("a"), keyRunes("sub/deep/new.txt"), enterKey)
	if info, err := os.Stat(filepath.Join(dir, "sub", "deep", "new.txt")); err != nil || info.IsDir() {
		t.Fatalf("sub/deep/new.txt not created: %v", err)
	}
	if cur, _ := s.p.Current(); cur.Name != "sub" {
		t.Fatalf("cursor on %q, not sub", cur.Name)
	}
	s.press(keyRunes("a"), keyRunes("../out.txt"), enterKey)
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "out.txt")); err == nil {
		t.Fatal("a ../ name created a file outside the directory")
	}
}

// The filter is cleared when the directory changes (it filtered the
// last one); the exact name ranks first.
func TestFilterClearedOnDirectoryChangeAndExactFirst(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"notes (1).txt", "notes.txt", "my notes.md", "sub/a.txt", "sub/b.txt"} {
		mkTree(t, dir, 0, n)
	}
	s := newScreen(t, dir)
	s.press(keyRunes("/"), keyRunes("notes"), enterKey)
	if got := rowNames(s.p); len(got) != 3 || got[0] != "notes.txt" {
		t.Fatalf("filter notes: %q (notes.txt first)", got)
	}
	s.run(s.p.SetFilter("notes.txt"))
	if got := rowNames(s.p); got[0] != "notes.txt" {
		t.Fatalf("filter notes.txt: %q", got)
	}
	s.run(s.p.SetFilter("su"))
	s.press(key1("enter")) // into sub
	if s.p.Dir() != filepath.Join(dir, "sub") {
		t.Fatalf("in %s", s.p.Dir())
	}
	if got := rowNames(s.p); len(got) != 2 || strings.Contains(s.p.View(), "match /") {
		t.Fatalf("the filter carried into sub: %q\n%s", got, s.p.View())
	}
}
