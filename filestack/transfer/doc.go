// Package transfer is fsdeck's transfer engine: it turns local paths and
// remote handles into upload and download jobs and runs them, with no user
// interface in it. The TUI's transfers panel and the headless commands are
// both front ends of the same engine.
//
// # Lifecycle
//
//   - New(ctx, Options) makes an engine. Every transfer's context derives
//     from ctx, so cancelling it stops everything; Options.Now is the only
//     clock the engine reads.
//   - Expand walks paths into UploadFile values (directories recursively,
//     each file with its store path) without queueing anything, so a front
//     end can ask before a large upload. AddUploads and AddDownloads queue
//     one group of jobs each and return at once; the engine starts them as
//     file concurrency allows (each upload sends up to PartConcurrency parts
//     at a time).
//   - Unfinished lists uploads an earlier run left in the journal;
//     ResumeJobs queues them again (only the parts the server lacks are
//     sent; a session the server no longer knows restarts cleanly) and
//     DiscardJobs forgets them.
//   - Snapshot returns a copy of every job's progress (per part as well),
//     of each group and of the whole; nothing in it is shared with the
//     engine, so a front end may keep and read it without locks. Wake
//     returns one channel that receives (coalesced, never blocking the
//     engine) whenever something changed: wait on it, then take a Snapshot.
//   - Pause, Resume, Cancel and Retry act on one job; PauseGroup,
//     ResumeGroup, CancelGroup and RetryGroup on a group; PauseAll,
//     ResumeAll and CancelAll on every job (these return how many jobs
//     they changed); ClearFinished drops done and cancelled jobs from
//     snapshots. Queued jobs start oldest first.
//   - SetTarget points jobs added later at another client, journal and
//     ledger (after switching from the local server to Filestack); jobs
//     already added keep theirs.
//   - Shutdown stops running transfers (uploads stay journaled for the next
//     start, partial downloads are removed) and waits up to a bound.
//
// # Progress
//
// A job's Acked bytes are those the server acknowledged: a multipart part
// counts when its PUT (or intelligent-ingestion commit) answered 2xx, a
// simple store when it answered, a download when the bytes are written to
// the partial file. InFlight is what has been written to connections and
// not yet acknowledged. Front ends draw InFlight differently, never as done.
// Speed counts only bytes sent in this run (resumed parts are not counted)
// over a rolling window.
//
// # Storage
//
// The engine does not know the database: it is given a Journal (unfinished
// multipart sessions) and a Ledger (finished uploads) through Target. The
// store package satisfies both with (*store.Ledger).Transfers(scope).
// Journal and ledger errors are never dropped: they fail the job (ledger)
// or stay on it as a warning (journal) in the snapshot.
//
// Names in snapshots come from the file system and from the server: they
// are unsanitised, and a front end must sanitise them before drawing.
package transfer
