package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

var (
	escKey       = tea.KeyMsg{Type: tea.KeyEsc}
	backspaceKey = tea.KeyMsg{Type: tea.KeyBackspace}
)

// question is the open yes/no dialog's title and question ("" when none
// is open).
func question(m *Model) string {
	if c, ok := m.overlay.(uikit.Confirm); ok {
		return c.Title() + " | " + c.Question()
	}
	return ""
}

// localFooter is the local pane's footer line.
func localFooter(m *Model) string { return paneFooter(m.local.View()) }

// markedPaths are the local marks, by path relative to dir.
func markedPaths(m *Model, dir string) []string {
	var out []string
	for _, p := range m.local.Selected() {
		if localMarks(m) == 0 {
			break
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// replaceFile puts another file at path as an editor's save does: written
// beside it, then renamed over it (so it is another inode).
func replaceFile(t *testing.T, path, body string) {
	t.Helper()
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// The scenario: a file marked and deleted for good loses its
// mark, so a new file made at its path is never offered by a later D in
// the parent directory, nor uploaded by a later upload elsewhere.
func TestStaleMarkAfterPermanentDelete(t *testing.T) {
	root := t.TempDir()
	scratch := filepath.Join(root, "scratch")
	other := filepath.Join(root, "other")
	os.Mkdir(scratch, 0o700)
	os.Mkdir(other, 0o700)
	writeFile(t, scratch, "a.txt")
	writeFile(t, scratch, "b.txt")
	writeFile(t, other, "x.txt")
	m, _ := opsModel(t, scratch)
	m = cursorTo(t, m, "a.txt")
	m = press(t, m, keyRunes(" "))
	if !strings.Contains(localFooter(m), "1 marked") {
		t.Fatalf("footer %q", localFooter(m))
	}
	m = press(t, m, keyRunes("D"))
	if q := question(m); !strings.Contains(q, "Delete 1 item permanently (a.txt)?") {
		t.Fatalf("question %q", q)
	}
	m = press(t, m, keyRunes("y"))
	if exists(filepath.Join(scratch, "a.txt")) || !strings.Contains(statusText(m), "deleted 1 item permanently") {
		t.Fatalf("not deleted: %q", statusText(m))
	}
	if localMarks(m) != 0 || strings.Contains(localFooter(m), "marked") {
		t.Fatalf("the deleted file is still marked: %v, footer %q", markedPaths(m, root), localFooter(m))
	}
	writeFile(t, scratch, "a.txt") // made again from another shell
	m = press(t, m, backspaceKey)
	if cur, _ := m.local.Current(); cur.Name != "scratch" {
		t.Fatalf("cursor on %q", cur.Name)
	}
	m = press(t, m, keyRunes("D"))
	if q := question(m); !strings.Contains(q, "Delete 1 item permanently (scratch)?") || strings.Contains(q, "a.txt") {
		t.Fatalf("D offers %q", q)
	}
	m = press(t, m, keyRunes("n"))
	// ctrl+a u in another directory uploads that directory's files only.
	m = press(t, m, keyRunes(":"))
	m = typeText(t, m, other)
	m = press(t, m, enterKey, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u"))
	m = waitIdle(t, m)
	if m.overlay != nil {
		t.Fatalf("the upload asked: %q", question(m))
	}
	var names []string
	for _, j := range m.engine.Snapshot().Jobs {
		names = append(names, j.Name)
	}
	if strings.Join(names, ",") != "x.txt" {
		t.Fatalf("uploaded %v", names)
	}
}

// A mark goes with its file: trashed, deleted, moved away, vanished or
// replaced by another file; a rename (and its undo) takes it along, also
// for what is under a renamed directory.
func TestMarksFollowTheirFiles(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.Mkdir(filepath.Join(dir, "dst"), 0o700)
	for _, n := range []string{"a.txt", "b.txt", "c.txt", "d.txt", "sub/in.txt"} {
		writeFile(t, dir, n)
	}
	m, _ := opsModel(t, dir)

	// Rename: the mark follows; z renames back and it follows again.
	m = cursorTo(t, m, "a.txt")
	m = press(t, m, keyRunes(" "))
	m = cursorTo(t, m, "a.txt")
	m = press(t, m, keyRunes("r"))
	m = typeText(t, m, "renamed")
	m = press(t, m, enterKey)
	if got := markedPaths(m, dir); strings.Join(got, ",") != "renamed.txt" {
		t.Fatalf("after the rename: %v", got)
	}
	m = press(t, m, keyRunes("z"))
	if got := markedPaths(m, dir); strings.Join(got, ",") != "a.txt" {
		t.Fatalf("after undoing the rename: %v (%q)", got, statusText(m))
	}

	// A renamed directory takes the marks of what is in it.
	m = cursorTo(t, m, "sub")
	m = press(t, m, enterKey, keyRunes(" "), backspaceKey)
	m = cursorTo(t, m, "sub")
	m = press(t, m, keyRunes("r"))
	m = typeText(t, m, "folder")
	m = press(t, m, enterKey)
	if got := markedPaths(m, dir); strings.Join(got, ",") != "a.txt,folder/in.txt" {
		t.Fatalf("after renaming the directory: %v", got)
	}

	// Moved away (cut, marked again, pasted elsewhere): the mark goes.
	m = press(t, m, escKey)
	m = cursorTo(t, m, "b.txt")
	m = press(t, m, keyRunes("x"), keyRunes(" "))
	m = cursorTo(t, m, "dst")
	m = press(t, m, enterKey, keyRunes("p"))
	if !exists(filepath.Join(dir, "dst", "b.txt")) {
		t.Fatalf("not moved: %q", statusText(m))
	}
	if localMarks(m) != 0 {
		t.Fatalf("the moved file is still marked: %v", markedPaths(m, dir))
	}

	// Vanished and replaced behind fsdeck's back: a listing drops both
	// and says so.
	m = press(t, m, backspaceKey)
	m = cursorTo(t, m, "c.txt")
	m = press(t, m, keyRunes(" "), keyRunes(" ")) // c.txt, d.txt
	os.Remove(filepath.Join(dir, "c.txt"))
	replaceFile(t, filepath.Join(dir, "d.txt"), "another d")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlR})
	if localMarks(m) != 0 {
		t.Fatalf("still marked: %v", markedPaths(m, dir))
	}
	if !strings.Contains(statusText(m), "c.txt (no longer exists)") || !strings.Contains(statusText(m), "d.txt (replaced by another file)") {
		t.Fatalf("status %q", statusText(m))
	}
}

// A file deleted and made again, even on the inode the deleted one had
// (ext4 reuses it at once), is another file: its mark goes at the next
// listing, and a delete confirmed before the change leaves it alone.
func TestMarkedFileMadeAgainIsNotTheMarkedOne(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	writeFile(t, dir, "b.txt")
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes(" "))
	before, _ := uikit.LstatID(filepath.Join(dir, "a.txt"))
	os.Remove(filepath.Join(dir, "a.txt"))
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("new"), 0o600)
	if after, _ := uikit.LstatID(filepath.Join(dir, "a.txt")); !before.Differs(after) {
		t.Skip("this file system reuses inodes and keeps no birth times: a file made again cannot be told apart")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlR})
	if localMarks(m) != 0 || !strings.Contains(statusText(m), "a.txt (replaced by another file)") {
		t.Fatalf("marks %v, status %q", markedPaths(m, dir), statusText(m))
	}

	// The dialog was answered after b.txt was replaced: nothing deleted.
	m = cursorTo(t, m, "b.txt")
	m = press(t, m, keyRunes(" "), keyRunes("D"))
	if q := question(m); !strings.Contains(q, "(b.txt)") {
		t.Fatalf("question %q", q)
	}
	replaceFile(t, filepath.Join(dir, "b.txt"), "another b")
	m = press(t, m, keyRunes("y"))
	if b, _ := os.ReadFile(filepath.Join(dir, "b.txt")); string(b) != "another b" {
		t.Fatal("the file that took b.txt's place was deleted")
	}
	if !strings.Contains(statusText(m), "b.txt: left alone: another file took its place") {
		t.Fatalf("status %q", statusText(m))
	}
}

