package transfer

import "time"

// LargeUpload is the number of files above which a front end should ask
// before queueing an upload (Measure says how many files and bytes).
const LargeUpload = 1000

// Size is what an expanded upload amounts to.
type Size struct {
	// Files counts every entry, Unreadable those that cannot be uploaded
	// (they become failed jobs).
	Files, Unreadable int
	// Bytes sums the sizes of the readable files.
	Bytes int64
}

// Measure sums files from Expand, so a front end can ask "upload 20,000
// files (3.1 GiB)?" before AddUploads when Files exceeds LargeUpload.
func Measure(files []UploadFile) Size {
	var s Size
	for _, f := range files {
		s.Files++
		if f.Err != "" {
			s.Unreadable++
			continue
		}
		s.Bytes += f.Size
	}
	return s
}

// Summary is a Snapshot without Jobs: the totals of each group and of the
// whole. It copies no job (no part strips, no names), so a front end that
// draws one row per group can call it every frame with 20,000 jobs queued;
// GroupJobs gives the rows of an expanded group.
func (e *Engine) Summary() Snapshot {
	return e.snapshot(func(*job) bool { return false }, false)
}

// GroupJobs copies the jobs of one group, in the order they were added
// (nil when the group is unknown or was cleared).
func (e *Engine) GroupJobs(g GroupID) []JobSnapshot {
	return e.snapshot(func(j *job) bool { return j.group == g }, false).Jobs
}

// snapshot builds totals over every job and copies those keep selects.
func (e *Engine) snapshot(keep func(*job) bool, all bool) Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	s := Snapshot{Seq: e.seq.Load()}
	if all {
		s.Jobs = make([]JobSnapshot, 0, len(e.jobs))
	}
	index := make(map[GroupID]int, len(e.groups))
	for _, g := range e.groups {
		index[g.id] = len(s.Groups)
		s.Groups = append(s.Groups, GroupSnapshot{ID: g.id, Name: g.name, Dir: g.dir})
	}
	for _, j := range e.jobs {
		var js JobSnapshot
		if all || keep(j) {
			js = j.snapshot(now)
			s.Jobs = append(s.Jobs, js)
		} else {
			js = j.counts(now)
		}
		g := &s.Groups[index[j.group]].Totals
		g.count(&js)
		s.Total.count(&js)
		if js.State == Running {
			g.Speed += js.Speed
		}
	}
	for i := range s.Groups {
		t := &s.Groups[i].Totals
		if r := e.retired[s.Groups[i].ID]; r != nil {
			t.add(r)
			s.Total.add(r)
		}
		t.ETA = eta(t.left, t.Speed)
	}
	e.meterMu.Lock()
	s.Total.Speed = e.meter.rate(now)
	e.meterMu.Unlock()
	s.Total.ETA = eta(s.Total.left, s.Total.Speed)
	return s
}

// counts is the part of a job's snapshot that totals need: state, size,
// acknowledged and in-flight bytes, speed. It allocates nothing.
func (j *job) counts(now time.Time) JobSnapshot {
	s := JobSnapshot{State: j.state, Size: j.size}
	l := j.live
	l.mu.Lock()
	if l.total > 0 || s.Size <= 0 {
		s.Size = l.total
	}
	s.Acked = l.acked
	if j.state == Running {
		for _, n := range l.flying {
			s.InFlight += n
		}
		s.InFlight = min(s.InFlight, max(0, s.Size-s.Acked))
		s.Speed = l.meter.rate(now)
	}
	l.mu.Unlock()
	return s
}
