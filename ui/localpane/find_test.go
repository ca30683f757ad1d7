package localpane

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// mkTree writes files (slash-separated paths, parents made) under dir,
// each holding size bytes.
func mkTree(t testing.TB, dir string, size int, paths ...string) {
	t.Helper()
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func newScreen(t *testing.T, dir string) *screen {
	t.Helper()
	s := &screen{t: t, p: New(testEnv(nil), testTargets(), Options{Dir: dir, NoWatch: true})}
	s.p.SetSize(80, 20)
	s.p.Focus()
	s.run(s.p.Init())
	return s
}

func finderOf(t *testing.T, s *screen) *finder {
	t.Helper()
	f, ok := s.o.(*finder)
	if !ok {
		t.Fatalf("no find open: %T", s.o)
	}
	return f
}

// ctrl+f finds below the directory shown, fuzzy over the path, the
// exact name first; enter goes to its directory with it under the cursor.
func TestFindJumpsToEntryBelow(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 1, "a.txt", "sub/deep/notes.txt", "sub/deep/notes (1).txt", "sub/nothing.md", "other/n-o-t-e-s.txt")
	s := newScreen(t, dir)
	s.press(tea.KeyMsg{Type: tea.KeyCtrlF})
	f := finderOf(t, s)
	if !f.done || f.scanned != 8 {
		t.Fatalf("walk: done %v, %d entries", f.done, f.scanned)
	}
	s.press(keyRunes("notes.txt"))
	v := ansi.Strip(f.View())
	first := strings.Index(v, "sub/deep/notes.txt")
	if first < 0 || !strings.Contains(v, "▸ sub/deep/notes.txt") || strings.Index(v, "notes (1).txt") < first {
		t.Fatalf("best match not first:\n%s", v)
	}
	if strings.Contains(v, "a.txt") {
		t.Fatalf("a.txt does not match:\n%s", v)
	}
	s.press(enterKey)
	if s.o != nil {
		t.Fatal("enter left the find open")
	}
	if cur, _ := s.p.Current(); s.p.Dir() != filepath.Join(dir, "sub", "deep") || cur.Name != "notes.txt" {
		t.Fatalf("after enter: %s, cursor on %q", s.p.Dir(), cur.Name)
	}
}

// The find leaves out what .gitignore files exclude (and .git), as fd
// does; ctrl+g walks again with everything.
func TestFindRespectsGitignore(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 1, "src/main.go", "build/out.bin", "src/gen/x.go", "debug.log", "keep.log", "src/sub/y.log", ".git/HEAD")
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("# built\nbuild/\n*.log\n!keep.log\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "src", ".gitignore"), []byte("/gen\n"), 0o600)
	s := newScreen(t, dir)
	s.p.hidden = true // .git and .gitignore are hidden: the rules keep .git out
	s.press(tea.KeyMsg{Type: tea.KeyCtrlF})
	f := finderOf(t, s)
	got := func() string {
		var out []string
		for _, r := range f.ranked {
			out = append(out, f.hits.at(r.i).rel)
		}
		return strings.Join(out, ",")
	}
	if want := ".gitignore,keep.log,src,src/.gitignore,src/main.go,src/sub"; got() != want {
		t.Fatalf("with .gitignore: %s, want %s", got(), want)
	}
	s.press(tea.KeyMsg{Type: tea.KeyCtrlG})
	for _, p := range []string{"build/out.bin", "debug.log", "src/gen/x.go", "src/sub/y.log", ".git/HEAD"} {
		if !strings.Contains(","+got()+",", ","+p+",") {
			t.Fatalf("ctrl+g: %s lacks %s", got(), p)
		}
	}
}

func TestIgnoreRules(t *testing.T) {
	rules := ignoreRules{}
	for _, l := range []string{"*.o", "/root.txt", "docs/**/*.pdf", "tmp/", "!important.o", `\#lit`, "a?c", "[ab]x"} {
		r, ok := parseIgnoreLine(l, "")
		if !ok {
			t.Fatalf("line %q not read", l)
		}
		rules = append(rules, r)
	}
	sub, _ := parseIgnoreLine("local", "pkg")
	rules = append(rules, sub)
	for _, c := range []struct {
		rel   string
		dir   bool
		leave bool
	}{
		{"x.o", false, true}, {"a/b/x.o", false, true}, {"important.o", false, false},
		{"root.txt", false, true}, {"a/root.txt", false, false},
		{"docs/a.pdf", false, true}, {"docs/x/y/a.pdf", false, true}, {"a/docs/a.pdf", false, false},
		{"tmp", true, true}, {"tmp", false, false}, {"#lit", false, true}, {"abc", false, true}, {"ac", false, false},
		{"bx", false, true}, {"cx", false, false}, {"pkg/local", false, true}, {"local", false, false},
	} {
		if got := rules.ignored(c.rel, c.dir); got != c.leave {
			t.Errorf("%s (dir %v): ignored %v, want %v", c.rel, c.dir, got, c.leave)
		}
	}
}

