// Package fsops does the local pane's file operations: renames and
// moves that never replace what they did not mean to, new files and
// directories, permanent deletes, the platform's trash with restore, and
// the expansion of a copy or move into transfer jobs. Nothing here
// follows a symbolic link for a delete, a move or a copy: a link is acted
// on as a link.
//
// It imports of fsdeck only internal/text and internal/transfer (whose jobs a
// copy or move becomes); never the interface, the commands, the store or the
// targets.
package fsops

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists says the destination of a rename, move or create is taken
// (nothing was replaced).
var ErrExists = fs.ErrExist

// Rename moves old to new only if nothing is at new. Where the kernel can
// refuse atomically (Linux renameat2 RENAME_NOREPLACE) it does; elsewhere
// a check just before the rename leaves only a tiny window.
func Rename(old, new string) error {
	if err := renameNoReplace(old, new); err != errNoAtomic {
		return err
	}
	if _, err := os.Lstat(new); err == nil {
		return &os.LinkError{Op: "rename", Old: old, New: new, Err: fs.ErrExist}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.Rename(old, new)
}

// errNoAtomic says the platform or file system cannot rename without
// replacing in one step.
var errNoAtomic = errors.New("no atomic no-replace rename here")

// IsCrossDevice reports a rename refused because old and new are on
// different file systems (a move must then copy and delete).
func IsCrossDevice(err error) bool { return isCrossDevice(err) }

// CreateFile makes a new empty file; it fails if path exists.
func CreateFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	return f.Close()
}

// Mkdir makes a new directory (with its missing parents, so "a/b/" works);
// it fails if path exists.
func Mkdir(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return &fs.PathError{Op: "mkdir", Path: path, Err: fs.ErrExist}
	}
	return os.MkdirAll(path, 0o777)
}

// RemoveAll deletes path for good. A symbolic link is removed, never what
// it points to (os.RemoveAll does not follow links).
func RemoveAll(path string) error {
	if _, err := os.Lstat(path); err != nil {
		return err
	}
	return os.RemoveAll(path)
}

// ValidName checks a name typed for a rename or a new file: one path
// element (a new directory may be "a/b"), not "." or "..".
func ValidName(name string, nested bool) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("the name is empty")
	case strings.ContainsRune(name, 0):
		return errors.New("the name contains a NUL byte")
	}
	parts := []string{name}
	if nested {
		parts = strings.Split(filepath.ToSlash(name), "/")
	} else if strings.ContainsAny(name, "/"+string(os.PathSeparator)) {
		return errors.New("the name contains a path separator")
	}
	for _, p := range parts {
		if p == "." || p == ".." {
			return fmt.Errorf("%q is not a name", p)
		}
	}
	if nested && filepath.IsAbs(name) {
		return errors.New("the name is an absolute path")
	}
	return nil
}

// FreeName returns name, or name with " (1)", " (2)"… before its
// extension, whichever is free in dir and not in taken.
func FreeName(dir, name string, taken map[string]bool) string {
	ext := filepath.Ext(name)
	if ext == name { // ".bashrc" has no extension to keep
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		c := fmt.Sprintf("%s (%d)%s", stem, i, ext)
		if taken[c] {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, c)); errors.Is(err, fs.ErrNotExist) {
			return c
		}
	}
}

// Inside reports whether path is dir or below it (after resolving links
// in both, so a link to an ancestor is seen through).
func Inside(path, dir string) bool {
	rp, err1 := filepath.EvalSymlinks(path)
	rd, err2 := filepath.EvalSymlinks(dir)
	if err1 != nil || err2 != nil {
		rp, rd = filepath.Clean(path), filepath.Clean(dir)
	}
	rel, err := filepath.Rel(rd, rp)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