// A mark in another directory stays marked, is counted in the footer as
// not shown, and goes when its file vanishes (found at the next listing).
func TestMarksElsewhereAreCountedAndChecked(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	for _, n := range []string{"a.txt", "b.txt", ".env", "sub/s.txt"} {
		writeFile(t, dir, n)
	}
	d := opsDeps(t, dir)
	d.Settings.ShowHidden = true
	m := startModel(t, d)
	m = cursorTo(t, m, ".env")
	m = press(t, m, keyRunes(" "))
	m = cursorTo(t, m, "a.txt")
	m = press(t, m, keyRunes(" "), keyRunes(" ")) // a.txt, b.txt
	if f := localFooter(m); !strings.Contains(f, "3 marked") || strings.Contains(f, "not shown") {
		t.Fatalf("footer %q", f)
	}
	m = press(t, m, keyRunes(".")) // hidden files off
	if f := localFooter(m); !strings.Contains(f, "3 marked · 1 not shown") {
		t.Fatalf("hidden files off: footer %q", f)
	}
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "a.t")
	m = press(t, m, enterKey)
	if f := localFooter(m); !strings.Contains(f, "3 marked · 2 not shown") {
		t.Fatalf("filtered: footer %q", f)
	}
	m = press(t, m, escKey) // clears the filter, not the marks
	m = cursorTo(t, m, "sub")
	m = press(t, m, enterKey)
	if f := localFooter(m); !strings.Contains(f, "3 marked · 3 not shown") {
		t.Fatalf("in sub: footer %q", f)
	}
	os.Remove(filepath.Join(dir, "b.txt"))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlR})
	if f := localFooter(m); !strings.Contains(f, "2 marked · 2 not shown") {
		t.Fatalf("after b.txt vanished: footer %q, status %q", f, statusText(m))
	}
	if !strings.Contains(statusText(m), "unmarked ../b.txt (no longer exists)") {
		t.Fatalf("status %q", statusText(m))
	}
}