// esc ends the walk: its goroutine stops (its channel closes) long before
// the tree is done, and no batch of it reaches a new find.
func TestFindCancelStopsWalk(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 200; i++ {
		var names []string
		for j := 0; j < 100; j++ {
			names = append(names, fmt.Sprintf("d%03d/f%03d", i, j))
		}
		mkTree(t, dir, 0, names...)
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := startFind(ctx, 1, dir, findOptions{})().(findBatchMsg)
	cancel()
	total := first.hits.len()
	deadline := time.After(10 * time.Second)
	for {
		done := make(chan tea.Msg, 1)
		go func() { done <- waitFind(first.ch)() }()
		select {
		case m := <-done:
			if m == nil {
				if total >= 20200 {
					t.Fatalf("the walk ran to the end (%d entries) after cancel", total)
				}
				return
			}
			total = m.(findBatchMsg).hits.len() // every batch holds all so far
		case <-deadline:
			t.Fatal("the walk did not stop after cancel")
		}
	}
}

// Typing re-ranks in a command: the dialog's Update never scores the
// whole tree itself.
func TestFindRanksInCommand(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 0, "x/alpha", "x/beta")
	s := newScreen(t, dir)
	s.press(tea.KeyMsg{Type: tea.KeyCtrlF})
	f := finderOf(t, s)
	_, cmd := f.Update(keyRunes("b"))
	if len(f.ranked) != 3 {
		t.Fatalf("ranking changed inside Update: %d ranked", len(f.ranked))
	}
	s.run(cmd)
	if len(f.ranked) != 1 || f.hits.at(f.ranked[0].i).rel != "x/beta" {
		t.Fatalf("after the command: %+v", f.ranked)
	}
}

// + marks the files shown matching a glob (case ignored), \ unmarks;
// a pattern ending in / takes directories; the footer totals the marks.
func TestGlobMarksAndSelectionSize(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 1000, "a.jpg", "b.JPG", "c.png", "photos.jpg/inner.bin")
	s := newScreen(t, dir)
	s.press(keyRunes("+"))
	s.press(keyRunes("*.jpg"), enterKey)
	if got := s.p.Selected(); len(got) != 2 || filepath.Base(got[0]) != "a.jpg" || filepath.Base(got[1]) != "b.JPG" {
		t.Fatalf("+ *.jpg marked %v", got)
	}
	v := ansi.Strip(s.p.View())
	if !strings.Contains(v, "2 marked · 2 KiB") {
		t.Fatalf("footer lacks the selection size:\n%s", v)
	}
	s.press(keyRunes(`\`), keyRunes("B*"), enterKey)
	if got := s.p.Selected(); len(got) != 1 || filepath.Base(got[0]) != "a.jpg" {
		t.Fatalf(`\ B* left %v`, got)
	}
	s.press(keyRunes("+"), keyRunes("*.jpg/"), enterKey)
	if !s.p.marks.Has(filepath.Join(dir, "photos.jpg")) {
		t.Fatal("+ *.jpg/ did not mark the directory")
	}
	if v := ansi.Strip(s.p.View()); !strings.Contains(v, "+ 1 not sized (=)") {
		t.Fatalf("an unsized directory is not counted as such:\n%s", v)
	}
}

// = adds up the directory under the cursor (or the marked ones): the row
// and the selection total show it.
func TestDirSizesOnDemand(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 1024, "sub/a", "sub/deep/b", "f")
	s := newScreen(t, dir)
	if cur, _ := s.p.Current(); cur.Name != "sub" {
		t.Fatalf("cursor on %s", cur.Name)
	}
	s.press(keyRunes("="))
	row := strings.Split(ansi.Strip(s.p.View()), "\n")[3]
	if !strings.Contains(row, "sub/") || !strings.Contains(row, "2 KiB") {
		t.Fatalf("row after = : %q", row)
	}
	s.press(key1("space"), key1("space"))
	if v := ansi.Strip(s.p.View()); !strings.Contains(v, "2 marked · 3 KiB") {
		t.Fatalf("footer:\n%s", v)
	}
}

// The walk's first batch may come before the root has opened the dialog
// (both commands of ctrl+f run at once): the pane hands it to the find,
// so the walk is never lost.
func TestFindBatchBeforeDialogOpens(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 0, "a/b/c.txt", "d.txt")
	p := newTestLocal(t, dir)
	var f *finder
	for _, c := range p.Update(tea.KeyMsg{Type: tea.KeyCtrlF})().(tea.BatchMsg) {
		switch m := c().(type) {
		case uikit.OpenMsg:
			f = m.Overlay.(*finder)
		case findBatchMsg:
			for next := p.Update(m); next != nil; {
				msg := next()
				if msg == nil {
					break
				}
				next = p.Update(msg)
			}
		}
	}
	if f == nil || !f.done || f.scanned != 4 {
		t.Fatalf("find after its batches went to the pane: %+v", f)
	}
}

// With only files marked, = sizes the directory under the cursor.
func TestDirSizesWithFilesMarked(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 1024, "sub/a", "f")
	s := newScreen(t, dir)
	s.press(key1("j"), key1("space"), key1("g"), keyRunes("="))
	if row := strings.Split(ansi.Strip(s.p.View()), "\n")[3]; !strings.Contains(row, "1 KiB") {
		t.Fatalf("row after = : %q", row)
	}
}
