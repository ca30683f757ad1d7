package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// opsModel is a root model on dir whose trash is in a temp XDG_DATA_HOME
// (returned), never the real one.
func opsModel(t *testing.T, dir string) (*Model, string) {
	t.Helper()
	return opsModelWith(t, dir, options{})
}

// opsModelWith is opsModel with o's seams.
func opsModelWith(t *testing.T, dir string, o options) (*Model, string) {
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
	m := newSyncWith(d, o)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return drain(t, mm.(*Model), m.Init()), filepath.Join(data, "Trash")
}

// cursorTo puts the local cursor on name.
func cursorTo(t *testing.T, m *Model, name string) *Model {
	t.Helper()
	if m.focus != focusLocal {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
	}
	m = press(t, m, keyRunes("g"))
	for range 1000 {
		if cur, ok := m.local.Current(); !ok || cur.Name == name {
			return m
		}
		before, _ := m.local.Current()
		if m = press(t, m, keyRunes("j")); func() bool { cur, _ := m.local.Current(); return cur.Path == before.Path }() {
			break
		}
	}
	t.Fatalf("%q not listed", name)
	return m
}

func typeText(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	return press(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// waitJobs lets the engine finish and the panel take its last snapshot.
func waitJobs(t *testing.T, m *Model) *Model {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if s := m.engine.Snapshot(); s.Total.Running+s.Total.Queued == 0 {
			mm, cmd := m.Update(transfers.TickMsg{})
			return drain(t, mm.(*Model), cmd)
		}
	}
	t.Fatal("jobs did not finish")
	return m
}

// Rename is inline with the name minus its extension selected: typing
// replaces the stem, a taken name is refused, z undoes.
func TestLocalRenameInline(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "photo.jpeg")
	writeFile(t, dir, "taken.jpeg")
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "photo.jpeg")
	m = press(t, m, keyRunes("r"))
	// The stem is selected (drawn marked), the cursor on the dot after it.
	lipgloss.SetColorProfile(termenv.ANSI256)
	st := uikit.NewStyles(uikit.DefaultTheme())
	selected, row := st.Marked.Render("photo")+st.Cursor.Render(".")+"jpeg", m.local.View()
	lipgloss.SetColorProfile(termenv.Ascii)
	if !m.local.Typing() || !strings.Contains(row, selected) {
		t.Fatalf("editing %v, stem not selected:\n%q", m.local.Typing(), row)
	}
	if !strings.Contains(m.View(), "rename photo.jpeg: enter renames") {
		t.Fatalf("no rename hint:\n%s", m.View())
	}
	m = typeText(t, m, "taken")
	m = press(t, m, enterKey)
	if !exists(filepath.Join(dir, "photo.jpeg")) {
		t.Fatal("a taken name replaced a file")
	}
	// Refused: the field stays open with the typed name and says why, so
	// the name can be fixed; esc cancels.
	if v := ansi.Strip(m.local.View()); !m.local.Typing() || strings.Count(v, "taken.jpeg") != 2 { // the field and the file
		t.Fatalf("the field closed or lost the name:\n%s", v)
	}
	if !strings.Contains(lastLines(m.View(), 2), "cannot rename photo.jpeg to taken.jpeg: already exists · esc cancels") {
		t.Fatalf("the refusal is not shown:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.local.Typing() || !exists(filepath.Join(dir, "photo.jpeg")) {
		t.Fatal("esc did not cancel")
	}
	m = cursorTo(t, m, "photo.jpeg")
	m = press(t, m, keyRunes("r"))
	m = typeText(t, m, "pic")
	m = press(t, m, enterKey)
	if !exists(filepath.Join(dir, "pic.jpeg")) || exists(filepath.Join(dir, "photo.jpeg")) {
		t.Fatalf("not renamed: %q", statusText(m))
	}
	if cur, _ := m.local.Current(); cur.Name != "pic.jpeg" {
		t.Fatalf("cursor on %q", cur.Name)
	}
	m = press(t, m, keyRunes("z"))
	if !exists(filepath.Join(dir, "photo.jpeg")) || exists(filepath.Join(dir, "pic.jpeg")) {
		t.Fatalf("undo: %q", statusText(m))
	}
	// esc cancels; f2 is rename too.
	m = press(t, m, tea.KeyMsg{Type: tea.KeyF2}, keyRunes("x"), tea.KeyMsg{Type: tea.KeyEsc})
	if m.local.Typing() || !exists(filepath.Join(dir, "photo.jpeg")) {
		t.Fatal("esc did not cancel")
	}
}

