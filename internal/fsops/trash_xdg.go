//go:build unix && !darwin

package fsops

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/fsdeck/fsdeck/internal/text"
)

// put follows the freedesktop.org trash spec: the home trash when the
// item is on its file system, else the volume's own trash.
func (t Trash) put(abs string) (Trashed, error) {
	dir, infoPath, err := t.trashFor(abs)
	if err != nil {
		return Trashed{}, err
	}
	for _, sub := range []string{"files", "info"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return Trashed{}, fmt.Errorf("cannot use the trash %s: %w", dir, err)
		}
	}
	info := "[Trash Info]\nPath=" + encodePath(infoPath) + "\nDeletionDate=" + t.now().Format("2006-01-02T15:04:05") + "\n"
	name, infoFile, err := reserve(dir, filepath.Base(abs), info)
	if err != nil {
		return Trashed{}, err
	}
	stored := filepath.Join(dir, "files", name)
	if err := Rename(abs, stored); err != nil {
		os.Remove(infoFile)
		if IsCrossDevice(err) {
			// Same device number, different mounts (a bind mount): the
			// spec's volume trash cannot be found from st_dev.
			return Trashed{}, fmt.Errorf("the trash %s is on another mount; delete permanently instead", dir)
		}
		return Trashed{}, err
	}
	return Trashed{Original: abs, Stored: stored, Info: infoFile}, nil
}

// trashFor picks the trash directory for abs and the Path its .trashinfo
// records (absolute in the home trash, relative to the volume's top
// directory in a volume's trash, as the spec allows).
func (t Trash) trashFor(abs string) (dir, infoPath string, err error) {
	home := t.homeTrash()
	if home == "" {
		return "", "", errors.New("no home directory to keep a trash in")
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return "", "", fmt.Errorf("cannot make the trash %s: %w", home, err)
	}
	fileDev, err := t.device(filepath.Dir(abs))
	if err != nil {
		return "", "", err
	}
	if homeDev, err := t.device(home); err == nil && homeDev == fileDev {
		return home, abs, nil
	}
	top := t.topDir(abs, fileDev)
	dir, err = volumeTrash(top)
	if err != nil {
		return "", "", err
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		return "", "", err
	}
	return dir, rel, nil
}

// homeTrash is $XDG_DATA_HOME/Trash, by default ~/.local/share/Trash.
func (t Trash) homeTrash() string {
	if d := t.getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "Trash")
	}
	if h := t.getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "Trash")
	}
	return ""
}

// topDir is the mount point of abs: the highest ancestor on its device.
func (t Trash) topDir(abs string, dev uint64) string {
	top := filepath.Dir(abs)
	for {
		parent := filepath.Dir(top)
		if parent == top {
			return top
		}
		if d, err := t.device(parent); err != nil || d != dev {
			return top
		}
		top = parent
	}
}

// volumeTrash is $topdir/.Trash/$uid when the administrator made .Trash
// (a real directory with the sticky bit, as the spec requires so users
// cannot touch each other's), else $topdir/.Trash-$uid.
func volumeTrash(top string) (string, error) {
	uid := strconv.Itoa(os.Getuid())
	shared := filepath.Join(top, ".Trash")
	if fi, err := os.Lstat(shared); err == nil && fi.IsDir() && fi.Mode()&fs.ModeSticky != 0 {
		dir := filepath.Join(shared, uid)
		if err := os.MkdirAll(dir, 0o700); err == nil {
			return dir, nil
		}
	}
	dir := filepath.Join(top, ".Trash-"+uid)
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("this volume has no usable trash (%s: %s); delete permanently instead", dir, text.FSError(err, true))
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || (ok && int(st.Uid) != os.Getuid()) {
		return "", fmt.Errorf("%s is not a trash directory of yours; delete permanently instead", dir)
	}
	return dir, nil
}

// reserve creates info/NAME.trashinfo exclusively (the spec's way to
// claim a name), NAME being base or base.2, base.3… when taken.
func reserve(dir, base, info string) (name, infoFile string, err error) {
	for i := 1; i < 10000; i++ {
		name = base
		if i > 1 {
			name = base + "." + strconv.Itoa(i)
		}
		if _, err := os.Lstat(filepath.Join(dir, "files", name)); err == nil {
			continue
		}
		infoFile = filepath.Join(dir, "info", name+".trashinfo")
		f, err := os.OpenFile(infoFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		_, werr := f.WriteString(info)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(infoFile)
			return "", "", werr
		}
		return name, infoFile, nil
	}
	return "", "", errors.New("the trash has too many items of this name")
}

// encodePath URL-encodes each element (the spec's Path is an RFC 2396
// escaped path): control characters, spaces and non-UTF-8 bytes become
// %XX, slashes stay.
func encodePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// deviceOf is the file system a path is on.
func deviceOf(path string) (uint64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, errors.New("no device number")
	}
	return uint64(st.Dev), nil //nolint:unconvert // int32 on some BSDs
}
