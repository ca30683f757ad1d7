//go:build unix && !darwin

package fsops

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var when = time.Date(2026, 11, 30, 9, 5, 7, 0, time.Local)

// testTrash keeps its trash in a temp XDG_DATA_HOME.
func testTrash(t *testing.T) (Trash, string) {
	t.Helper()
	data := t.TempDir()
	env := map[string]string{"XDG_DATA_HOME": data, "HOME": "/nonexistent"}
	return NewTrash(func(k string) string { return env[k] }, func() time.Time { return when }), filepath.Join(data, "Trash")
}

func TestTrashFollowsTheFreedesktopSpec(t *testing.T) {
	tr, home := testTrash(t)
	dir := t.TempDir()
	name := "a b%\x01.txt" // a space, a percent sign and a control character
	path := filepath.Join(dir, name)
	os.WriteFile(path, []byte("data"), 0o600)
	x, err := tr.Put(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the file is still in place")
	}
	if x.Stored != filepath.Join(home, "files", name) || x.Info != filepath.Join(home, "info", name+".trashinfo") {
		t.Fatalf("stored %q info %q", x.Stored, x.Info)
	}
	if b, _ := os.ReadFile(x.Stored); string(b) != "data" {
		t.Fatalf("trashed content %q", b)
	}
	info, _ := os.ReadFile(x.Info)
	want := "[Trash Info]\nPath=" + strings.ReplaceAll(dir, " ", "%20") + "/a%20b%25%01.txt\nDeletionDate=2026-11-30T09:05:07\n"
	if string(info) != want {
		t.Fatalf("trashinfo\n%q\nwant\n%q", info, want)
	}
	// A second item of the same name gets a unique one.
	os.WriteFile(path, []byte("two"), 0o600)
	y, err := tr.Put(path)
	if err != nil || y.Stored == x.Stored || filepath.Base(y.Info) != filepath.Base(y.Stored)+".trashinfo" {
		t.Fatalf("second item: %+v, %v", y, err)
	}
	// Restore refuses while something is at the original place, then works.
	os.WriteFile(path, []byte("new"), 0o600)
	if err := tr.Restore(x); !errors.Is(err, ErrExists) {
		t.Fatalf("restore over a file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatal("restore replaced the new file")
	}
	os.Remove(path)
	if err := tr.Restore(x); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "data" {
		t.Fatalf("restored %q", b)
	}
	if _, err := os.Stat(x.Info); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the trashinfo stayed after restore")
	}
}

// A link is trashed as a link: its target stays untouched.
func TestTrashSymlinkNotFollowed(t *testing.T) {
	tr, _ := testTrash(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.Mkdir(target, 0o700)
	os.WriteFile(filepath.Join(target, "keep"), []byte("k"), 0o600)
	link := filepath.Join(dir, "link")
	os.Symlink(target, link)
	x, err := tr.Put(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(x.Stored); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("trashed item is not the link: %v", err)
	}
	if _, err := os.Stat(filepath.Join(target, "keep")); err != nil {
		t.Fatal("the link's target was touched")
	}
}

// A file on another file system goes to that volume's .Trash-$uid, with a
// Path relative to the volume's top directory.
func TestTrashOnAnotherVolume(t *testing.T) {
	tr, home := testTrash(t)
	vol := t.TempDir()
	tr.device = func(p string) (uint64, error) {
		if p == vol || strings.HasPrefix(p, vol+"/") {
			return 2, nil
		}
		return 1, nil
	}
	os.MkdirAll(filepath.Join(vol, "sub"), 0o700)
	path := filepath.Join(vol, "sub", "f.txt")
	os.WriteFile(path, []byte("v"), 0o600)
	x, err := tr.Put(path)
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(vol, ".Trash-"+strconv.Itoa(os.Getuid()))
	if filepath.Dir(filepath.Dir(x.Stored)) != want {
		t.Fatalf("stored in %s, want under %s", x.Stored, want)
	}
	if info, _ := os.ReadFile(x.Info); !strings.Contains(string(info), "\nPath=sub/f.txt\n") {
		t.Fatalf("trashinfo %q", info)
	}
	if _, err := os.Stat(home); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(filepath.Join(home, "files")); len(ents) != 0 {
		t.Fatal("the home trash got the file")
	}
	// With a sticky .Trash on the volume, $topdir/.Trash/$uid is used.
	os.Mkdir(filepath.Join(vol, ".Trash"), 0o777|os.ModeSticky)
	os.Chmod(filepath.Join(vol, ".Trash"), 0o777|os.ModeSticky)
	os.WriteFile(path, []byte("w"), 0o600)
	y, err := tr.Put(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(vol, ".Trash", strconv.Itoa(os.Getuid()), "files", "f.txt"); y.Stored != want {
		t.Fatalf("stored %s, want %s", y.Stored, want)
	}
}
