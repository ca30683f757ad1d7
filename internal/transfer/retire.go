package transfer

// TakeFinished removes every job that has ended (done, failed or
// cancelled) from the engine and returns their final snapshots, in the
// order they were added. What they counted stays in the totals of
// Snapshot and Summary, their group's and the whole's, so a progress
// line still says "1,200 of 100,000 done"; but they are no longer listed,
// and can no longer be retried.
//
// It is for a headless front end, which reports each job once as it ends
// and needs nothing more of it: taking them keeps the engine's memory and
// the cost of every snapshot to the jobs still to run, however many files
// one command queues. The interface never calls it (its panel lists
// finished jobs and retries failed ones).
func (e *Engine) TakeFinished() []JobSnapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []JobSnapshot
	now := e.now()
	kept := e.jobs[:0]
	for _, j := range e.jobs {
		if !j.state.Finished() {
			kept = append(kept, j)
			continue
		}
		s := j.snapshot(now)
		out = append(out, s)
		if e.retired == nil {
			e.retired = map[GroupID]*Totals{}
		}
		t := e.retired[j.group]
		if t == nil {
			t = &Totals{}
			e.retired[j.group] = t
		}
		t.count(&s)
	}
	clear(e.jobs[len(kept):])
	e.jobs = kept
	return out
}

// add adds o's counts (not its speed or ETA) to t.
func (t *Totals) add(o *Totals) {
	t.Files += o.Files
	t.Done += o.Done
	t.Failed += o.Failed
	t.Cancelled += o.Cancelled
	t.Running += o.Running
	t.Queued += o.Queued
	t.Paused += o.Paused
	t.Bytes += o.Bytes
	t.Acked += o.Acked
	t.InFlight += o.InFlight
	t.left += o.left
}

// Running is a Snapshot listing only the running jobs, with the totals of
// every group and of the whole: what a headless progress line draws. Like
// Summary it copies no other job, so it stays cheap with 100,000 queued.
func (e *Engine) Running() Snapshot {
	return e.snapshot(func(j *job) bool { return j.state == Running }, false)
}
