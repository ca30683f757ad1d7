package cli

import (
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"sync"

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

// syncPlan is what a walk of the directory against its state found. The
// walk runs as the uploads go (runQueue), so its counts are read once it
// ended; mu guards the state's files, which both read and write.
type syncPlan struct {
	unchanged int
	// seen: the paths below the directory that are there now (sent,
	// unchanged, left out or unreadable) are noted in the state (a
	// temporary table, not memory), so none of them is deleted. Only
	// --delete needs them.
	seen bool
	// replacing are the uploads of the versions the files sent replace
	// (with --delete, removed once their new versions went).
	replacing []syncGone
	// walkErr: something could not be read, so what looks vanished may
	// not be; nothing is deleted then.
	walkErr bool
	// err: the state could not be read or written (the walk stops).
	err error
	mu  sync.Mutex
	st  *store.SyncState
	// prior is the ID of the last replaced version the state had before
	// this sync.
	prior int64
}

// syncGone is an upload --delete removes.
type syncGone struct {
	store.SyncFile
	why      string
	replaced bool
}

// planSync walks dir and yields its files as it goes: unchanged since the
// state (same size and time, or same SHA-256: with --dry-run a skipped
// result, else only counted), or to send (new, changed: an item with its
// syncItem), and the results and notes of what cannot be sent.
func planSync(dir, prefix string, o *syncOptions, st *store.SyncState) (*syncPlan, iter.Seq[queueItem], error) {
	prior, err := st.LastReplaced()
	if err != nil {
		return nil, nil, err
	}
	plan := &syncPlan{st: st, prior: prior, seen: o.del}
	base := filepath.Dir(dir)
	if prefix != "" {
		base = dir
	}
	dry := o.tree.dryRun
	return plan, func(yield func(queueItem) bool) {
		for e := range transfer.Walk(dir, base, prefix, o.tree.linkMode()) {
			uf := e.UploadFile
			if plan.seen {
				if err := st.Seen(e.Rel); err != nil {
					plan.fail(err)
					return
				}
			}
			var it queueItem
			switch {
			case e.Skip != "" && dry:
				it.early = &result{Path: uf.Path, Status: statusSkipped, Reason: e.Skip}
			case e.Skip != "":
				it.note = skipNote(uf.Path, e.Skip)
			case uf.Err != "":
				plan.walkErr = true
				it.early = &result{Path: uf.Path, Status: statusFailed, Error: uf.Err}
			default:
				keep, why := o.tree.filter.Keep(e.Rel, uf.Size)
				switch {
				case keep:
					it = plan.file(e, why, dry)
					if plan.failed() {
						return
					}
				case dry:
					it.early = &result{Path: uf.Path, Size: uf.Size, Status: statusExcluded, Reason: why}
				}
			}
			if it == (queueItem{}) {
				continue
			}
			if !yield(it) {
				return
			}
		}
	}, nil
}

// fail records the first error of the state.
func (plan *syncPlan) fail(err error) {
	plan.mu.Lock()
	defer plan.mu.Unlock()
	if plan.err == nil {
		plan.err = err
	}
}

// stateErr is the first error of the state, if any.
func (plan *syncPlan) stateErr() error {
	plan.mu.Lock()
	defer plan.mu.Unlock()
	return plan.err
}

func (plan *syncPlan) failed() bool {
	plan.mu.Lock()
	defer plan.mu.Unlock()
	return plan.err != nil
}

// file sorts one file the filters keep (why: the --include it matched).
func (plan *syncPlan) file(e transfer.WalkEntry, why string, dry bool) queueItem {
	uf, mtime := e.UploadFile, e.ModTime.UnixNano()
	old, had, err := plan.st.Get(e.Rel)
	if err != nil {
		plan.fail(err)
		return queueItem{}
	}
	unchanged := func(why string) queueItem {
		plan.unchanged++
		if !dry {
			return queueItem{}
		}
		return queueItem{early: &result{Path: uf.Path, Status: statusSkipped, Reason: why}}
	}
	if had && old.Size == uf.Size && old.ModTimeNS == mtime && old.StorePath == uf.StorePath {
		return unchanged("unchanged since the last sync (same size and modification time)")
	}
	sum, err := sha256File(uf.Path)
	if err != nil {
		plan.walkErr = true
		return queueItem{early: &result{Path: uf.Path, Status: statusFailed, Error: text.FSError(err, true)}}
	}
	if had && old.SHA256 == sum && old.StorePath == uf.StorePath {
		// Touched, not changed: the state learns the new time, so the
		// next sync reads it no more.
		// (Not with --dry-run, which changes nothing.)
		old.Size, old.ModTimeNS = uf.Size, mtime
		if !dry {
			if err := plan.st.Put(e.Rel, old); err != nil {
				plan.fail(err)
				return queueItem{}
			}
		}
		return unchanged("unchanged since the last sync (same SHA-256)")
	}
	it := syncItem{uf: uf, rel: e.Rel, mtime: mtime, sha: sum, reason: "new since the last sync", isNew: !had}
	if had {
		o := old
		it.old, it.reason = &o, "changed since the last sync (SHA-256)"
		if old.SHA256 == sum {
			it.reason = "its store path changed (" + old.StorePath + " → " + uf.StorePath + ")"
		}
		if old.Handle != "" {
			f := old
			f.Rel = e.Rel
			plan.replacing = append(plan.replacing, syncGone{SyncFile: f, why: "the version this sync replaces", replaced: true})
		}
	}
	if why != "" {
		it.reason += "; " + why
	}
	return queueItem{file: &it.uf, sync: &it}
}

// deletions are the uploads --delete removes: files earlier syncs sent
// that are gone from the directory (unless a filter now leaves them out,
// as rclone leaves excluded files alone), and versions replaced since;
// none when del is false.
//
// It is called once the walk ended, before the uploads (--dry-run, or
// to ask first) or after them: the versions replaced before this sync
// are those the state had then (prior), this sync's are replacing.
func (plan *syncPlan) deletions(st *store.SyncState, del bool, filter *transfer.Filter) ([]syncGone, error) {
	if !del {
		return nil, nil
	}
	var gone []syncGone
	files, err := st.Gone()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if keep, _ := filter.Keep(f.Rel, f.Size); !keep {
			continue
		}
		gone = append(gone, syncGone{SyncFile: f, why: "gone from the directory since the last sync"})
	}
	replaced, err := st.Replaced(plan.prior)
	if err != nil {
		return nil, err
	}
	for _, f := range replaced {
		gone = append(gone, syncGone{SyncFile: f, why: "an earlier version of " + f.Rel + ", replaced by a later sync", replaced: true})
	}
	return append(gone, plan.replacing...), nil
}

// printDry prints what the sync would do as the walk goes, and sends
// nothing.
func (plan *syncPlan) printDry(p *printer, o *syncOptions, st *store.SyncState, dir string, items iter.Seq[queueItem]) error {
	var sum syncSummary
	for it := range items {
		switch {
		case it.early != nil:
			p.add(*it.early)
		case it.note != "":
			p.note(it.note)
		case it.sync != nil:
			sum.record(*it.sync)
			p.add(result{Path: it.sync.uf.Path, Size: it.sync.uf.Size, Status: statusWouldStore, Reason: it.sync.reason})
		}
	}
	sum.unchanged = plan.unchanged
	if err := plan.stateErr(); err != nil {
		p.flush()
		return err
	}
	gone, err := plan.deletions(st, o.del, o.tree.filter)
	if err != nil {
		p.flush()
		return err
	}
	for _, g := range gone {
		sum.deleted++
		p.add(result{Handle: g.Handle, Path: filepath.Join(dir, filepath.FromSlash(g.Rel)), Size: g.Size, Status: statusWouldDelete, Reason: g.why})
	}
	err = p.flush()
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