// A name with control characters is drawn sanitised while edited and
// only the typed part changes: the rest stays byte-exact.
func TestLocalRenameControlCharactersByteExact(t *testing.T) {
	dir := t.TempDir()
	name := "a\x1b[31mb.txt"
	writeFile(t, dir, name)
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, name)
	m = press(t, m, keyRunes("r"))
	if strings.Contains(m.View(), "\x1b[31m") {
		t.Fatal("the name's escape reached the screen")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnd}, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace},
		tea.KeyMsg{Type: tea.KeyBackspace})
	m = typeText(t, m, "md")
	m = press(t, m, enterKey)
	if !exists(filepath.Join(dir, "a\x1b[31mb.md")) {
		t.Fatalf("renamed wrongly: %q", statusText(m))
	}
}

// a makes a file (a directory when the name ends with /), A a directory.
func TestLocalCreate(t *testing.T) {
	dir := t.TempDir()
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes("a"))
	m = typeText(t, m, "notes.txt")
	m = press(t, m, enterKey)
	m = press(t, m, keyRunes("a"))
	m = typeText(t, m, "d1/")
	m = press(t, m, enterKey)
	m = press(t, m, keyRunes("A"))
	if !strings.Contains(m.View(), "new directory: ") {
		t.Fatalf("no prompt:\n%s", m.View())
	}
	m = typeText(t, m, "d2/sub")
	m = press(t, m, enterKey)
	if fi, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil || fi.IsDir() {
		t.Fatal("file not created")
	}
	for _, d := range []string{"d1", "d2/sub"} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Fatalf("%s not created", d)
		}
	}
	if cur, _ := m.local.Current(); cur.Name != "d2" {
		t.Fatalf("cursor on %q", cur.Name)
	}
	m = press(t, m, keyRunes("a"))
	m = typeText(t, m, "notes.txt")
	m = press(t, m, enterKey)
	if !strings.Contains(statusText(m), "notes.txt: already exists") {
		t.Fatalf("status %q", statusText(m))
	}
	// The field keeps the name: backspaces and a new end fix it.
	if !m.local.Typing() || !strings.Contains(lastLines(m.View(), 2), "new file (end with / for a directory): notes.txt") {
		t.Fatalf("the field closed after a refused name:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace})
	m = typeText(t, m, "md")
	m = press(t, m, enterKey)
	if !exists(filepath.Join(dir, "notes.md")) || m.local.Typing() {
		t.Fatalf("the fixed name was not created: %q", statusText(m))
	}
}

// d trashes the marked files into $XDG_DATA_HOME/Trash (a vanished one is
// named and the rest goes on); z puts them back, refusing one whose place
// was taken meanwhile.
func TestLocalTrashAndUndo(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, dir, n)
	}
	m, trash := opsModel(t, dir)
	m = press(t, m, keyRunes(" "), keyRunes(" "), keyRunes(" "))
	m = press(t, m, keyRunes("d"))
	if v := m.View(); !strings.Contains(v, "Move 3 items (a.txt, b.txt, c.txt) to the trash?") || !exists(filepath.Join(dir, "a.txt")) {
		t.Fatalf("d did not ask first:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}) // no: nothing moves, the marks stay
	if !exists(filepath.Join(dir, "a.txt")) || len(m.local.Selected()) != 3 {
		t.Fatalf("cancelled trash: a.txt there %v, %d marked", exists(filepath.Join(dir, "a.txt")), len(m.local.Selected()))
	}
	os.Remove(filepath.Join(dir, "c.txt")) // vanishes before the trash
	m = press(t, m, keyRunes("d"), keyRunes("y"))
	if exists(filepath.Join(dir, "a.txt")) || !exists(filepath.Join(trash, "files", "a.txt")) ||
		!exists(filepath.Join(trash, "info", "b.txt.trashinfo")) {
		t.Fatal("not trashed")
	}
	if !strings.Contains(statusText(m), "moved 2 items to the trash") || !strings.Contains(statusText(m), "c.txt: no longer exists") {
		t.Fatalf("status %q", statusText(m))
	}
	if f := localFooter(m); !strings.Contains(f, "│0 items ·") {
		t.Fatalf("listing: %q", f)
	}
	writeFile(t, dir, "b.txt") // takes b's place
	m = press(t, m, keyRunes("z"))
	if !exists(filepath.Join(dir, "a.txt")) || !exists(filepath.Join(trash, "files", "b.txt")) {
		t.Fatal("undo")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.txt")); string(b) != "b.txt" {
		t.Fatal("the new b.txt was replaced")
	}
	if !strings.Contains(statusText(m), "b.txt: not put back, something now exists") {
		t.Fatalf("status %q", statusText(m))
	}
}

// D asks, naming the count and the files, and deletes only on yes.
func TestLocalDeletePermanently(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "d"), 0o700)
	writeFile(t, dir, "d/in")
	writeFile(t, dir, "f")
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes(" "), keyRunes(" "), keyRunes("D"))
	if v := m.View(); !strings.Contains(v, "Delete 2 items permanently") || !strings.Contains(v, "(d, f)") {
		t.Fatalf("no question:\n%s", v)
	}
	m = press(t, m, keyRunes("n"))
	if !exists(filepath.Join(dir, "d", "in")) {
		t.Fatal("deleted on no")
	}
	m = press(t, m, keyRunes("D"), keyRunes("y"))
	if exists(filepath.Join(dir, "d")) || exists(filepath.Join(dir, "f")) {
		t.Fatalf("not deleted: %q", statusText(m))
	}
}