// opsDeps is opsModel's dependencies (trash in a temp XDG_DATA_HOME).
func opsDeps(t *testing.T, dir string) Deps {
	t.Helper()
	e := newTestEnv(t, emulator.Options{})
	data := t.TempDir()
	d := e.deps(dir)
	d.Getenv = func(k string) string {
		if k == "XDG_DATA_HOME" {
			return data
		}
		return ""
	}
	return d
}

// What acts on marks the list does not show says so, naming them relative
// to the directory shown (the first five, then how many more); an upload
// that includes them asks first.
func TestActionsNameMarksNotShown(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.Mkdir(filepath.Join(dir, "far"), 0o700)
	writeFile(t, dir, "sub/here.txt")
	for _, n := range []string{"f1", "f2", "f3", "f4", "f5", "f6", "f7"} {
		writeFile(t, dir, "far/"+n)
	}
	m, _ := opsModel(t, filepath.Join(dir, "far"))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA})
	m = press(t, m, keyRunes(":"))
	m = typeText(t, m, filepath.Join(dir, "sub"))
	m = press(t, m, enterKey)

	// Only marks elsewhere: they are what d would trash, not the cursor's.
	m = press(t, m, keyRunes("d"))
	q := question(m)
	for _, want := range []string{"Move 7 items (../far/f1, ../far/f2, ../far/f3, ../far/f4, ../far/f5 and 2 more) to the trash?",
		"None of them is shown here.", "These are marks, not the entry under the cursor (esc clears the marks)."} {
		if !strings.Contains(q, want) {
			t.Fatalf("trash question lacks %q:\n%s", want, q)
		}
	}
	m = press(t, m, keyRunes("n"))

	m = press(t, m, keyRunes(" ")) // here.txt
	m = press(t, m, keyRunes("D"))
	q = question(m)
	if !strings.Contains(q, "Delete 8 items permanently (../far/f1, ") ||
		!strings.Contains(q, "7 of them are not shown here: ../far/f1, ../far/f2, ../far/f3, ../far/f4, ../far/f5 and 2 more.") ||
		strings.Contains(q, "not the entry under the cursor") {
		t.Fatalf("delete question:\n%s", q)
	}
	m = press(t, m, keyRunes("n"))
	if localMarks(m) != 8 || !exists(filepath.Join(dir, "far", "f1")) {
		t.Fatal("a declined question changed something")
	}

	m = press(t, m, keyRunes("u"))
	q = question(m)
	if !strings.HasPrefix(q, "Upload marks not shown here | Upload 8 items (") || !strings.Contains(q, "7 of them are not shown here") {
		t.Fatalf("upload did not ask first:\n%s", q)
	}
	m = press(t, m, keyRunes("n"))
	if jobCount(m) != 0 || localMarks(m) != 8 {
		t.Fatalf("declined upload: %d rows, %d marks", jobCount(m), localMarks(m))
	}
	m = waitIdle(t, press(t, m, keyRunes("u"), keyRunes("y")))
	if jobCount(m) == 0 || localMarks(m) != 0 {
		t.Fatalf("confirmed upload: %d rows, %d marks left", jobCount(m), localMarks(m))
	}
	es, _ := m.env.Ledger().List(context.Background(), m.ts.targets.Root().Scope)
	if len(es) != 8 {
		t.Fatalf("uploaded %d files", len(es))
	}
}

