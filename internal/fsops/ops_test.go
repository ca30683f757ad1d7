package fsops

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRenameNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(a, []byte("a"), 0o600)
	os.WriteFile(b, []byte("b"), 0o600)
	if err := Rename(a, b); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("rename onto a file: %v", err)
	}
	if got, _ := os.ReadFile(b); string(got) != "b" {
		t.Fatal("b was replaced")
	}
	if err := Rename(a, filepath.Join(dir, "c")); err != nil {
		t.Fatal(err)
	}
}

func TestFreeNameAndValidName(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x (1).txt"), nil, 0o600)
	if got := FreeName(dir, "x.txt", nil); got != "x (2).txt" {
		t.Fatalf("FreeName %q", got)
	}
	if got := FreeName(dir, "x.txt", map[string]bool{"x (2).txt": true}); got != "x (3).txt" {
		t.Fatalf("FreeName with taken %q", got)
	}
	if got := FreeName(dir, ".bashrc", nil); got != ".bashrc (1)" {
		t.Fatalf("FreeName dotfile %q", got)
	}
	for _, bad := range []string{"", " ", "a/b", "..", "."} {
		if ValidName(bad, false) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if ValidName("a/b", true) != nil || ValidName("a/../b", true) == nil || ValidName("/abs", true) == nil {
		t.Error("nested names")
	}
}

func TestCreateAndMkdirRefuseTaken(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	if err := CreateFile(f); err != nil {
		t.Fatal(err)
	}
	if err := CreateFile(f); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second create: %v", err)
	}
	if err := Mkdir(f); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("mkdir over a file: %v", err)
	}
	if err := Mkdir(filepath.Join(dir, "a", "b")); err != nil {
		t.Fatal(err)
	}
}

// A permanent delete of a link removes the link, not its target's files.
func TestRemoveAllKeepsLinkTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "t")
	os.Mkdir(target, 0o700)
	os.WriteFile(filepath.Join(target, "keep"), nil, 0o600)
	link := filepath.Join(dir, "l")
	os.Symlink(target, link)
	if err := RemoveAll(link); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "keep")); err != nil {
		t.Fatal("target emptied")
	}
	if err := RemoveAll(link); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("vanished: %v", err)
	}
}