// y then p in another directory copies in the background; a taken name
// asks, and "rename" adds " (1)". x then p moves (one rename, undoable).
func TestLocalYankPasteConflict(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f.txt")
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.WriteFile(filepath.Join(dir, "sub", "f.txt"), []byte("old"), 0o600)
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "f.txt")
	m = press(t, m, keyRunes("y"))
	if !strings.Contains(m.local.View(), "1 yanked") || !strings.Contains(m.local.View(), "›+f.txt") {
		t.Fatalf("yank not shown:\n%s", m.local.View())
	}
	m = cursorTo(t, m, "sub")
	m = press(t, m, enterKey, keyRunes("p"))
	if !strings.Contains(m.View(), "f.txt already exists here") {
		t.Fatalf("no question:\n%s", m.View())
	}
	m = press(t, m, keyRunes("r"))
	m = waitJobs(t, m)
	if b, _ := os.ReadFile(filepath.Join(dir, "sub", "f (1).txt")); string(b) != "f.txt" {
		t.Fatal("not copied as f (1).txt")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "sub", "f.txt")); string(b) != "old" {
		t.Fatal("replaced")
	}
	if !m.showXfers || firstJob(m).Dir != transfer.Copy || !strings.Contains(m.transfers.View(), "⧉") {
		t.Fatal("the copy is not a transfers row")
	}
	// Cut and paste back in the parent: a rename, undone by z.
	m = cursorTo(t, m, "f (1).txt")
	m = press(t, m, keyRunes("x"), tea.KeyMsg{Type: tea.KeyBackspace}, keyRunes("p"))
	if !exists(filepath.Join(dir, "f (1).txt")) || exists(filepath.Join(dir, "sub", "f (1).txt")) {
		t.Fatalf("not moved: %q", statusText(m))
	}
	if f := localFooter(m); strings.Contains(f, " cut") {
		t.Fatalf("a cut stays yanked after the paste: %q", f)
	}
	m = press(t, m, keyRunes("z"))
	if !exists(filepath.Join(dir, "sub", "f (1).txt")) {
		t.Fatalf("move not undone: %q", statusText(m))
	}
}

