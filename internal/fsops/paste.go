package fsops

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// Choice is what to do with one source of a paste.
type Choice int

// Choices. Ask means the destination is taken and the person has not
// answered yet; Keep is a free destination.
const (
	Keep Choice = iota
	Ask
	Overwrite
	Skip
	RenameFree
)

// PasteItem is one source of a paste and where it goes.
type PasteItem struct {
	Src, Dst string
	// IsDir is a real directory (a link to one is not).
	IsDir  bool
	Choice Choice
	// Free is the " (1)" name a rename would take now (for the question;
	// Apply picks again, as names may be taken meanwhile).
	Free string
	// Err is why this source cannot be pasted (it vanished, a directory
	// into itself); it is reported and the rest goes on.
	Err string
	// SrcInfo and DstInfo are what Lstat said of the source and, for a
	// taken destination (Ask), of the file already there: the question
	// shows both sizes and modification times.
	SrcInfo, DstInfo fs.FileInfo
}

// PlanPaste looks at each source and its destination in dir: free, taken
// (Ask), or the source itself (a copy in the same directory gets a free
// " (1)" name; a cut there is nothing to do).
func PlanPaste(srcs []string, dir string, cut bool) []PasteItem {
	out := make([]PasteItem, 0, len(srcs))
	for _, src := range srcs {
		it := PasteItem{Src: src, Dst: filepath.Join(dir, filepath.Base(src))}
		fi, err := os.Lstat(src)
		switch {
		case err != nil:
			it.Err = text.FSError(err, true)
		case fi.IsDir() && Inside(dir, src):
			it.Err = "cannot paste a directory into itself"
		default:
			it.IsDir, it.SrcInfo = fi.IsDir(), fi
			it.Choice = destChoice(it.Src, it.Dst, cut)
			if it.Choice == Ask {
				it.Free = FreeName(dir, filepath.Base(src), nil)
				if dfi, err := os.Lstat(it.Dst); err == nil {
					it.DstInfo = dfi
				}
			}
		}
		out = append(out, it)
	}
	return out
}

// destChoice is Keep for a free destination, Ask for a taken one.
func destChoice(src, dst string, cut bool) Choice {
	if filepath.Clean(src) == filepath.Clean(dst) {
		if cut {
			return Skip
		}
		return RenameFree
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return Keep
	}
	return Ask
}

// Moved is one source a paste moved by renaming it (undo renames it back).
type Moved struct{ From, To string }

// Pasted is what a paste did at once and what it leaves to the engine.
type Pasted struct {
	// Jobs are copies (and moves across file systems) for the engine.
	Jobs []transfer.LocalItem
	// Moved were renamed in place; Replaced says a move replaced
	// something (it cannot be undone).
	Moved    []Moved
	Replaced bool
	// Errs name each source that failed, with why.
	Errs []string
	// Skipped counts sources left alone.
	Skipped int
}

// Paster applies a paste. Rename is how a cut moves within a file system
// (tests inject a failing one to see a move across file systems).
type Paster struct {
	Rename func(old, new string, replace bool) error
}

// NewPaster renames with Rename, or os.Rename when the person chose to
// replace.
func NewPaster() Paster {
	return Paster{Rename: func(old, new string, replace bool) error {
		if replace {
			return os.Rename(old, new)
		}
		return Rename(old, new)
	}}
}

// Apply carries out the answered items: a cut renames (or queues a
// verified copy-then-delete when the rename crosses file systems), a copy
// queues jobs. Nothing is replaced unless its item says Overwrite.
func (p Paster) Apply(items []PasteItem, dir string, cut bool) Pasted {
	var out Pasted
	taken := map[string]bool{}
	for _, it := range items {
		if it.Err != "" {
			out.Errs = append(out.Errs, filepath.Base(it.Src)+": "+it.Err)
			continue
		}
		if it.Choice == Skip || it.Choice == Ask {
			out.Skipped++
			continue
		}
		if it.Choice == RenameFree {
			name := FreeName(dir, filepath.Base(it.Src), taken)
			taken[name] = true
			it.Dst = filepath.Join(dir, name)
		}
		if err := p.one(it, cut, &out); err != nil {
			out.Errs = append(out.Errs, filepath.Base(it.Src)+": "+err.Error())
		}
	}
	return out
}

func (p Paster) one(it PasteItem, cut bool, out *Pasted) error {
	src, err := os.Lstat(it.Src)
	if err != nil {
		return errors.New(text.FSError(err, true))
	}
	overwrite := it.Choice == Overwrite
	dst, derr := os.Lstat(it.Dst)
	if overwrite && derr == nil && dst.IsDir() != src.IsDir() {
		return fmt.Errorf("cannot overwrite a %s with a %s", kindWord(dst), kindWord(src))
	}
	merge := overwrite && derr == nil && dst.IsDir()
	if cut && !merge {
		err := p.Rename(it.Src, it.Dst, overwrite)
		if err == nil {
			out.Moved = append(out.Moved, Moved{From: it.Src, To: it.Dst})
			out.Replaced = out.Replaced || (overwrite && derr == nil)
			return nil
		}
		if !IsCrossDevice(err) {
			return errors.New(text.FSError(err, true))
		}
	}
	jobs, err := Expand(it.Src, it.Dst, overwrite, cut)
	if err != nil {
		return errors.New(text.FSError(err, true))
	}
	out.Jobs = append(out.Jobs, jobs...)
	return nil
}

func kindWord(fi fs.FileInfo) string {
	if fi.IsDir() {
		return "directory"
	}
	return "file"
}

// Expand walks src without following links into the entries of a copy
// (or, with move, a verified copy-then-delete) to dst. Directories come
// before what they hold; an unreadable directory or an entry that is not
// a file, directory or link becomes an entry that fails with the reason.
func Expand(src, dst string, overwrite, move bool) ([]transfer.LocalItem, error) {
	if _, err := os.Lstat(src); err != nil {
		return nil, err
	}
	var out []transfer.LocalItem
	root := ""
	if move {
		root = src
	}
	base := filepath.Base(dst)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, werr error) error {
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		it := transfer.LocalItem{Src: path, Dst: filepath.Join(dst, rel), Name: filepath.Join(base, rel), Overwrite: overwrite, Root: root}
		if werr != nil {
			it.Err = "cannot read: " + text.FSError(werr, true)
			out = append(out, it)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			it.Err = "cannot read: " + text.FSError(err, true)
			out = append(out, it)
			return nil
		}
		it.Mode, it.ModTime = info.Mode(), info.ModTime()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			it.Kind = transfer.LocalLink
		case info.IsDir():
			it.Kind = transfer.LocalDir
		case info.Mode().IsRegular():
			it.Kind, it.Size = transfer.LocalFile, info.Size()
		default:
			it.Err = "not a file, directory or link (skipped)"
		}
		out = append(out, it)
		return nil
	})
	return out, err
}
