package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// planUpload checks every path, expands directories, and sorts the files
// into new uploads, journaled uploads to resume, and results known at once
// (refused paths, --skip-existing matches). A bad path never stops the
// rest.
func planUpload(ctx context.Context, s *session, eng *transfer.Engine, f *uploadOptions, paths []string) (uploadPlan, error) {
	plan := uploadPlan{prefix: or(f.storePath, s.Config.Store.Path), why: map[string]string{}}
	unfinished, err := eng.Unfinished(ctx)
	if err != nil {
		return plan, fmt.Errorf("reading the upload journal: %w", err)
	}
	journal := make(map[string]transfer.JournalJob, len(unfinished))
	for _, j := range unfinished {
		journal[j.LocalPath] = j
	}
	seen := map[string]bool{}
	for _, p := range paths {
		for _, uf := range expandArg(p, f, plan.prefix, &plan) {
			if seen[uf.Path] {
				continue
			}
			seen[uf.Path] = true
			if jj, ok := journal[uf.Path]; ok && jj.Size == uf.Size {
				why := storeConflict(f, uf, jj)
				if why == "" {
					plan.resume = append(plan.resume, jj)
					continue
				}
				plan.restart = append(plan.restart, jj)
				plan.notes = append(plan.notes, fmt.Sprintf("fsdeck: %s: starting over, as the interrupted upload had other store options "+
					"than this command gives (%s)", text.Sanitize(uf.Path), text.Sanitize(why)))
			}
			if f.skipExisting {
				if r, ok := alreadyUploaded(ctx, s, uf); ok {
					plan.early = append(plan.early, r)
					continue
				}
			}
			plan.files = append(plan.files, uf)
		}
	}
	if f.tree.dryRun {
		return plan, nil // the journal stays as it is
	}
	if err := eng.DiscardJobs(ctx, plan.restart); err != nil {
		return plan, fmt.Errorf("forgetting interrupted uploads that start over: %w", err)
	}
	return plan, nil
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

// expandArg turns one path argument into files to upload (absolute paths,
// so the journal and ledger match the interface's); paths that cannot be
// uploaded become failed results in plan, and what a tree holds that is
// no regular file (a link not followed, a FIFO) a notice on stderr.
func expandArg(p string, f *uploadOptions, prefix string, plan *uploadPlan) []transfer.UploadFile {
	abs := absPath(p)
	fail := func(path, why string) {
		plan.early = append(plan.early, result{Path: path, Status: statusFailed, Error: why})
		plan.order = append(plan.order, path)
	}
	info, err := os.Stat(abs)
	switch {
	case err != nil:
		fail(abs, text.FSError(err, false))
		return nil
	case info.IsDir() && !f.recursive:
		fail(abs, "is a directory (use -r to upload the files in it)")
		return nil
	case !info.IsDir() && !info.Mode().IsRegular():
		fail(abs, "not a regular file")
		return nil
	}
	// A directory's files are stored by their path below its parent
	// (site/index.html), unless a store path is given: then, as with
	// rclone and `aws s3 cp --recursive`, the directory's contents go
	// under it (-r ./site --store-path site/ stores site/index.html).
	base := filepath.Dir(abs)
	if info.IsDir() && prefix != "" {
		base = abs
	}
	var out []transfer.UploadFile
	for e := range transfer.Walk(abs, base, prefix, f.tree.linkMode()) {
		uf := e.UploadFile
		if !info.IsDir() && strings.HasSuffix(uf.StorePath, "/") {
			// A folder for a file keeps its name there (zz.txt with
			// foo/ is foo/zz.txt), as a directory's files do, rather
			// than a key the server makes up.
			uf.StorePath += filepath.Base(uf.Path)
		}
		if e.Skip != "" {
			if f.tree.dryRun {
				plan.early = append(plan.early, result{Path: uf.Path, Status: statusSkipped, Reason: e.Skip})
			} else {
				plan.notes = append(plan.notes, skipNote(uf.Path, e.Skip))
			}
			continue
		}
		if uf.Err != "" {
			fail(uf.Path, uf.Err)
			continue
		}
		keep, why := f.tree.filter.Keep(e.Rel, uf.Size)
		if !keep {
			if f.tree.dryRun {
				plan.early = append(plan.early, result{Path: uf.Path, Size: uf.Size, Status: statusExcluded, Reason: why})
			}
			continue
		}
		if why != "" && f.tree.dryRun {
			plan.why[uf.Path] = why
		}
		if err := readable(uf.Path); err != nil {
			fail(uf.Path, text.FSError(err, false))
			continue
		}
		out = append(out, uf)
		plan.order = append(plan.order, uf.Path)
	}
	return out
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
