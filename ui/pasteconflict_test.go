package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// The paste-conflict question shows the size and modification time of the
// file already there and of the pasted one, and which is newer and larger.
func TestPasteConflictShowsSizesAndTimes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte("the new text"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	if err := os.WriteFile(filepath.Join(dir, "sub", "f.txt"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	older, newer := fixedNow.Add(-3*time.Hour), fixedNow.Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "sub", "f.txt"), older, older)
	os.Chtimes(filepath.Join(dir, "f.txt"), newer, newer)
	m, _ := opsModel(t, dir)
	m = cursorTo(t, m, "f.txt")
	m = press(t, m, keyRunes("y"))
	m = cursorTo(t, m, "sub")
	m = press(t, m, enterKey, keyRunes("p"))
	v := ansi.Strip(m.View())
	want := "existing 3 B, " + lsTime(older) + " · pasted 12 B, " + lsTime(newer) + " (newer, larger)"
	if !strings.Contains(v, "f.txt already exists here") || !strings.Contains(v, want) {
		t.Fatalf("want %q in the question:\n%s", want, v)
	}
	// Answering still works: skip leaves the old file.
	m = press(t, m, keyRunes("s"))
	waitJobs(t, m)
	if b, _ := os.ReadFile(filepath.Join(dir, "sub", "f.txt")); string(b) != "old" {
		t.Fatal("skip replaced the file")
	}
}

// lsTime is how the question writes t (ls-style, in the local zone).
func lsTime(t time.Time) string { return t.Local().Format("Jan _2 15:04") }
