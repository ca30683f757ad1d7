package cli

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	sess "github.com/fsdeck/fsdeck/internal/session"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// syncOptions are `fsdeck sync`'s flags.
type syncOptions struct {
	IO        *iostreams.IOStreams
	factory   *Factory
	Dir       string
	conn      connFlags
	out       outFlags
	tree      treeFlags
	storePath string
	del, yes  bool
}

// newCmdSync is `fsdeck sync`.
func newCmdSync(f *Factory, runF func(context.Context, *syncOptions) error) *cobra.Command {
	opts := &syncOptions{IO: f.IOStreams, factory: f}
	cmd := &cobra.Command{
		Use:   "sync DIR",
		Short: "Upload what changed in a directory since its last sync (--delete removes what vanished)",
		Long: `Upload the files of DIR that are new or changed (by SHA-256) since the
last sync of DIR to the target, as rclone copy does; with --delete also
remove from the target what earlier syncs of DIR uploaded and has since
vanished locally or been replaced by a newer version (asked first, or
--yes). Nothing that no sync of DIR uploaded is ever deleted.

A file whose size and modification time are those of the last sync is
not read again, so an unchanged tree sends no request. The state is kept
per directory and target in the data directory (sync/). Filters, --links
and --dry-run work as for upload -r.`,
		Example: `  fsdeck sync ./site --store-path site/
  fsdeck sync ./site --delete --yes --json
  fsdeck sync ./photos --include '*.jpg' --dry-run`,
		Args: exactArgs(1, "one DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSync(cmd.Context(), opts)
		},
	}
	opts.conn.register(cmd)
	opts.out.register(cmd, "handles")
	opts.tree.register(cmd, "follow symbolic links (without it they are skipped, each with a notice)")
	fl := cmd.Flags()
	fl.StringVar(&opts.storePath, "store-path", "", "store path prefix: DIR's contents go under it (default from config.toml, else DIR's name)")
	fl.BoolVar(&opts.del, "delete", false, "remove from the target what earlier syncs of DIR uploaded and is gone or replaced locally")
	fl.BoolVar(&opts.yes, "yes", false, "delete without asking (needed for --delete when stdin is not a terminal)")
	return cmd
}

func runSync(ctx context.Context, o *syncOptions) error {
	if err := o.tree.build(); err != nil {
		return err
	}
	dir := o.factory.Abs(o.Dir)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		why := "is not a directory"
		if err != nil {
			why = text.FSError(err, false)
		}
		return usageError("sync %s: %s", text.Sanitize(o.Dir), why)
	}
	s, err := openSession(o.factory, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	if o.storePath != "" && !s.Target.Caps().Storage {
		return usageError("--store-path is a Filestack storage option; %s does not take it", s.Target.Info.Name)
	}
	if o.del {
		if err := canDelete(ctx, s, nil, false); err != nil {
			return err
		}
	}
	paths, err := o.factory.Paths()
	if err != nil {
		return err
	}
	statePath := paths.SyncStateFile(dir, s.scope())
	st, err := store.OpenSyncState(statePath, dir, s.scope())
	if errors.Is(err, store.ErrSyncBusy) {
		return fmt.Errorf("sync %s: %w (%s is locked); wait for it to end", text.Sanitize(o.Dir), err, statePath)
	}
	if err != nil {
		return err
	}
	// Whatever ends the sync (an error, Ctrl-C), what is pending of the
	// state is written on the way out.
	defer st.Close()
	plan, items, err := planSync(dir, or(o.storePath, s.Config.Store.Path), o, st)
	if err != nil {
		return err
	}
	p := s.printer(o.out, o.IO, nil)
	if o.tree.dryRun {
		p.quiet = dryRunQuiet
		return plan.printDry(p, o, st, dir, items)
	}
	var gone []syncGone
	if o.del && !o.yes {
		// Asked before anything is sent: the walk goes first, and its
		// files wait for the answer (so this holds them all).
		all := slices.Collect(items)
		items = slices.Values(all)
		if err := plan.stateErr(); err != nil {
			return err
		}
		if gone, err = plan.deletions(st, o.del, o.tree.filter); err != nil {
			return err
		}
		if len(gone) > 0 {
			if err := confirmSyncDelete(ctx, o.IO, s, gone); err != nil {
				return err
			}
		}
	}
	var sum syncSummary
	_, werr := runSyncUploads(ctx, s, o.IO, p, plan, items, &sum)
	sum.unchanged = plan.unchanged
	if serr := errors.Join(plan.stateErr(), st.Flush()); serr != nil {
		werr = errors.Join(werr, serr)
	}
	if werr != nil {
		p.flush()
		return werr
	}
	if o.del && o.yes {
		if gone, err = plan.deletions(st, o.del, o.tree.filter); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		if p.failed > 0 || plan.walkErr {
			fmt.Fprintf(o.IO.ErrOut, "fsdeck: not deleting %s, as some files failed\n", text.CountOf(len(gone), "file"))
		} else {
			syncDelete(ctx, s, p, st, dir, gone, &sum)
		}
	}
	if err := st.Close(); err != nil {
		p.flush()
		return err
	}
	err = p.flush()
	if !o.out.json && !o.out.quiet {
		fmt.Fprintln(o.IO.Out, sum.line(p.failed, false))
	}
	return err
}

