package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// planUpload checks every path, expands directories, and yields, in the
// order of the arguments, the files to upload, the journaled uploads to
// resume and the results known at once (refused paths, --skip-existing
// matches), as it walks: nothing is gathered, so the command holds only
// what the queue's window holds (runQueue). A bad path never stops the
// rest. A journaled upload given other store options now is forgotten as
// it comes (not with --dry-run), with a note, and its file sent anew.
func planUpload(ctx context.Context, s *session, eng *transfer.Engine, f *uploadOptions, paths []string) (iter.Seq[queueItem], error) {
	prefix := or(f.storePath, s.Config.Store.Path)
	unfinished, err := eng.Unfinished(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the upload journal: %w", err)
	}
	journal := make(map[string]transfer.JournalJob, len(unfinished))
	for _, j := range unfinished {
		journal[j.LocalPath] = j
	}
	overlap := pathsOverlap(paths, f.recursive)
	return func(yield func(queueItem) bool) {
		// The same file named twice (a directory and a file in it) goes
		// once; only arguments that overlap need to remember what went.
		var seen map[string]bool
		if overlap {
			seen = map[string]bool{}
		}
		for _, p := range paths {
			for it := range expandArg(p, f, prefix) {
				if it.file != nil {
					uf := *it.file
					if seen != nil {
						if seen[uf.Path] {
							continue
						}
						seen[uf.Path] = true
					}
					it = planFile(ctx, s, eng, f, journal, it)
				}
				if !yield(it) {
					return
				}
			}
		}
	}, nil
}

// planFile sorts a file to send: a journaled upload to resume, one to
// start over, a --skip-existing match, or a new upload.
func planFile(ctx context.Context, s *session, eng *transfer.Engine, f *uploadOptions, journal map[string]transfer.JournalJob, it queueItem) queueItem {
	uf := *it.file
	if jj, ok := journal[uf.Path]; ok && jj.Size == uf.Size {
		why := storeConflict(f, uf, jj)
		if why == "" {
			return queueItem{resume: &jj}
		}
		it.restart = true
		if !f.tree.dryRun {
			if err := eng.DiscardJobs(ctx, []transfer.JournalJob{jj}); err != nil {
				return queueItem{early: &result{Path: uf.Path, Status: statusFailed,
					Error: "forgetting the interrupted upload, which had other store options, failed: " + err.Error()}}
			}
			it.note = fmt.Sprintf("fsdeck: %s: starting over, as the interrupted upload had other store options "+
				"than this command gives (%s)", text.Sanitize(uf.Path), text.Sanitize(why))
		}
	}
	if f.skipExisting {
		if r, ok := alreadyUploaded(ctx, s, uf); ok {
			return queueItem{early: &r}
		}
	}
	return it
}

// pathsOverlap says whether one path names a file that another names too:
// the same path twice, or, with -r, a path below another.
func pathsOverlap(paths []string, recursive bool) bool {
	set := make(map[string]bool, len(paths))
	for _, p := range paths {
		if set[p] {
			return true
		}
		set[p] = true
	}
	if !recursive {
		return false
	}
	for _, p := range paths {
		for d := filepath.Dir(p); d != p; p, d = d, filepath.Dir(d) {
			if set[d] {
				return true
			}
		}
	}
	return false
}

// storeConflict says how a journaled upload's store options differ from
// those this command line gives, "" when they agree. Only options given on
// the command line count: without them the upload resumes as it began
// (perhaps in the interface, to a folder chosen there), while options
// given explicitly win over the journal, as they would for a new upload.
func storeConflict(f *uploadOptions, uf transfer.UploadFile, jj transfer.JournalJob) string {
	var sess filestack.Session
	if jj.Session == "" || json.Unmarshal([]byte(jj.Session), &sess) != nil {
		return "" // nothing to resume: the engine starts it afresh anyway
	}
	was := sess.Store
	var diffs []string
	differ := func(name, given, old, now string) {
		if given != "" && old != now {
			diffs = append(diffs, fmt.Sprintf("%s %q, now %q", name, old, now))
		}
	}
	differ("store path", f.storePath, was.Path, uf.StorePath)
	differ("location", f.location, strings.ToLower(or(was.Location, "s3")), strings.ToLower(f.location))
	differ("container", f.container, was.Container, f.container)
	differ("region", f.region, was.Region, f.region)
	differ("access", f.access, was.Access, f.access)
	return strings.Join(diffs, ", ")
}

