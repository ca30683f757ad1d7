// Package transfer is fsdeck's transfer engine: it turns local paths and
// remote handles into upload and download jobs and runs them, with no user
// interface in it. The TUI's transfers panel and the headless commands are
// both front ends of the same engine.
//
// It imports internal/hosts (the targets' contract) and internal/text,
// and defines the small interfaces it needs of the rest (Journal,
// DownloadJournal, Ledger, UploadIndex, Fetcher); it never imports a
// target's package, the store, the user interface or a charm package.
// internal/transfer/bookkeeping binds the store to those interfaces.
//
// # Lifecycle
//
//   - New(ctx, Options) makes an engine. Every transfer's context derives
//     from ctx, so cancelling it stops everything; Options.Now is the only
//     clock the engine reads.
//   - Expand walks paths into UploadFile values (directories recursively,
//     each file with its store path) without queueing anything, and Measure
//     sums them (files, bytes, unreadable), so a front end can ask before
//     an upload of more than LargeUpload files. FindDuplicates hashes them
//     (cancellable, with progress) and returns those whose SHA-256 the
//     ledger already has for this endpoint and key, with the earlier
//     handles. AddUploads and AddDownloads queue one group of jobs each
//     and return at once; the engine starts them as file concurrency
//     allows (each upload sends up to PartConcurrency parts at a time).
//   - AddLocal queues local copies or moves (a file, directory or link
//     each, from an expansion that did not follow links) as one group.
//     They need no target and run one at a time in a lane of their own,
//     beside transfers. A copy is written to a hidden file and put in
//     place without replacing anything unless the item says Overwrite; a
//     move (across file systems) then checks the copy's size and SHA-256
//     and removes the source and its emptied directories.
//   - Unfinished lists transfers an earlier run (or a crash) left in the
//     journal: uploads, and downloads when the journal is a
//     DownloadJournal. ResumeJobs queues them again: an upload sends only
//     the parts the server lacks; a session started at another server, one
//     the server no longer knows (expired, lost) or whose address refuses
//     connections restarts cleanly (new session, same file, same store
//     options) and the job's Restarted says why; a download continues its
//     partial file. DiscardJobs forgets them.
//   - CleanPartials, called once at start, removes partial download files
//     no journal owns (older than StalePartialAge) in the directories the
//     front end names and in those of journaled downloads.
//   - Snapshot returns a copy of every job's progress (per part as well),
//     of each group and of the whole; nothing in it is shared with the
//     engine, so a front end may keep and read it without locks. Summary
//     returns the group and overall totals only (cheap with 20,000 jobs),
//     GroupJobs the jobs of one group. Wake returns one channel that
//     receives (coalesced, never blocking the engine) whenever something
//     changed: wait on it, then take a Snapshot.
//   - Pause, Resume, Cancel and Retry act on one job; PauseGroup,
//     ResumeGroup, CancelGroup and RetryGroup on a group; PauseAll,
//     ResumeAll and CancelAll on every job (these return how many jobs
//     they changed); ClearFinished drops done and cancelled jobs from
//     snapshots. Queued jobs start oldest first.
//   - SetTarget points jobs added later at another service, journal and
//     ledger (after switching from the local server to Filestack); jobs
//     already added keep theirs.
//   - Shutdown stops running transfers (uploads, and downloads with a
//     DownloadJournal, stay journaled for the next start; other partial
//     downloads are removed) and waits up to a bound.
//
// # Progress
//
// A job's Acked bytes are those the server acknowledged: a multipart part
// counts when its PUT (or intelligent-ingestion commit) answered 2xx, a
// simple store when it answered, a download when the bytes are written to
// the partial file. InFlight is what has been written to connections and
// not yet acknowledged. Front ends draw InFlight differently, never as done.
// Speed counts only bytes sent in this run (resumed parts are not counted)
// over a rolling window. Resumed is what was already on the server (or in
// a download's partial file) when the run started; it counts as Acked from
// the first snapshot. Totals count files (Files, Done, Failed…) as well as
// bytes, so transfers of empty files show progress too.
//
// # Connection loss
//
// Every request is retried under the client's RetryPolicy (by default 8
// attempts or 3 minutes per request, backoff from 250 ms to 15 s). While a
// job waits for a retry, its snapshot has Retrying set, the Attempt that
// failed and LastRetry (the error); when the policy gives up, the job
// fails with an Err such as "send part 2: gave up after 8 attempts over
// 31s: cannot connect: connection refused". Front ends can watch their own
// calls the same way with filestack.WithRetryObserver.
//
// # Targets
//
// A Target's Service is a hosts.Target (Filestack, ImgBB, Pastebin, …),
// and the engine asks it for capabilities, never for its name. A service
// that uploads in parts (hosts.PartUploader: Filestack's multipart Upload
// API) takes uploads from the file's path: its sessions are journaled as
// described above, and pause, resume, retry and a restart after a crash
// send only the missing parts. Any other service takes each upload in one
// request through Target.Upload: before any byte is sent the file is
// checked against its Capabilities (kind, size, expiry and privacy
// options) and a refusal fails the job with the reason. The body shows as
// InFlight until the service answers; only its answer makes the file
// Acked, and the ledger then records the service's id, URL, links and
// expiry (no URL where Capabilities.DerivedURL: Filestack's is built from
// the handle). A rate limit is waited out as the service asks
// (Retry-After, up to 2 minutes, 3 attempts); a used-up quota, a rejected
// key or a refused file fails at once. Such uploads are one request each:
// they are not journaled, and Pause, Resume and Retry send them again.
// Failures are worded by hosts.DescribeFor (the service's own Describe,
// else hosts.Describe). A job's snapshot names its Target and says
// whether it is Resumable. AddUploadsTo queues files to another target
// without changing the engine's own.
//
// A download by id goes through the service's hosts.RangeDownloader
// (Filestack's CDN), continuing a partial file with a Range request; a
// RemoteFile whose bytes a hosting service serves at a URL comes through
// its Fetcher instead (AddDownloadsTo), whole every time.
//
// # Storage
//
// The engine does not know the database: it is given a Journal (unfinished
// multipart sessions, and partial downloads when it is also a
// DownloadJournal) and a Ledger (finished uploads, looked up by content
// when it is also an UploadIndex) through Target. The store's ledger
// satisfies all four through bookkeeping.For(ledger, scope) (package
// internal/transfer/bookkeeping); this package never imports the store.
// Journal and ledger errors are never dropped: they fail the job (ledger)
// or stay on it as a warning (journal) in the snapshot. A part uploader's
// session is saved before its OnSession returns, and the target sends no
// more from that worker until then, so the journal holds every part the
// server acknowledged but those in flight, even after a kill -9.
//
// Names in snapshots come from the file system and from the server: they
// are unsanitised, and a front end must sanitise them before drawing.
//
// It imports of fsdeck only internal/hosts (targets are asked for
// capabilities, never for their name) and internal/text; never the store
// (internal/transfer/bookkeeping binds it), the Filestack client, the
// interface or the commands.
package transfer
