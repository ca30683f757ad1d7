package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// watcher follows a command's transfer groups until every job is final:
// it prints each result as its job ends and redraws the progress block
// when stderr is a terminal.
type watcher struct {
	eng     *transfer.Engine
	groups  map[transfer.GroupID]bool
	printer *printer
	session *session
	io      *iostreams.IOStreams
	// resumed are the local paths of journaled uploads being finished.
	resumed map[string]bool
	// result turns a finished job into its result (nil: uploadResult).
	result func(transfer.JobSnapshot) result
	// progress says whether to draw the progress block, given whether
	// stderr is a terminal (nil: only then).
	progress func(tty bool) bool
	// downloads words the interrupt message for downloads, whose partial
	// files the engine keeps, journaled, at shutdown.
	downloads bool
	// queue, when set, feeds the engine as jobs end (runQueue); taken,
	// when set, sees each item of its plan as it is queued or printed.
	queue *queue
	taken func(queueItem)
}

// redrawEvery bounds how often the progress block is redrawn.
const redrawEvery = 200 * time.Millisecond

// wait returns when every job is final, or when ctx ends: then it stops
// the engine (uploads stay journaled), says how to resume and returns
// errInterrupted.
func (w *watcher) wait(ctx context.Context) error {
	if w.result == nil {
		w.result = w.uploadResult
	}
	var block *progressBlock
	show := w.io.IsStderrTTY()
	if w.progress != nil {
		show = w.progress(show)
	}
	if show {
		block = &progressBlock{w: w.io.ErrOut, width: w.io.TerminalWidth()}
		if q := w.queue; q != nil {
			block.counting = q.walking
		}
		w.printer.around = func(f func()) { block.clear(); f() }
		defer block.clear()
	}
	tick := time.NewTicker(redrawEvery)
	defer tick.Stop()
	for {
		// The totals first: every job they count as ended is then among
		// those taken, so none ends unreported.
		snap := w.eng.Running()
		w.report(w.eng.TakeFinished())
		if q := w.queue; q != nil && q.wants() != nil {
			// Jobs ended: the plan's next files take their places.
			took, err := q.fill(queueItem{}, false)
			if err != nil {
				return err
			}
			if took && ctx.Err() == nil {
				// (Checked: a plan yielding fast, say files a filter
				// leaves out, would keep the loop from the select.)
				continue
			}
		}
		if w.left(snap) == 0 && (w.queue == nil || !w.queue.walking()) {
			if block != nil && (w.queue == nil || w.queue.queued > 0) {
				// The last frame counts what ended: files N/N done (the
				// frames before it were drawn while they ran).
				block.draw(snap, w.groups)
			}
			return nil
		}
		if block != nil {
			block.draw(snap, w.groups)
		}
		var more <-chan queueItem
		if w.queue != nil {
			more = w.queue.wants()
		}
		select {
		case <-ctx.Done():
			return w.interrupted()
		case it, ok := <-more:
			if !ok {
				w.queue.items = nil // the plan ended
				continue
			}
			if _, err := w.queue.fill(it, true); err != nil {
				return err
			}
		case <-w.eng.Wake():
		case <-tick.C:
		}
	}
}

// report prints the results of jobs that ended since the last call. The
// engine hands each over once and forgets it (TakeFinished), so a command
// over 100,000 files holds only those still to run, and every wait costs
// what they cost.
func (w *watcher) report(ended []transfer.JobSnapshot) {
	for _, j := range ended {
		if w.groups[j.Group] {
			w.printer.add(w.result(j))
			if w.queue != nil {
				w.queue.ended(1)
			}
		}
	}
}

// left counts the jobs of the command's groups that have not ended.
func (w *watcher) left(snap transfer.Snapshot) int {
	n := 0
	for _, g := range snap.Groups {
		if w.groups[g.ID] {
			t := g.Totals
			n += t.Files - t.Done - t.Failed - t.Cancelled
		}
	}
	return n
}

// interrupted stops the engine and tells how to finish the job.
func (w *watcher) interrupted() error {
	if w.printer.around != nil {
		w.printer.around(func() {})
	}
	w.eng.Shutdown(5 * time.Second)
	snap := w.eng.Running()
	w.report(w.eng.TakeFinished())
	left := w.left(snap)
	w.printer.flush()
	host := ""
	if !w.session.Target.Info.Root {
		host = w.session.Target.Info.Name
	}
	fmt.Fprintln(w.io.ErrOut, interruptedNote(left, w.downloads, host))
	return errInterrupted
}

// uploadResult describes a finished upload job, with the stored file's
// name and type from the ledger.
func (w *watcher) uploadResult(j transfer.JobSnapshot) result {
	r := result{Path: j.LocalPath, Size: j.Size, Handle: j.Handle}
	switch j.State {
	case transfer.Done:
		r.Status = statusStored
		if w.resumed[j.LocalPath] {
			r.Status = statusResumed
		}
		e, err := w.session.Ledger.Get(context.Background(), w.session.scope(), j.Handle)
		if err != nil {
			e = store.Entry{Handle: j.Handle, URL: j.URL}
		}
		r.URL, r.Filename, r.Type, r.Size = w.session.fileURL(e), e.Filename, e.Mimetype, max(e.Size, r.Size)
		r = r.withEntry(e)
	case transfer.Cancelled:
		r.Status, r.Error = statusFailed, "cancelled"
	default:
		r.Status, r.Error = statusFailed, j.Err
		r.auth = authFailure(j.Cause)
		r.network = !r.auth && networkFailure(j.Cause)
	}
	return r
}

// authFailure says whether a job failed for its credentials (a rejected
// key, a missing app secret): exit status 3.
func authFailure(err error) bool {
	return filestack.IsUnauthorized(err) || errors.Is(err, filestack.ErrNoSecret) || errors.Is(err, hosts.ErrAuth)
}

// interruptedNote says what an interrupt left behind: left unfinished
// transfers, downloads or uploads (to host, a service that cannot resume,
// when not empty).
func interruptedNote(left int, downloads bool, host string) string {
	switch {
	case left > 0 && downloads:
		return fmt.Sprintf("fsdeck: interrupted; %s stopped and %s partial %s kept (journaled). Run the same command again to continue %s.",
			text.CountOf(left, "download"), text.Plural(left, "its", "their"), text.Plural(left, "file is", "files are"), text.Plural(left, "it", "them"))
	case left > 0 && host != "":
		return fmt.Sprintf("fsdeck: interrupted; %s to %s stopped. Uploads to it cannot resume: run the same command again to send %s again.",
			text.CountOf(left, "upload"), host, text.Plural(left, "it", "them"))
	case left > 0:
		return fmt.Sprintf("fsdeck: interrupted; %s %s journaled. Run the same command again to send only what is missing (the interface offers to resume %s too).",
			text.CountOf(left, "unfinished upload"), text.Plural(left, "stays", "stay"), text.Plural(left, "it", "them"))
	}
	return "fsdeck: interrupted"
}
