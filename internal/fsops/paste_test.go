package fsops

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// run queues jobs on a fresh engine and waits until none is left to run.
func run(t *testing.T, move bool, jobs []transfer.LocalItem) transfer.Snapshot {
	t.Helper()
	eng := transfer.New(context.Background(), transfer.Options{})
	defer eng.Shutdown(time.Second)
	if len(jobs) > 0 {
		if _, err := eng.AddLocal("paste", move, jobs); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		// Summary is cheap with 10,000 jobs; Snapshot copies them all.
		if s := eng.Summary(); s.Total.Running+s.Total.Queued == 0 {
			return eng.Snapshot()
		}
		if time.Now().After(deadline) {
			t.Fatal("local jobs did not finish")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(data), 0o640); err != nil {
		t.Fatal(err)
	}
}

func read(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func choose(items []PasteItem, c Choice) []PasteItem {
	for i := range items {
		if items[i].Choice == Ask {
			items[i].Choice = c
		}
	}
	return items
}

// Copying a tree copies files, empty directories and links (as links),
// keeps modes, and never replaces a taken name unless told to.
func TestCopyTreeWithConflicts(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, filepath.Join(src, "d", "a.txt"), "A")
	write(t, filepath.Join(src, "d", "sub", "b.txt"), "B")
	os.Mkdir(filepath.Join(src, "d", "empty"), 0o700)
	os.Symlink("a.txt", filepath.Join(src, "d", "ln"))
	write(t, filepath.Join(src, "f.txt"), "F")
	write(t, filepath.Join(dst, "f.txt"), "old")

	items := PlanPaste([]string{filepath.Join(src, "d"), filepath.Join(src, "f.txt")}, dst, false)
	if items[0].Choice != Keep || items[1].Choice != Ask {
		t.Fatalf("choices %+v", items)
	}
	// Unanswered conflicts are skipped, never replaced.
	p := NewPaster().Apply(items, dst, false)
	snap := run(t, false, p.Jobs)
	if snap.Total.Failed != 0 || p.Skipped != 1 {
		t.Fatalf("failed %d skipped %d: %+v", snap.Total.Failed, p.Skipped, snap.Jobs)
	}
	if read(filepath.Join(dst, "f.txt")) != "old" || read(filepath.Join(dst, "d", "sub", "b.txt")) != "B" {
		t.Fatal("copy wrong")
	}
	if fi, err := os.Stat(filepath.Join(dst, "d", "empty")); err != nil || !fi.IsDir() {
		t.Fatal("empty directory not copied")
	}
	if target, err := os.Readlink(filepath.Join(dst, "d", "ln")); err != nil || target != "a.txt" {
		t.Fatalf("link copied as %q, %v", target, err)
	}
	if fi, _ := os.Stat(filepath.Join(dst, "d", "a.txt")); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v", fi.Mode())
	}
	// Rename gives " (1)", overwrite replaces.
	items = choose(PlanPaste([]string{filepath.Join(src, "f.txt")}, dst, false), RenameFree)
	run(t, false, NewPaster().Apply(items, dst, false).Jobs)
	if read(filepath.Join(dst, "f (1).txt")) != "F" || read(filepath.Join(dst, "f.txt")) != "old" {
		t.Fatal("rename with (1)")
	}
	items = choose(PlanPaste([]string{filepath.Join(src, "f.txt")}, dst, false), Overwrite)
	run(t, false, NewPaster().Apply(items, dst, false).Jobs)
	if read(filepath.Join(dst, "f.txt")) != "F" {
		t.Fatal("overwrite")
	}
	// A copy into the same directory gets a free name by itself.
	items = PlanPaste([]string{filepath.Join(src, "f.txt")}, src, false)
	run(t, false, NewPaster().Apply(items, src, false).Jobs)
	if read(filepath.Join(src, "f (1).txt")) != "F" {
		t.Fatal("copy beside itself")
	}
	// Only a temp-free destination: no .fsdeck-copy- file is left.
	ents, _ := os.ReadDir(dst)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".fsdeck-copy-") {
			t.Fatalf("left %s", e.Name())
		}
	}
}

// A file created at the destination after the question is never replaced.
func TestCopyNeverReplacesUnasked(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, filepath.Join(src, "f"), "new")
	items := PlanPaste([]string{filepath.Join(src, "f")}, dst, false)
	jobs := NewPaster().Apply(items, dst, false).Jobs
	write(t, filepath.Join(dst, "f"), "mine")
	snap := run(t, false, jobs)
	if snap.Total.Failed != 1 || !strings.Contains(snap.Jobs[0].Err, "already exists") {
		t.Fatalf("%+v", snap.Jobs)
	}
	if read(filepath.Join(dst, "f")) != "mine" {
		t.Fatal("replaced")
	}
}

