package cli

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// syncItem is one file a sync sends.
type syncItem struct {
	uf     transfer.UploadFile
	rel    string
	mtime  int64
	sha    string
	reason string
	isNew  bool
	// old is the upload of the version this one replaces (nil: new).
	old *store.SyncFile
}

// syncPlan is what a walk of the directory against its state found.
type syncPlan struct {
	send      []syncItem
	unchanged int
	// unchangedRels are the unchanged files' paths, with the reason (for
	// --dry-run), by path.
	unchangedWhy map[string]string
	early        []result
	notes        []string
	// seen are the paths below the directory that are there now (sent,
	// unchanged, left out or unreadable): none of them is deleted.
	seen map[string]bool
	// walkErr: something could not be read, so what looks vanished may
	// not be; nothing is deleted then.
	walkErr bool
	// dirty: the state changed without an upload (a touched file whose
	// content is the same gets its new time).
	dirty bool
}

// syncGone is an upload --delete removes.
type syncGone struct {
	store.SyncFile
	why      string
	replaced bool
}

// planSync walks dir and sorts its files: unchanged since the state (same
// size and time, or same SHA-256), or to send (new, changed).
func planSync(dir, prefix string, o *syncOptions, st *store.SyncState) *syncPlan {
	plan := &syncPlan{seen: map[string]bool{}, unchangedWhy: map[string]string{}}
	base := filepath.Dir(dir)
	if prefix != "" {
		base = dir
	}
	dry := o.tree.dryRun
	for e := range transfer.Walk(dir, base, prefix, o.tree.linkMode()) {
		uf := e.UploadFile
		plan.seen[e.Rel] = true
		switch {
		case e.Skip != "" && dry:
			plan.early = append(plan.early, result{Path: uf.Path, Status: statusSkipped, Reason: e.Skip})
			continue
		case e.Skip != "":
			plan.notes = append(plan.notes, skipNote(uf.Path, e.Skip))
			continue
		case uf.Err != "":
			plan.walkErr = true
			plan.early = append(plan.early, result{Path: uf.Path, Status: statusFailed, Error: uf.Err})
			continue
		}
		keep, why := o.tree.filter.Keep(e.Rel, uf.Size)
		if !keep {
			if dry {
				plan.early = append(plan.early, result{Path: uf.Path, Size: uf.Size, Status: statusExcluded, Reason: why})
			}
			continue
		}
		plan.file(e, st, why)
	}
	return plan
}

// file sorts one file the filters keep (why: the --include it matched).
func (plan *syncPlan) file(e transfer.WalkEntry, st *store.SyncState, why string) {
	uf, mtime := e.UploadFile, e.ModTime.UnixNano()
	old, had := st.Files[e.Rel]
	if had && old.Size == uf.Size && old.ModTimeNS == mtime && old.StorePath == uf.StorePath {
		plan.unchanged++
		plan.unchangedWhy[uf.Path] = "unchanged since the last sync (same size and modification time)"
		return
	}
	sum, err := sha256File(uf.Path)
	if err != nil {
		plan.walkErr = true
		plan.early = append(plan.early, result{Path: uf.Path, Status: statusFailed, Error: text.FSError(err, true)})
		return
	}
	if had && old.SHA256 == sum && old.StorePath == uf.StorePath {
		// Touched, not changed: the state learns the new time, so the
		// next sync reads it no more.
		old.Size, old.ModTimeNS = uf.Size, mtime
		st.Files[e.Rel] = old
		plan.dirty = true
		plan.unchanged++
		plan.unchangedWhy[uf.Path] = "unchanged since the last sync (same SHA-256)"
		return
	}
	it := syncItem{uf: uf, rel: e.Rel, mtime: mtime, sha: sum, reason: "new since the last sync", isNew: !had}
	if had {
		o := old
		it.old, it.reason = &o, "changed since the last sync (SHA-256)"
		if old.SHA256 == sum {
			it.reason = "its store path changed (" + old.StorePath + " → " + uf.StorePath + ")"
		}
	}
	if why != "" {
		it.reason += "; " + why
	}
	plan.send = append(plan.send, it)
}

// deletions are the uploads --delete removes: files earlier syncs sent
// that are gone from the directory (unless a filter now leaves them out,
// as rclone leaves excluded files alone), and versions replaced since;
// none when del is false.
func (plan *syncPlan) deletions(st *store.SyncState, del bool, filter *transfer.Filter) []syncGone {
	if !del {
		return nil
	}
	var gone []syncGone
	rels := make([]string, 0, len(st.Files))
	for rel := range st.Files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		f := st.Files[rel]
		if keep, _ := filter.Keep(rel, f.Size); plan.seen[rel] || !keep {
			continue
		}
		f.Rel = rel
		gone = append(gone, syncGone{SyncFile: f, why: "gone from the directory since the last sync"})
	}
	for _, f := range st.Replaced {
		gone = append(gone, syncGone{SyncFile: f, why: "an earlier version of " + f.Rel + ", replaced by a later sync", replaced: true})
	}
	for _, it := range plan.send {
		if it.old != nil && it.old.Handle != "" {
			f := *it.old
			f.Rel = it.rel
			gone = append(gone, syncGone{SyncFile: f, why: "the version this sync replaces", replaced: true})
		}
	}
	return gone
}

// printDry prints what the sync would do, and sends nothing.
func (plan *syncPlan) printDry(p *printer, o *syncOptions, st *store.SyncState, dir string) error {
	for _, r := range plan.early {
		p.add(r)
	}
	paths := make([]string, 0, len(plan.unchangedWhy))
	for path := range plan.unchangedWhy {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		p.add(result{Path: path, Status: statusSkipped, Reason: plan.unchangedWhy[path]})
	}
	sum := syncSummary{unchanged: plan.unchanged}
	for _, it := range plan.send {
		sum.record(it)
		p.add(result{Path: it.uf.Path, Size: it.uf.Size, Status: statusWouldStore, Reason: it.reason})
	}
	for _, g := range plan.deletions(st, o.del, o.tree.filter) {
		sum.deleted++
		p.add(result{Handle: g.Handle, Path: filepath.Join(dir, filepath.FromSlash(g.Rel)), Size: g.Size, Status: statusWouldDelete, Reason: g.why})
	}
	err := p.flush()
	if !o.out.json && !o.out.quiet {
		fmt.Fprintln(p.stdout, sum.line(p.failed, true))
	}
	return err
}

// syncSummary counts what a sync did.
type syncSummary struct {
	fresh, changed, unchanged, deleted int
}

func (s *syncSummary) record(it syncItem) {
	if it.isNew {
		s.fresh++
	} else {
		s.changed++
	}
}

// line is the summary: "sync: 3 sent (2 new, 1 changed), 120 unchanged,
// 2 deleted, 1 failed" ("sync --dry-run: 3 would be sent …, 2 would be
// deleted").
func (s *syncSummary) line(failed int, dry bool) string {
	sent, deleted, head := "sent", "deleted", "sync: "
	if dry {
		sent, deleted, head = "would be sent", "would be deleted", "sync --dry-run: "
	}
	parts := []string{fmt.Sprintf("%d %s (%d new, %d changed)", s.fresh+s.changed, sent, s.fresh, s.changed),
		fmt.Sprintf("%d unchanged", s.unchanged), fmt.Sprintf("%d %s", s.deleted, deleted)}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed))
	}
	return head + strings.Join(parts, ", ")
}