// expandArg yields what one path argument holds (absolute paths, so the
// journal and ledger match the interface's): files to upload, failed
// results for paths that cannot be uploaded, and for what a tree holds
// that is no regular file (a link not followed, a FIFO) a notice for
// stderr (with --dry-run a skipped result).
func expandArg(p string, f *uploadOptions, prefix string) iter.Seq[queueItem] {
	return func(yield func(queueItem) bool) {
		abs := absPath(p)
		fail := func(path, why string) bool {
			return yield(queueItem{early: &result{Path: path, Status: statusFailed, Error: why}})
		}
		info, err := os.Stat(abs)
		switch {
		case err != nil:
			fail(abs, text.FSError(err, false))
			return
		case info.IsDir() && !f.recursive:
			fail(abs, "is a directory (use -r to upload the files in it)")
			return
		case !info.IsDir() && !info.Mode().IsRegular():
			fail(abs, "not a regular file")
			return
		}
		// A directory's files are stored by their path below its parent
		// (site/index.html), unless a store path is given: then, as with
		// rclone and `aws s3 cp --recursive`, the directory's contents go
		// under it (-r ./site --store-path site/ stores site/index.html).
		base := filepath.Dir(abs)
		if info.IsDir() && prefix != "" {
			base = abs
		}
		for e := range transfer.Walk(abs, base, prefix, f.tree.linkMode()) {
			if !yield(walkItem(e, f, info.IsDir())) {
				return
			}
		}
	}
}

// walkItem is what a walk's entry becomes (its file's readability
// checked).
func walkItem(e transfer.WalkEntry, f *uploadOptions, dir bool) queueItem {
	uf := e.UploadFile
	if !dir && strings.HasSuffix(uf.StorePath, "/") {
		// A folder for a file keeps its name there (zz.txt with
		// foo/ is foo/zz.txt), as a directory's files do, rather
		// than a key the server makes up.
		uf.StorePath += filepath.Base(uf.Path)
	}
	failed := func(why string) queueItem {
		return queueItem{early: &result{Path: uf.Path, Status: statusFailed, Error: why}}
	}
	switch {
	case e.Skip != "" && f.tree.dryRun:
		return queueItem{early: &result{Path: uf.Path, Status: statusSkipped, Reason: e.Skip}}
	case e.Skip != "":
		return queueItem{note: skipNote(uf.Path, e.Skip)}
	case uf.Err != "":
		return failed(uf.Err)
	}
	keep, why := f.tree.filter.Keep(e.Rel, uf.Size)
	if !keep {
		if f.tree.dryRun {
			return queueItem{early: &result{Path: uf.Path, Size: uf.Size, Status: statusExcluded, Reason: why}}
		}
		return queueItem{}
	}
	if err := readable(uf.Path); err != nil {
		return failed(text.FSError(err, false))
	}
	return queueItem{file: &uf, why: why}
}

// skipNote is the stderr line for a file a walk skipped on purpose.
func skipNote(path, why string) string {
	return fmt.Sprintf("fsdeck: %s: skipped, %s", text.Sanitize(path), why)
}

func readable(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	return f.Close()
}

// alreadyUploaded looks the file's SHA-256 up in the ledger.
func alreadyUploaded(ctx context.Context, s *session, uf transfer.UploadFile) (result, bool) {
	sum, err := sha256File(uf.Path)
	if err != nil {
		return result{}, false // the upload will say why the file cannot be read
	}
	entries, err := s.Ledger.FindBySHA256(ctx, s.scope(), sum)
	if err != nil || len(entries) == 0 {
		return result{}, false
	}
	e := entries[0]
	return result{Handle: e.Handle, URL: s.fileURL(e), Filename: e.Filename, Size: e.Size,
		Type: e.Mimetype, Path: uf.Path, Status: statusSkipped}.withEntry(e), true
}

func sha256File(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
