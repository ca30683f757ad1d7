package transfer

import (
	"errors"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsdeck/fsdeck/internal/text"
)

// UploadFile is one file an upload request expanded to. Err says why it
// cannot be uploaded (it vanished, is unreadable, is not a regular file);
// such a file still becomes a job, failed with that reason, so the warning
// outlasts a status line and Retry can try it again.
type UploadFile struct {
	Path      string
	StorePath string
	Size      int64
	Err       string
}

// Links says what a walk does with a symbolic link below the directory it
// walks (a path given to it is always followed).
type Links int

const (
	// SkipLinks skips every link, with the reason (rclone without -L).
	SkipLinks Links = iota
	// FileLinks follows links to regular files and skips the others.
	FileLinks
	// FollowLinks follows every link (rclone's -L); a link to a directory
	// that contains it (a loop) is skipped rather than walked again.
	FollowLinks
)

// WalkEntry is one thing a walk met: a regular file to upload, a file that
// could not be read (Err), or one skipped on purpose (Skip: not a regular
// file, a link not followed, a loop).
type WalkEntry struct {
	UploadFile
	// Rel is the path below the walked root, slash-separated (a root that
	// is a file: its base name); filters match it.
	Rel     string
	ModTime time.Time
	Skip    string
}

// Walk yields what is below root (a file is itself), each file with its
// path relative to base as its store path (under prefix, the configured
// store path), in lexical order, as it goes: nothing is gathered, so a
// tree of any size walks in the memory of one directory's names. It reads
// the disk, so front ends call it off their event loop.
func Walk(root, base, prefix string, links Links) iter.Seq[WalkEntry] {
	return func(yield func(WalkEntry) bool) {
		w := walker{base: base, prefix: prefix, links: links, yield: yield}
		info, err := os.Stat(root)
		switch {
		case err != nil:
			w.top = root
			w.emit(root, filepath.Base(root), WalkEntry{UploadFile: UploadFile{Err: text.FSError(err, true)}})
		case info.IsDir():
			w.dir(root, "", []os.FileInfo{info})
		default:
			w.top = root
			w.file(root, filepath.Base(root), info)
		}
	}
}

// walker is one Walk's state; stopped is set once yield said stop.
type walker struct {
	base, prefix string
	links        Links
	yield        func(WalkEntry) bool
	stopped      bool
	// top is the root when it is not a directory: its store path is the
	// prefix alone (a file named on its own gets the name the server
	// gives, or the folder's).
	top string
}

// emit yields e for the file at p (rel below the root), with its store
// path.
func (w *walker) emit(p, rel string, e WalkEntry) bool {
	if w.stopped {
		return false
	}
	relBase, err := filepath.Rel(w.base, p)
	if err != nil {
		relBase = filepath.Base(p)
	}
	if p == w.top {
		relBase = ""
	}
	e.Path, e.Rel, e.StorePath = p, rel, storePathFor(w.prefix, filepath.ToSlash(relBase))
	if !w.yield(e) {
		w.stopped = true
	}
	return !w.stopped
}

// file yields a file met with info (Stat's, that is after links).
func (w *walker) file(p, rel string, info os.FileInfo) bool {
	if !info.Mode().IsRegular() {
		return w.emit(p, rel, WalkEntry{Skip: notRegular(info.Mode())})
	}
	return w.emit(p, rel, WalkEntry{UploadFile: UploadFile{Size: info.Size()}, ModTime: info.ModTime()})
}

// dir walks directory p (rel below the root); up are the directories it
// is in, itself last, to tell a loop.
func (w *walker) dir(p, rel string, up []os.FileInfo) bool {
	ents, err := os.ReadDir(p)
	for _, d := range ents {
		cp, crel := filepath.Join(p, d.Name()), path.Join(rel, d.Name())
		if !w.entry(cp, crel, d, up) {
			return false
		}
	}
	if err != nil {
		// What could be read went; the directory itself is the failure.
		return w.emit(p, rel, WalkEntry{UploadFile: UploadFile{Err: text.FSError(err, true)}})
	}
	return !w.stopped
}