// A directory marked in another directory uploads with paths below
// itself, not climbing out of the directory shown.
func TestUploadOfDirectoryMarkedElsewhere(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "photos", "trip"), 0o700)
	os.Mkdir(filepath.Join(dir, "here"), 0o700)
	writeFile(t, dir, "photos/trip/x.txt")
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "photos")
	m = press(t, m, keyRunes(" "))
	m = cursorTo(t, m, "here")
	m = press(t, m, enterKey, keyRunes("u"), keyRunes("y"))
	m = waitIdle(t, m)
	es, _ := m.env.Ledger().List(context.Background(), m.ts.targets.Root().Scope)
	if len(es) != 1 || es[0].StorePath != "photos/trip/x.txt" {
		t.Fatalf("uploaded %+v", es)
	}
}

// esc with nothing open clears the focused pane's marks and says how
// many; a kept filter goes first, and an open dialog only closes.
func TestEscClearsMarks(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, dir, n)
	}
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes(" "), keyRunes(" "))
	if !strings.Contains(m.View(), "esc clear marks") {
		t.Fatalf("the hint line does not offer esc:\n%s", lastLines(m.View(), 1))
	}
	m = press(t, m, keyRunes("d"), escKey) // closes the question only
	if m.overlay != nil || localMarks(m) != 2 {
		t.Fatalf("overlay %T, %d marks", m.overlay, localMarks(m))
	}
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "c")
	m = press(t, m, escKey) // ends typing the filter
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "c")
	m = press(t, m, enterKey, escKey) // clears the kept filter
	if strings.Contains(localFooter(m), "match /") || localMarks(m) != 2 {
		t.Fatalf("footer %q, %d marks", localFooter(m), localMarks(m))
	}
	m = press(t, m, escKey)
	if localMarks(m) != 0 || statusText(m) != "cleared 2 marks" {
		t.Fatalf("%d marks, status %q", localMarks(m), statusText(m))
	}

	// The remote pane likewise.
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 3)
	m = startModel(t, e.deps(dir))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyCtrlA}, escKey)
	if remoteMarks(m) != 0 || statusText(m) != "cleared 3 marks" {
		t.Fatalf("remote: %d marks, status %q", remoteMarks(m), statusText(m))
	}
}

// In the remote pane, marks the filter hides are never acted on without a
// word: download asks first, delete and forget name them; the delete
// lists the files and names the local server in local mode.
func TestRemoteHiddenMarksAreNamed(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	for i, n := range []string{"cat.png", "dog.png", "notes.txt"} {
		e.ledger.Add(ctx, e.scope, store.Entry{Handle: handleN(i), Filename: n, Size: 4, Added: fixedNow.Add(-time.Duration(i) * time.Hour)})
	}
	m := startModel(t, e.deps(t.TempDir()))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes(" "), keyRunes(" ")) // cat.png, dog.png
	m = press(t, m, keyRunes("/"))
	m = typeText(t, m, "notes")
	m = press(t, m, enterKey)
	if f := paneFooter(m.remote.View()); !strings.Contains(f, "2 marked · 2 not shown") {
		t.Fatalf("footer %q", f)
	}
	m = press(t, m, keyRunes("d"))
	q := question(m)
	if !strings.HasPrefix(q, "Download marks the filter hides | Download 2 files (cat.png, dog.png)? The filter hides all of them.") ||
		!strings.Contains(q, "not the row under the cursor") {
		t.Fatalf("download question %q", q)
	}
	m = press(t, m, keyRunes("n"))
	if jobCount(m) != 0 {
		t.Fatal("downloaded after no")
	}
	m = press(t, m, keyRunes("x"))
	q = question(m)
	if !strings.HasPrefix(q, "Delete 2 files from the local server? | Delete 2 files (cat.png, dog.png) from the local server for good? The filter hides all of them.") {
		t.Fatalf("delete question %q", q)
	}
	m = press(t, m, keyRunes("n"), keyRunes("X"))
	if q = question(m); !strings.Contains(q, "Remove 2 files (cat.png, dog.png) from fsdeck's list? The filter hides all of them.") ||
		!strings.Contains(q, "They stay on the local server") {
		t.Fatalf("forget question %q", q)
	}
	m = press(t, m, keyRunes("n"))

	// The row under the cursor alone, once the marks are cleared.
	m = press(t, m, escKey, escKey, keyRunes("/"))
	m = typeText(t, m, "notes")
	m = press(t, m, enterKey, keyRunes("x"))
	if q = question(m); !strings.Contains(q, "Delete notes.txt from the local server for good?") || strings.Contains(q, "filter") {
		t.Fatalf("delete question %q", q)
	}
	m = press(t, m, keyRunes("y"))
	if es, _ := e.ledger.List(ctx, e.scope); len(es) != 2 || !strings.Contains(statusText(m), "deleted 1 file from the local server") {
		t.Fatalf("ledger %d, status %q", len(es), statusText(m))
	}
}

