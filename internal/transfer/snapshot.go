package transfer

import (
	"time"
)

// Snapshot is a copy of the engine's state at one moment. It shares no
// memory with the engine.
type Snapshot struct {
	// Seq grows with every change (progress included); an unchanged Seq
	// means nothing changed but speeds and ETAs.
	Seq uint64
	// Jobs in the order they were added.
	Jobs []JobSnapshot
	// Groups in the order they were added (only groups with jobs left).
	Groups []GroupSnapshot
	// Total sums every job that was not cancelled.
	Total Totals
}

// JobSnapshot is one job.
type JobSnapshot struct {
	ID    JobID
	Group GroupID
	Dir   Direction
	State State
	// Name is what to show: the store path of an upload from a directory,
	// else the file name. Unsanitised.
	Name string
	// LocalPath is the upload's source, or the download's wanted
	// destination (SavedAs says where it went).
	LocalPath string
	// StorePath is an upload's store path ("" for none).
	StorePath string
	// Handle is the remote file: a download's source, a finished upload's
	// result (for a hosting target, the service's id of the file).
	Handle string
	// Target is the registry name of the job's target ("" for local
	// copies and moves).
	Target string
	// URL is a finished upload's main URL ("" where the target's
	// Capabilities.DerivedURL: Filestack's is computed from Handle).
	URL string
	// SavedAs is a finished download's path (" (1)" added when the name
	// was taken).
	SavedAs string
	// Size is the file's size in bytes (0 while a download's is unknown).
	Size int64
	// Acked is bytes the server acknowledged (downloads: bytes written).
	Acked int64
	// InFlight is bytes written to connections and not yet acknowledged.
	InFlight int64
	// Parts are an upload's parts (one for a simple store, nil for
	// downloads); PartSize is their size (the last may be shorter).
	Parts    []PartState
	PartSize int64
	// Resumed is bytes that were already on the server when this run
	// started the job (a resumed upload's parts, a download's partial file).
	Resumed int64
	// Retries counts failed requests that were retried; LastRetry says why
	// the latest was.
	Retries   int
	LastRetry string
	// Retrying is set while a retry is pending and no byte moved since;
	// Attempt is then the number of the attempt that failed last (a front
	// end shows "retrying, attempt 3: <LastRetry>"). The client gives up
	// after the bound of its RetryPolicy (by default 8 attempts or 3
	// minutes per request), and Err then says so: "… gave up after 8
	// attempts over 31s: cannot connect: connection refused".
	Retrying bool
	Attempt  int
	// Attempts is the client's limit of attempts for the request being
	// retried (0 when its retries are bounded otherwise), and NextTry when
	// it tries again (zero when the client did not say): "attempt 6 of
	// 8, next in 20s". Both are set only while Retrying.
	Attempts int
	NextTry  time.Time
	// ChunkSize is intelligent ingestion's current chunk size (0 before it
	// changes).
	ChunkSize int64
	// Restarted says why the job began again from zero ("" if it did not).
	Restarted string
	// Resumable says the job's transfer continues where it stopped after
	// a pause, a quit or a crash instead of starting again: an upload
	// whose target journals its parts (hosts.PartUploader) and that goes,
	// or will go, in more than one part; a download the target continues
	// with a Range request into a journaled partial file. What stopping
	// now loses depends on State too (a queued job has nothing journaled).
	Resumable bool
	// PacedUntil is set while a running host upload waits for its
	// service's pace (the spacing between requests fsdeck keeps to stay
	// under the service's rate limit): nothing is sent before then.
	PacedUntil time.Time
	// Err says why the job failed.
	Err string
	// Cause is the error Err words (nil unless Failed), so that a front end
	// can tell failures apart with errors.Is/As and the filestack
	// predicates (IsUnauthorized) instead of matching text.
	Cause error
	// Warnings are problems that did not stop the job, such as a journal
	// write that failed (a resume after a crash would then start over).
	Warnings []string
	// Speed is bytes per second acknowledged in this run over the rolling
	// window (bytes in flight are not); ETA the time left at that speed
	// (-1 when unknown).
	Speed float64
	ETA   time.Duration
	// Started and Finished are the latest run's times (zero when not yet).
	Started, Finished time.Time
}

// Totals count files and bytes over a set of jobs.
type Totals struct {
	Files, Done, Failed, Cancelled, Running, Queued, Paused int
	// Bytes is the size of the jobs not cancelled, less those that failed
	// before ever starting (a file refused before a byte was sent would
	// otherwise hold the bar below 100% for bytes nobody will send);
	// Acked and InFlight sum theirs.
	Bytes, Acked, InFlight int64
	// Speed is bytes per second over the window; ETA the time left for
	// the unacknowledged bytes of running and queued jobs at that speed
	// (-1 when unknown).
	Speed float64
	ETA   time.Duration
	left  int64 // unacknowledged bytes of running and queued jobs
}

// GroupSnapshot is one group of jobs (one directory upload, for example).
type GroupSnapshot struct {
	ID     GroupID
	Name   string
	Dir    Direction
	Totals Totals
}

// count adds one job to the totals (speed and ETA are set by the caller).
func (t *Totals) count(j *JobSnapshot) {
	t.Files++
	switch j.State {
	case Done:
		t.Done++
	case Failed:
		t.Failed++
		if j.Acked == 0 && j.InFlight == 0 {
			// Refused or failed before a byte was accepted, also on a
			// retry (which starts the job again): none of its bytes went
			// or will go without another retry, so they do not hold the
			// bar below 100%; "N failed" says it.
			return
		}
	case Cancelled:
		t.Cancelled++
		return
	case Running:
		t.Running++
		t.left += max(0, j.Size-j.Acked)
	case Queued:
		t.Queued++
		t.left += max(0, j.Size-j.Acked)
	case Paused:
		t.Paused++
	}
	if j.Size > 0 {
		t.Bytes += j.Size
	}
	t.Acked += j.Acked
	t.InFlight += j.InFlight
}

// eta is the time left for left bytes at speed, -1 when unknown.
func eta(left int64, speed float64) time.Duration {
	if speed <= 0 || left < 0 {
		return -1
	}
	return time.Duration(float64(left) / speed * float64(time.Second))
}