// entry handles one directory entry.
func (w *walker) entry(p, rel string, d fs.DirEntry, up []os.FileInfo) bool {
	if d.Type()&fs.ModeSymlink != 0 {
		return w.link(p, rel, up)
	}
	info, err := d.Info()
	if err != nil {
		return w.emit(p, rel, WalkEntry{UploadFile: UploadFile{Err: text.FSError(err, true)}})
	}
	if info.IsDir() {
		return w.dir(p, rel, append(up, info))
	}
	return w.file(p, rel, info)
}

// link handles a symbolic link as w.links says.
func (w *walker) link(p, rel string, up []os.FileInfo) bool {
	info, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return w.emit(p, rel, WalkEntry{Skip: "a dangling symbolic link" + linkTarget(p) + ", whose target does not exist"})
	case err != nil:
		return w.emit(p, rel, WalkEntry{Skip: "a symbolic link" + linkTarget(p) + " that cannot be followed: " + text.FSError(err, false)})
	case w.links == FollowLinks && info.IsDir():
		for _, a := range up {
			if os.SameFile(a, info) {
				return w.emit(p, rel, WalkEntry{Skip: "a symbolic link" + linkTarget(p) + " to a directory it is in (a loop), not followed"})
			}
		}
		return w.dir(p, rel, append(up, info))
	case w.links == FollowLinks, w.links == FileLinks && info.Mode().IsRegular():
		return w.file(p, rel, info)
	}
	// The commands' --links follows them; the interface has no such
	// switch, so its jobs say only what the file is.
	hint := ""
	if w.links == SkipLinks {
		hint = " (--links follows links)"
	}
	if info.IsDir() {
		return w.emit(p, rel, WalkEntry{Skip: "a symbolic link" + linkTarget(p) + " to a directory" + hint})
	}
	return w.emit(p, rel, WalkEntry{Skip: "a symbolic link" + linkTarget(p) + hint})
}

// linkTarget is " to TARGET" for the link at p, sanitised, or "".
func linkTarget(p string) string {
	t, err := os.Readlink(p)
	if err != nil {
		return ""
	}
	return " (→ " + text.Sanitize(t) + ")"
}

// notRegular names what a file that is not regular is.
func notRegular(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		return "a socket, not a regular file"
	case m&fs.ModeDevice != 0:
		return "a device, not a regular file"
	case m.IsDir():
		return "a directory"
	}
	return "not a regular file"
}

// Expand walks paths: a file is itself, a directory every regular file
// below it, with its path relative to base as the store path (under
// prefix, the configured store path). Links to regular files are
// followed; what cannot be uploaded (a link to a directory, a dangling
// link, a FIFO, an unreadable file) is listed with the reason. It reads
// the disk, so front ends call it off their event loop.
func Expand(paths []string, base, prefix string) []UploadFile {
	var out []UploadFile
	for _, p := range paths {
		for e := range Walk(p, base, prefix, FileLinks) {
			if e.Skip != "" {
				e.Err = e.Skip
			}
			out = append(out, e.UploadFile)
		}
	}
	return out
}

// storePathFor joins the configured prefix and a relative path; a lone
// prefix ending in "/" keeps Filestack's "folder" meaning.
func storePathFor(prefix, rel string) string {
	if rel == "" || rel == "." {
		return prefix
	}
	if prefix == "" {
		return rel
	}
	return path.Join(strings.TrimSuffix(prefix, "/"), rel)
}

// displayName is what a job is called: its store path when that names the
// file, else the file's base name.
func displayName(f UploadFile) string {
	if f.StorePath != "" && !strings.HasSuffix(f.StorePath, "/") {
		return f.StorePath
	}
	return filepath.Base(f.Path)
}
