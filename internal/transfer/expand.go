package transfer

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

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

// Expand walks paths: a file is itself, a directory every regular file
// below it, with its path relative to base as the store path (under
// prefix, the configured store path). What cannot be uploaded is listed
// with the reason. It reads the disk, so front ends call it off their
// event loop.
func Expand(paths []string, base, prefix string) []UploadFile {
	var out []UploadFile
	skip := func(p, storePath, why string) {
		out = append(out, UploadFile{Path: p, StorePath: storePath, Err: why})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		switch {
		case err != nil:
			skip(p, storePathFor(prefix, ""), text.FSError(err, true))
		case info.IsDir():
			out = expandDir(out, p, base, prefix)
		case info.Mode().IsRegular():
			out = append(out, UploadFile{Path: p, Size: info.Size(), StorePath: storePathFor(prefix, "")})
		default:
			skip(p, storePathFor(prefix, ""), "not a regular file")
		}
	}
	return out
}

// expandDir appends every file below dir.
func expandDir(out []UploadFile, dir, base, prefix string) []UploadFile {
	filepath.WalkDir(dir, func(fp string, d fs.DirEntry, err error) error {
		rel, rerr := filepath.Rel(base, fp)
		if rerr != nil {
			rel = filepath.Base(fp)
		}
		sp := storePathFor(prefix, filepath.ToSlash(rel))
		if err != nil {
			out = append(out, UploadFile{Path: fp, StorePath: sp, Err: text.FSError(err, true)})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := os.Stat(fp)
		switch {
		case err != nil:
			out = append(out, UploadFile{Path: fp, StorePath: sp, Err: text.FSError(err, true)})
		case !fi.Mode().IsRegular():
			out = append(out, UploadFile{Path: fp, StorePath: sp, Err: "not a regular file"})
		default:
			out = append(out, UploadFile{Path: fp, Size: fi.Size(), StorePath: sp})
		}
		return nil
	})
	return out
}

// storePathFor joins the configured prefix and a relative path; a lone
// prefix ending in "/" keeps Filestack's "folder" meaning.
func storePathFor(prefix, rel string) string {
	if rel == "" {
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