func TestPasteRefusesDirectoryIntoItselfAndVanished(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "d", "in"), 0o700)
	items := PlanPaste([]string{filepath.Join(dir, "d"), filepath.Join(dir, "gone")}, filepath.Join(dir, "d", "in"), false)
	if items[0].Err != "cannot paste a directory into itself" || items[1].Err != "no longer exists" {
		t.Fatalf("%+v", items)
	}
	p := NewPaster().Apply(items, filepath.Join(dir, "d", "in"), false)
	if len(p.Errs) != 2 || len(p.Jobs) != 0 {
		t.Fatalf("%+v", p)
	}
}

// A cut within a file system renames; across file systems (the rename
// fails with EXDEV) it copies, verifies and removes the source, links as
// links, leaving no empty source directory behind.
func TestMoveAcrossFileSystems(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	write(t, filepath.Join(src, "d", "a.txt"), "A")
	write(t, filepath.Join(src, "d", "sub", "b.txt"), "B")
	os.Symlink("/nonexistent/target", filepath.Join(src, "d", "dangling"))
	p := Paster{Rename: func(old, new string, _ bool) error {
		return &os.LinkError{Op: "rename", Old: old, New: new, Err: syscall.EXDEV}
	}}
	got := p.Apply(PlanPaste([]string{filepath.Join(src, "d")}, dst, true), dst, true)
	if len(got.Moved) != 0 || len(got.Jobs) != 5 {
		t.Fatalf("%+v", got)
	}
	snap := run(t, true, got.Jobs)
	if snap.Total.Done != 5 {
		t.Fatalf("%+v", snap.Jobs)
	}
	if read(filepath.Join(dst, "d", "sub", "b.txt")) != "B" || read(filepath.Join(dst, "d", "a.txt")) != "A" {
		t.Fatal("content")
	}
	if target, _ := os.Readlink(filepath.Join(dst, "d", "dangling")); target != "/nonexistent/target" {
		t.Fatalf("link %q", target)
	}
	if _, err := os.Lstat(filepath.Join(src, "d")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("source left: %v", err)
	}
	// Within a file system it is one rename, recorded for undo.
	write(t, filepath.Join(src, "e"), "E")
	got = NewPaster().Apply(PlanPaste([]string{filepath.Join(src, "e")}, dst, true), dst, true)
	if len(got.Jobs) != 0 || len(got.Moved) != 1 || read(filepath.Join(dst, "e")) != "E" {
		t.Fatalf("%+v", got)
	}
}

// A move whose copy cannot be made keeps the source.
func TestMoveFailureKeepsSource(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file modes")
	}
	src, dst := t.TempDir(), t.TempDir()
	write(t, filepath.Join(src, "ok"), "1")
	write(t, filepath.Join(src, "locked"), "2")
	os.Chmod(filepath.Join(src, "locked"), 0)
	defer os.Chmod(filepath.Join(src, "locked"), 0o600)
	p := Paster{Rename: func(old, new string, _ bool) error { return &os.LinkError{Err: syscall.EXDEV} }}
	got := p.Apply(PlanPaste([]string{filepath.Join(src, "ok"), filepath.Join(src, "locked")}, dst, true), dst, true)
	snap := run(t, true, got.Jobs)
	if snap.Total.Done != 1 || snap.Total.Failed != 1 {
		t.Fatalf("%+v", snap.Jobs)
	}
	for _, j := range snap.Jobs {
		if j.State == transfer.Failed && j.Err != "cannot read the source: permission denied" {
			t.Fatalf("error %q", j.Err)
		}
	}
	if _, err := os.Lstat(filepath.Join(src, "locked")); err != nil {
		t.Fatal("the source of a failed move is gone")
	}
}

// Names are handled byte-exact, control characters included.
func TestCopyControlCharacterName(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	name := "evil\x1b[31m\nname"
	write(t, filepath.Join(src, name), "x")
	snap := run(t, false, NewPaster().Apply(PlanPaste([]string{filepath.Join(src, name)}, dst, false), dst, false).Jobs)
	if snap.Total.Done != 1 || read(filepath.Join(dst, name)) != "x" {
		t.Fatalf("%+v", snap.Jobs)
	}
}
