package cli

import (
	"context"
	"fmt"
	"iter"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// queueItem is one thing a command's plan yields, in the order of its
// arguments (a directory's files in walk order): a file to upload, a
// journaled upload to resume, a result known at once (a refused path, a
// --skip-existing match), or a note for stderr (a skipped link).
type queueItem struct {
	file   *transfer.UploadFile
	resume *transfer.JournalJob
	early  *result
	// note is a line for stderr; with file, it is said as the file is
	// queued (a journaled upload starting over).
	note string
	// why is the --include a file matched, restart that it starts over
	// (for --dry-run's reasons).
	why     string
	restart bool
	// sync is what sync knows of the file (its state when it lands).
	sync *syncItem
}

// key is the item's place for --ordered ("" for a note).
func (it queueItem) key() string {
	switch {
	case it.file != nil:
		return it.file.Path
	case it.resume != nil:
		return it.resume.LocalPath
	case it.early != nil:
		return it.early.Path
	}
	return ""
}

// queueWindow is how many jobs a command keeps in the engine at once
// (queued or running): the plan is walked as they end, so memory stays
// that of the window however many files there are. It is a variable
// for the tests.
var queueWindow = 256

// queueHook, when set (tests), is called after each batch is queued.
var queueHook func(*transfer.Engine)

// queue feeds an engine from a plan, in bounded batches: the plan runs in
// a goroutine of its own (it reads the disk, hashes for --skip-existing)
// and waits, at most a window ahead, while the jobs before run.
type queue struct {
	eng  *transfer.Engine
	name string
	p    *printer
	// items comes from the plan; nil once it ended and every item was
	// taken.
	items <-chan queueItem
	stop  context.CancelFunc
	done  chan struct{}
	// groups are the engine groups of new and resumed uploads, made with
	// the first batch of each.
	fresh, resumed transfer.GroupID
	groups         map[transfer.GroupID]bool
	// alive counts the jobs queued and not yet reported; queued counts
	// every job handed to the engine.
	alive, queued int
	// resumedPaths are the local paths of the journaled uploads resumed.
	resumedPaths map[string]bool
	// taken, when set, sees each item as it is queued or printed (sync
	// keeps what it needs of the file until its result comes).
	taken func(queueItem)
}

// newQueue starts plan in a goroutine and returns the queue feeding eng
// from it as the group called name ("upload", "watch", "sync"; resumed
// uploads go to "NAME (resumed)").
func newQueue(eng *transfer.Engine, name string, p *printer, plan iter.Seq[queueItem]) *queue {
	ctx, stop := context.WithCancel(context.Background())
	items := make(chan queueItem, queueWindow)
	q := &queue{eng: eng, name: name, p: p, items: items, stop: stop, done: make(chan struct{}),
		groups: map[transfer.GroupID]bool{}, resumedPaths: map[string]bool{}}
	go func() {
		defer close(q.done)
		defer close(items)
		for it := range plan {
			select {
			case items <- it:
			case <-ctx.Done():
				return
			}
		}
	}()
	return q
}

// close stops the plan and waits for its goroutine.
func (q *queue) close() {
	q.stop()
	<-q.done
}

// wants says whether the queue takes more items now (nil: the plan ended
// or the window is full).
func (q *queue) wants() <-chan queueItem {
	if q.items == nil || q.alive >= queueWindow {
		return nil
	}
	return q.items
}

// walking says whether the plan may still yield items.
func (q *queue) walking() bool { return q.items != nil }

// ended counts n of the queue's jobs as reported.
func (q *queue) ended(n int) { q.alive -= n }

// fill takes first (when ok, an item already received) and then what the
// plan has ready, without waiting, until the window is full; it queues the
// files as one batch. It reports whether it took anything.
func (q *queue) fill(first queueItem, ok bool) (bool, error) {
	var files []transfer.UploadFile
	var resume []transfer.JournalJob
	took := false
	take := func(it queueItem) {
		took = true
		if k := it.key(); k != "" {
			q.p.expect(k)
		}
		if q.taken != nil {
			q.taken(it)
		}
		if it.note != "" {
			q.p.note(it.note)
		}
		switch {
		case it.file != nil:
			files = append(files, *it.file)
		case it.resume != nil:
			resume = append(resume, *it.resume)
			q.resumedPaths[it.resume.LocalPath] = true
		case it.early != nil:
			q.p.add(*it.early)
		}
	}
	if ok {
		take(first)
	}
	for q.items != nil && q.alive+len(files)+len(resume) < queueWindow {
		select {
		case it, more := <-q.items:
			if !more {
				q.items = nil
				continue
			}
			take(it)
			continue
		default:
		}
		break
	}
	return took, q.add(files, resume)
}

// add hands a batch to the engine.
func (q *queue) add(files []transfer.UploadFile, resume []transfer.JournalJob) error {
	if len(files) > 0 {
		if q.fresh == 0 {
			g, err := q.eng.AddUploads(q.name, files)
			if err != nil {
				return err
			}
			q.fresh, q.groups[g] = g, true
		} else if err := q.eng.AppendUploads(q.fresh, files); err != nil {
			return err
		}
	}
	if len(resume) > 0 {
		if q.resumed == 0 {
			g, err := q.eng.ResumeJobs(q.name+" (resumed)", resume)
			if err != nil {
				return err
			}
			q.resumed, q.groups[g] = g, true
		} else if err := q.eng.AppendResumed(q.resumed, resume); err != nil {
			return err
		}
	}
	n := len(files) + len(resume)
	q.alive += n
	q.queued += n
	if n > 0 && queueHook != nil {
		queueHook(q.eng)
	}
	return nil
}

// runQueue uploads what plan yields through eng as the group called name,
// printing each result as its job ends (w says how: its result function,
// progress), and returns when every job has ended, or, on ctx's end,
// errInterrupted once the engine stopped (uploads stay journaled). It is
// upload's, watch's and sync's way of queueing a plan.
func runQueue(ctx context.Context, w *watcher, name string, plan iter.Seq[queueItem]) error {
	q := newQueue(w.eng, name, w.printer, plan)
	defer q.close()
	q.taken = w.taken
	w.queue = q
	w.groups = q.groups
	if w.resumed == nil {
		w.resumed = q.resumedPaths
	}
	return w.wait(ctx)
}

// note writes a line to stderr (around the progress block).
func (p *printer) note(s string) {
	p.around(func() { fmt.Fprintln(p.stderr, s) })
}