// A cut pasted on another file system (the rename fails with EXDEV)
// becomes background copy-verify-delete jobs.
func TestLocalMoveAcrossDevices(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src", "tree"), 0o700)
	writeFile(t, dir, "src/tree/a")
	os.Mkdir(filepath.Join(dir, "dst"), 0o700)
	m, _ := opsModelWith(t, dir, options{rename: func(old, new string, _ bool) error {
		return &os.LinkError{Op: "rename", Old: old, New: new, Err: syscall.EXDEV}
	}})
	m = cursorTo(t, m, "src")
	m = press(t, m, enterKey, keyRunes("x"), tea.KeyMsg{Type: tea.KeyBackspace})
	m = cursorTo(t, m, "dst")
	m = press(t, m, enterKey, keyRunes("p"))
	m = waitJobs(t, m)
	if b, _ := os.ReadFile(filepath.Join(dir, "dst", "tree", "a")); string(b) != "src/tree/a" {
		t.Fatalf("not moved: %q", statusText(m))
	}
	if exists(filepath.Join(dir, "src", "tree")) {
		t.Fatal("source kept after a verified move")
	}
	s := m.engine.Snapshot()
	if s.Total.Done != 2 || s.Jobs[0].Dir != transfer.Move {
		t.Fatalf("%+v", s.Jobs)
	}
}

// A permission error names the file; the other files still go.
func TestLocalTrashPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "locked"), 0o700)
	writeFile(t, dir, "locked/in")
	writeFile(t, dir, "free")
	m, _ := opsModel(t, dir)
	os.Chmod(filepath.Join(dir, "locked"), 0o500)
	defer os.Chmod(filepath.Join(dir, "locked"), 0o700)
	m = press(t, m, keyRunes("l"))
	m = press(t, m, keyRunes("d"), keyRunes("y"))
	if !strings.Contains(statusText(m), "in: permission denied") {
		t.Fatalf("status %q", statusText(m))
	}
}

// With several taken names, "skip all" replaces nothing and "overwrite
// all" replaces every one; the question names the free " (1)" name.
func TestLocalPasteAnswerForAll(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "to"), 0o700)
	for _, n := range []string{"a", "b"} {
		writeFile(t, dir, n)
		os.WriteFile(filepath.Join(dir, "to", n), []byte("old"), 0o600)
	}
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "a")
	m = press(t, m, keyRunes(" "), keyRunes(" "), keyRunes("y"))
	m = cursorTo(t, m, "to")
	m = press(t, m, enterKey, keyRunes("p"))
	if v := m.View(); !strings.Contains(v, "rename to a (1)") || !strings.Contains(v, "skip all 2 taken") {
		t.Fatalf("question:\n%s", v)
	}
	m = press(t, m, keyRunes("S"))
	m = waitJobs(t, m)
	for _, n := range []string{"a", "b"} {
		if b, _ := os.ReadFile(filepath.Join(dir, "to", n)); string(b) != "old" {
			t.Fatalf("%s replaced after skip all", n)
		}
	}
	if !strings.Contains(statusText(m), "skipped 2 items") {
		t.Fatalf("status %q", statusText(m))
	}
	m = press(t, m, keyRunes("p"), keyRunes("O"))
	waitJobs(t, m)
	for _, n := range []string{"a", "b"} {
		if b, _ := os.ReadFile(filepath.Join(dir, "to", n)); string(b) != n {
			t.Fatalf("%s not replaced after overwrite all: %q", n, b)
		}
	}
}

// Quitting during a copy says what happens to it.
func TestQuitDuringCopySays(t *testing.T) {
	d := opsDeps(t, t.TempDir())
	eng := withEngine(&d, transfer.Options{})
	m := startModel(t, d)
	eng.canned = &transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", Dir: transfer.Copy, State: transfer.Running}},
		Total: transfer.Totals{Files: 1, Running: 1}}
	mm, _ := m.Update(transfers.TickMsg{})
	mm, _ = mm.Update(keyRunes("q"))
	if v := mm.(*Model).View(); !strings.Contains(v, "Copies and moves") {
		t.Fatalf("quit question:\n%s", v)
	}
}

// A click while a name is edited leaves the edited row where it is.
func TestLocalRenameIgnoresMouse(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a")
	writeFile(t, dir, "b")
	m, _ := opsModel(t, dir)
	m = press(t, m, keyRunes("r"))
	m.local.Update(uikit.MouseMsg{Button: tea.MouseButtonLeft, Y: 4}) // the row of b
	if cur, _ := m.local.Current(); cur.Name != "a" || !m.local.Typing() {
		t.Fatalf("cursor on %s, editing %v", cur.Name, m.local.Typing())
	}
}

// lastLines is the screen's last n lines.
func lastLines(v string, n int) string {
	lines := strings.Split(v, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
