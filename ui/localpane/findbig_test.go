package localpane

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// mkBigTree makes dirs directories of files empty files each, and a
// hidden file and directory that the find leaves out.
func mkBigTree(t *testing.T, dir string, dirs, files int) {
	t.Helper()
	for d := 0; d < dirs; d++ {
		var names []string
		for f := 0; f < files; f++ {
			names = append(names, fmt.Sprintf("d%03d/f%04d.txt", d, f))
		}
		mkTree(t, dir, 0, names...)
	}
	mkTree(t, dir, 0, ".hidden/x.txt", "d000/.dotfile")
}

// plainWalk lists what is below dir as the find should: slash-separated,
// depth first in name order, hidden names left out.
func plainWalk(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A find over 20,000 files hands the interface its hits in a few batches
// (the interface redraws at each): the first soon, then at most one per
// findEvery or per findBatchMax entries, and the last. The batches
// together hold exactly what a plain walk lists, in its order, and the
// dialog counts them all.
func TestFindBigTreeFewBatchesNothingLost(t *testing.T) {
	dir := t.TempDir()
	mkBigTree(t, dir, 100, 200)
	want := plainWalk(t, dir)
	start := time.Now()
	msgs := 0
	var last findBatchMsg
	for next := startFind(context.Background(), 1, dir, findOptions{gitignore: true}); ; {
		m := runFor(t, next, 20*time.Second)
		if m == nil {
			break
		}
		last = m.(findBatchMsg)
		msgs++
		next = waitFind(last.ch)
	}
	elapsed := time.Since(start)
	t.Logf("%d batches for %d entries in %v", msgs, len(want), elapsed.Round(time.Millisecond))
	if most := int(elapsed/findEvery) + len(want)/findBatchMax + 2; msgs > most {
		t.Errorf("%d batches for %d entries in %v (at most %d)", msgs, len(want), elapsed.Round(time.Millisecond), most)
	}
	if !last.done || last.scanned != len(want) || last.hits.len() != len(want) {
		t.Fatalf("last batch: done %v, %d scanned, %d hits; a plain walk lists %d", last.done, last.scanned, last.hits.len(), len(want))
	}
	for i, w := range want {
		if h := last.hits.at(i); h.rel != w || h.isDir != !strings.HasSuffix(w, ".txt") {
			t.Fatalf("hit %d is %+v, the plain walk's %q", i, *h, w)
		}
	}

	s := newScreen(t, dir)
	s.press(tea.KeyMsg{Type: tea.KeyCtrlF})
	f := finderOf(t, s)
	if v := ansi.Strip(f.View()); !f.done || f.hits.len() != len(want) || !strings.Contains(v, "20,100 entries below") {
		t.Fatalf("the dialog after the walk (done %v, %d hits):\n%s", f.done, f.hits.len(), v)
	}
	s.press(keyRunes("d042f0199"))
	if v := ansi.Strip(f.View()); !strings.Contains(v, "▸ d042/f0199.txt") {
		t.Fatalf("d042f0199 does not find d042/f0199.txt first:\n%s", v)
	}
}

// The dialog draws its frame from pieces it keeps; what it draws is what
// the Dialog style draws around the same lines, in colour too.
func TestFindViewAsDialogStyle(t *testing.T) {
	dir := t.TempDir()
	mkTree(t, dir, 0, "a/notes.txt", "a/日本語のとても長いファイルの名前はここで切られるはずですよね本当に.txt", "b/x\x1b[31m.txt")
	for _, profile := range []termenv.Profile{termenv.Ascii, termenv.TrueColor} {
		lipgloss.SetColorProfile(profile)
		s := newScreen(t, dir)
		s.press(tea.KeyMsg{Type: tea.KeyCtrlF}, key1("down"))
		f := finderOf(t, s)
		for _, step := range []tea.KeyMsg{key1("down"), keyRunes("t"), keyRunes("zzz")} {
			w := f.width()
			var parts []string
			for _, l := range f.lines(w) {
				parts = append(parts, l.s)
			}
			want := f.Styles().Dialog.Width(w - 2).Render(strings.Join(parts, "\n"))
			if got := f.View(); got != want {
				t.Fatalf("profile %v:\n%s\nwant\n%s", profile, got, want)
			}
			s.press(step)
		}
	}
	lipgloss.SetColorProfile(termenv.Ascii)
}

// While keys come the walker rests between stretches of work, and esc
// still stops it at once: its channel closes long before the tree ends.
func TestFindCancelWhileKeysCome(t *testing.T) {
	dir := t.TempDir()
	mkBigTree(t, dir, 100, 100)
	var keys atomic.Uint64
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				keys.Add(1)
			}
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	first := runFor(t, startFind(ctx, 1, dir, findOptions{keys: &keys}), 20*time.Second).(findBatchMsg)
	cancel()
	total := first.hits.len()
	for next := waitFind(first.ch); ; {
		m := runFor(t, next, 10*time.Second)
		if m == nil {
			break
		}
		total = m.(findBatchMsg).hits.len()
		next = waitFind(m.(findBatchMsg).ch)
	}
	if total >= 10_100 {
		t.Fatalf("the walk ran to the end (%d entries) after cancel", total)
	}
}