// runSyncUploads sends the files the plan yields (resuming journaled
// ones), as it walks, and records each that the server took in the state
// as it lands, so an interrupt keeps what went. It returns how many went.
func runSyncUploads(ctx context.Context, s *session, io *iostreams.IOStreams, p *printer, plan *syncPlan, items iter.Seq[queueItem], sum *syncSummary) (int, error) {
	eng := s.Engine(context.Background(), s.Target, sess.EngineOptions{})
	defer eng.Shutdown(5 * time.Second)
	unfinished, err := eng.Unfinished(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the upload journal: %w", err)
	}
	journal := map[string]transfer.JournalJob{}
	for _, j := range unfinished {
		journal[j.LocalPath] = j
	}
	resumable := func(yield func(queueItem) bool) {
		for it := range items {
			if it.sync != nil {
				if jj, ok := journal[it.sync.uf.Path]; ok && jj.Dir == transfer.Upload && jj.Size == it.sync.uf.Size {
					it.file, it.resume = nil, &jj
				}
			}
			if !yield(it) {
				return
			}
		}
	}
	// What sync needs of each file until its result comes: only those in
	// flight are kept.
	inFlight := map[string]*syncItem{}
	sent := 0
	st := plan.st
	w := &watcher{eng: eng, printer: p, session: s, io: io}
	w.taken = func(it queueItem) {
		if it.sync != nil {
			inFlight[it.sync.uf.Path] = it.sync
		}
	}
	w.result = func(j transfer.JobSnapshot) result {
		r := w.uploadResult(j)
		it := inFlight[j.LocalPath]
		if it == nil {
			return r
		}
		delete(inFlight, j.LocalPath)
		r.Reason = it.reason
		if r.Status == statusStored || r.Status == statusResumed {
			sent++
			sum.record(*it)
			err := st.Put(it.rel, store.SyncFile{Size: it.uf.Size, ModTimeNS: it.mtime, SHA256: it.sha, Handle: j.Handle, StorePath: it.uf.StorePath})
			if err == nil && it.old != nil && it.old.Handle != "" && it.old.Handle != j.Handle {
				old := *it.old
				old.Rel = it.rel
				err = st.AddReplaced(old)
			}
			if err != nil {
				plan.fail(err)
			}
		}
		return r
	}
	return sent, runQueue(ctx, w, "sync", resumable)
}

// syncDelete removes gone from the target and the ledger, and from st
// what went. Each result names the file by its local path, as the
// uploads do.
func syncDelete(ctx context.Context, s *session, p *printer, st *store.SyncState, dir string, gone []syncGone, sum *syncSummary) {
	deleted := map[string]bool{}
	for _, g := range gone {
		r, err := syncRemove(ctx, s, g.Handle)
		why := g.why
		switch {
		case err != nil:
			r = failure(g.Handle, err)
		case r.Status == statusForgot:
			deleted[g.Handle] = true
			why += "; the server no longer had it, so it is dropped from the ledger and the sync state"
		default:
			deleted[g.Handle] = true
			sum.deleted++
		}
		r.Reason, r.Path, r.fromLedger = why, filepath.Join(dir, filepath.FromSlash(g.Rel)), false
		p.add(r)
		if !g.replaced && err == nil {
			if err := st.Delete(g.Rel); err != nil {
				p.add(failure(g.Handle, err))
			}
		}
	}
	for h := range deleted {
		if err := st.DropReplaced(h); err != nil {
			p.add(failure(h, err))
		}
	}
}

// syncRemove deletes h on the target and from the ledger. An upload the
// server no longer has (deleted elsewhere) is only forgotten, status
// forgotten, so that it is not tried again at every sync.
func syncRemove(ctx context.Context, s *session, h string) (result, error) {
	d, ok := s.Target.Service.(hosts.Deleter)
	if !ok || !s.Target.Caps().Delete {
		return removeHandle(ctx, s, h, false) // says why it cannot
	}
	status := statusDeleted
	if err := d.Delete(ctx, h); errors.Is(err, hosts.ErrNotFound) {
		status = statusForgot
	} else if err != nil {
		return result{}, fileError(ctx, s, h, err)
	}
	e, lerr := s.Ledger.Get(ctx, s.scope(), h)
	if lerr != nil {
		e = store.Entry{Handle: h}
	} else if err := s.Ledger.Remove(ctx, s.scope(), h); err != nil {
		return result{}, fmt.Errorf("removing from the ledger: %w", err)
	}
	return entryResult(s, e, status), nil
}

// confirmSyncDelete asks before deleting on the target (without a
// terminal, it refuses: --yes).
func confirmSyncDelete(ctx context.Context, io *iostreams.IOStreams, s *session, gone []syncGone) error {
	if !io.IsStdinTTY() {
		return usageError("sync --delete would delete %s on %s, and standard input is not a terminal, so there is no one to ask; add --yes (or see them with --dry-run)",
			text.CountOf(len(gone), "file"), s.filesWhere())
	}
	handles := make([]string, len(gone))
	for i, g := range gone {
		handles[i] = g.Handle
	}
	return confirmRemove(ctx, io, s, handles, false)
}