// paneFooter is a pane view's footer line.
func paneFooter(view string) string {
	lines := strings.Split(view, "\n")
	return lines[len(lines)-2]
}

// z undoes only the last operation: after a permanent delete it says
// that cannot be undone instead of undoing an older rename elsewhere;
// what it undoes it names with its directory.
func TestUndoOnlyTheLastOperation(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "one"), 0o700)
	os.Mkdir(filepath.Join(dir, "two"), 0o700)
	writeFile(t, dir, "one/old.txt")
	writeFile(t, dir, "two/doomed.txt")
	writeFile(t, dir, "two/trashed.txt")
	m, _ := opsModel(t, filepath.Join(dir, "one"))
	m = press(t, m, keyRunes("r"))
	m = typeText(t, m, "new")
	m = press(t, m, enterKey)
	m = press(t, m, keyRunes(":"))
	m = typeText(t, m, filepath.Join(dir, "two"))
	m = press(t, m, enterKey)
	m = cursorTo(t, m, "doomed.txt")
	m = press(t, m, keyRunes("D"), keyRunes("y"))
	m = press(t, m, keyRunes("z"))
	want := "cannot undo: the last operation was deleting doomed.txt in " + filepath.Join(dir, "two") + " permanently, which cannot be undone"
	if statusText(m) != want {
		t.Fatalf("status %q, want %q", statusText(m), want)
	}
	if !exists(filepath.Join(dir, "one", "new.txt")) {
		t.Fatal("z undid the older rename")
	}
	m = press(t, m, keyRunes("z")) // still the last operation
	if statusText(m) != want || !exists(filepath.Join(dir, "one", "new.txt")) {
		t.Fatalf("second z: %q", statusText(m))
	}

	m = cursorTo(t, m, "trashed.txt")
	m = press(t, m, keyRunes("d"), keyRunes("y"))
	m = press(t, m, keyRunes(":"))
	m = typeText(t, m, filepath.Join(dir, "one"))
	m = press(t, m, enterKey, keyRunes("z"))
	if want := "undid the trash: trashed.txt is back in " + filepath.Join(dir, "two"); statusText(m) != want {
		t.Fatalf("status %q, want %q", statusText(m), want)
	}
	if !exists(filepath.Join(dir, "two", "trashed.txt")) {
		t.Fatal("not restored")
	}
}

// The undo of a rename names both names and the directory.
func TestUndoRenameNamesItsDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "photo.jpeg")
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes("r"))
	m = typeText(t, m, "pic")
	m = press(t, m, enterKey, keyRunes("z"))
	if want := "undid the rename in " + dir + ": pic.jpeg is photo.jpeg again"; statusText(m) != want {
		t.Fatalf("status %q, want %q", statusText(m), want)
	}
}

// A marked directory takes its marked contents along: the question names
// the directory once, nothing fails for having gone with it, and no mark
// is left on what it held.
func TestMarkedDirectoryTakesItsMarkedContents(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	writeFile(t, dir, "sub/in.txt")
	writeFile(t, dir, "top.txt")
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "sub")
	m = press(t, m, enterKey, keyRunes(" "), backspaceKey)
	m = cursorTo(t, m, "sub")
	m = press(t, m, keyRunes(" "), keyRunes("D"))
	if q := question(m); !strings.Contains(q, "Delete 1 item permanently (sub)?") {
		t.Fatalf("question %q", q)
	}
	m = press(t, m, keyRunes("y"))
	if exists(filepath.Join(dir, "sub")) || statusText(m) != "deleted 1 item permanently" || localMarks(m) != 0 {
		t.Fatalf("status %q, marks %v", statusText(m), markedPaths(m, dir))
	}
}
