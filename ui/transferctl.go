package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/store"
)

// uploadRequestMsg asks the transfers panel to upload paths (files or
// directories) relative to base.
type uploadRequestMsg struct {
	paths []string
	base  string
}

// downloadRequestMsg asks the transfers panel to download entries into dir.
type downloadRequestMsg struct {
	entries []store.Entry
	dir     string
}

// showTransfersMsg asks the root to show the panel (a batch was queued).
type showTransfersMsg struct{}

// remoteReloadMsg and localReloadMsg ask a pane to list again.
type (
	remoteReloadMsg struct{}
	localReloadMsg  struct{}
)

// onExpanded queues one row per file and starts as many as allowed.
func (t Transfers) onExpanded(msg expandedMsg) (Transfers, tea.Cmd) {
	if len(msg.files) == 0 {
		return t, emit(statusMsg{kind: statusWarn, text: "nothing to upload: the directories are empty"})
	}
	// Files that cannot be uploaded get a failed row with the reason, so
	// the warning outlasts the status line; retry tries them again.
	var skipped []string
	for _, f := range msg.files {
		t.nextID++
		r := &transfer{id: t.nextID, dir: dirUp, path: f.path, name: displayPath(f), size: f.size,
			storePath: f.storePath, live: &live{}}
		if f.err != "" {
			r.state, r.err = tFailed, f.err
			skipped = append(skipped, r.name+": "+f.err)
		}
		t.add(r)
	}
	queued := len(msg.files) - len(skipped)
	st := statusMsg{kind: statusInfo, text: fmt.Sprintf("queued %s for upload", countOf(queued, "file"))}
	if len(skipped) > 0 {
		st = statusMsg{kind: statusWarn, text: fmt.Sprintf("queued %s for upload; %d cannot be: %s", countOf(queued, "file"), len(skipped), strings.Join(skipped, "; "))}
	}
	return t, tea.Batch(emit(st), emit(showTransfersMsg{}), t.schedule())
}

func displayPath(f uploadFile) string {
	if f.storePath != "" && !strings.HasSuffix(f.storePath, "/") {
		return f.storePath
	}
	return filepath.Base(f.path)
}

// download queues remote files into dir; taken names get a " (1)"
// suffix, never overwritten.
func (t Transfers) download(msg downloadRequestMsg) (Transfers, tea.Cmd) {
	for _, e := range msg.entries {
		if e.Gone {
			continue
		}
		t.nextID++
		name := safeLocalName(e.Filename, e.Handle)
		t.add(&transfer{id: t.nextID, dir: dirDown, path: filepath.Join(msg.dir, name), name: name,
			handle: e.Handle, size: e.Size, live: &live{}})
	}
	return t, tea.Batch(emit(showTransfersMsg{}), t.schedule())
}

// schedule starts queued rows while fewer than FileConcurrency run.
func (t *Transfers) schedule() tea.Cmd {
	running, _ := t.counts()
	var cmds []tea.Cmd
	for _, r := range t.rows {
		if running >= t.env.d.Settings.FileConcurrency {
			break
		}
		if r.state != tQueued {
			continue
		}
		if running == 0 && t.batchStart.IsZero() {
			t.batchStart = t.env.d.Now()
		}
		cmds = append(cmds, t.start(r))
		running++
	}
	return tea.Batch(cmds...)
}

func (t *Transfers) start(r *transfer) tea.Cmd {
	d := &t.env.d
	ctx, cancel := context.WithCancelCause(d.Context)
	r.cancel, r.state, r.err, r.started = cancel, tRunning, "", d.Now()
	r.samples = nil
	if r.live == nil {
		r.live = &live{}
	}
	if r.dir == dirDown {
		return t.track(runDownload(ctx, r.id, d.Remote, r.handle, r.path, r.part, r.live, t.wake))
	}
	st := d.Settings.Store
	st.Path = r.storePath
	return t.track(runUpload(ctx, uploadJob{id: r.id, path: r.path, store: st, jobID: r.jobID, resume: r.resume,
		partConc: d.Settings.PartConcurrency, intelligent: d.Settings.Intelligent, remote: d.Remote,
		ledger: d.Ledger, scope: d.Scope, live: r.live, wake: t.wake, now: d.Now}))
}

// track counts a transfer command as in flight until it returns, so
// Shutdown can wait for it.
func (t *Transfers) track(cmd tea.Cmd) tea.Cmd {
	wg := t.inflight
	wg.Add(1)
	return func() tea.Msg {
		defer wg.Done()
		return cmd()
	}
}

// Shutdown stops running transfers (uploads stay journaled for the next
// start), waits up to wait for them to wind down, and removes the partial
// files of downloads that will not be resumed.
func (t Transfers) Shutdown(wait time.Duration) {
	for _, r := range t.rows {
		if r.state == tRunning && r.cancel != nil {
			r.cancel(errQuit)
		}
	}
	done := make(chan struct{})
	go func() { t.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
	for _, r := range t.rows {
		if r.part.path != "" {
			os.Remove(r.part.path)
		}
	}
}

func (t Transfers) onUploadDone(msg uploadDoneMsg) (Transfers, tea.Cmd) {
	r := t.byID(msg.id)
	if r == nil {
		return t, nil
	}
	r.jobID = msg.jobID
	r.snap = r.live.snapshot(r.snap.parts)
	r.finished = t.env.d.Now()
	var st tea.Cmd
	switch {
	case msg.err == nil:
		r.state, r.handle = tDone, msg.file.Handle
		st = emit(statusMsg{kind: statusOK, text: fmt.Sprintf("uploaded %s as %s", Sanitize(r.name), msg.file.Handle)})
	case errors.Is(msg.cause, errPaused):
		r.state = tPaused
		r.resume = r.live.latestSession()
	case errors.Is(msg.cause, errCancelled):
		r.state = tCancelled
	default:
		r.state, r.err = tFailed, failureText(msg.err)
		r.resume = r.live.latestSession()
		st = emit(statusMsg{kind: statusErr, text: fmt.Sprintf("upload of %s failed: %s", Sanitize(r.name), r.err)})
	}
	if msg.journalErr != nil {
		// The upload itself went on; say that it cannot be resumed.
		st = tea.Batch(st, emit(statusMsg{kind: statusWarn, text: "journal: " + msg.journalErr.Error() +
			" (" + Sanitize(r.name) + " will not be offered for resuming)"}))
	}
	return t, tea.Batch(st, t.schedule(), emit(remoteReloadMsg{}), t.batchFinished())
}

func failureText(err error) string {
	s := err.Error()
	if filestack.IsUnauthorized(err) {
		s += " — the API key was rejected; check it with `fsdeck key status`"
	}
	return s
}

func (t Transfers) onDownloadDone(msg downloadDoneMsg) (Transfers, tea.Cmd) {
	r := t.byID(msg.id)
	if r == nil {
		return t, nil
	}
	r.snap = r.live.snapshot(r.snap.parts)
	r.finished = t.env.d.Now()
	var st tea.Cmd
	switch {
	case msg.err == nil:
		r.state = tDone
		note := ""
		if filepath.Base(msg.path) != filepath.Base(r.path) {
			note = " (name taken, saved as " + Sanitize(filepath.Base(msg.path)) + ")"
		}
		st = emit(statusMsg{kind: statusOK, text: "downloaded " + Sanitize(r.name) + note})
	case errors.Is(msg.cause, errPaused):
		r.state, r.part = tPaused, msg.part // resuming continues from r.part
	case errors.Is(msg.cause, errCancelled):
		r.state = tCancelled
	default:
		r.state, r.err, r.part = tFailed, msg.err.Error(), msg.part
		st = emit(statusMsg{kind: statusErr, text: "download of " + Sanitize(r.name) + " failed: " + r.err})
	}
	return t, tea.Batch(st, t.schedule(), emit(localReloadMsg{}), t.batchFinished())
}

// batchFinished notifies (bell + OSC 9) when the last transfer of a batch
// that ran longer than NotifyAfter ends.
func (t *Transfers) batchFinished() tea.Cmd {
	if t.Active() > 0 || t.batchStart.IsZero() {
		return nil
	}
	took := t.env.d.Now().Sub(t.batchStart)
	t.batchStart = time.Time{}
	if took < t.env.d.Settings.NotifyAfter {
		return nil
	}
	failed := 0
	for _, r := range t.rows {
		if r.state == tFailed {
			failed++
		}
	}
	text := "fsdeck: transfers finished"
	if failed > 0 {
		text = fmt.Sprintf("fsdeck: transfers finished, %d failed", failed)
	}
	return notify(t.env.d.Clipboard, text)
}

// stopAll cancels or pauses every row.
func (t *Transfers) stopAll(cause error) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range t.rows {
		cmds = append(cmds, t.stopRow(r, cause))
	}
	return tea.Batch(cmds...)
}

// stopRow cancels a running row with a cause, or settles a queued, paused
// or failed one; cancelling drops its journal entry or partial download (in
// a command).
func (t *Transfers) stopRow(r *transfer, cause error) tea.Cmd {
	switch r.state {
	case tRunning:
		r.cancel(cause)
	case tQueued:
		if errors.Is(cause, errPaused) {
			r.state = tPaused
		} else {
			r.state = tCancelled
		}
	case tPaused, tFailed:
		if errors.Is(cause, errCancelled) {
			r.state = tCancelled
			return t.dropLeftovers(r)
		}
	}
	return nil
}

// dropLeftovers removes a cancelled row's partial download or journal
// entry in a command, reporting a journal that cannot be updated.
func (t *Transfers) dropLeftovers(r *transfer) tea.Cmd {
	if part := r.part.path; part != "" {
		r.part = downloadPart{}
		return func() tea.Msg {
			os.Remove(part)
			return nil
		}
	}
	if id, l := r.jobID, t.env.d.Ledger; id != 0 {
		return func() tea.Msg {
			if err := l.FinishJob(context.Background(), id); err != nil {
				return statusMsg{kind: statusErr, text: "journal: " + err.Error()}
			}
			return nil
		}
	}
	return nil
}

// jobsMsg lists unfinished uploads from an earlier run.
type jobsMsg struct {
	jobs []store.Job
	err  error
}

func loadJobs(l Ledger, s store.Scope) tea.Cmd {
	return func() tea.Msg {
		jobs, err := l.Jobs(context.Background(), s)
		return jobsMsg{jobs: jobs, err: err}
	}
}

// onJobs offers to resume what an earlier run left unfinished.
func (t Transfers) onJobs(msg jobsMsg) (Transfers, tea.Cmd) {
	if msg.err != nil {
		return t, emit(statusMsg{kind: statusErr, text: "journal: cannot read unfinished uploads: " + msg.err.Error()})
	}
	if len(msg.jobs) == 0 {
		return t, nil
	}
	var size int64
	for _, j := range msg.jobs {
		size += j.Size
	}
	return t, openDialog(newMenu(t.env, fmt.Sprintf("%s from an earlier run (%s)", countOf(len(msg.jobs), "unfinished upload"), formatSize(size)),
		[]menuItem{
			{key: "r", label: "resume them (only the missing parts are sent)", cmd: emit(resumeJobsMsg{jobs: msg.jobs})},
			{key: "d", label: "discard them", cmd: emit(discardJobsMsg{jobs: msg.jobs})},
			{key: "l", label: "decide later (ask again next start)", cmd: nil},
		}))
}

// resumeJobsMsg and discardJobsMsg carry the person's answer.
type resumeJobsMsg struct{ jobs []store.Job }
type discardJobsMsg struct{ jobs []store.Job }

func (t Transfers) resumeJobs(jobs []store.Job) (Transfers, tea.Cmd) {
	for _, j := range jobs {
		var sess *filestack.Session
		if j.Session != "" {
			var s filestack.Session
			if json.Unmarshal([]byte(j.Session), &s) == nil {
				sess = &s
			}
		}
		t.nextID++
		t.add(&transfer{id: t.nextID, dir: dirUp, path: j.LocalPath, name: filepath.Base(j.LocalPath),
			size: j.Size, jobID: j.ID, resume: sess, live: &live{}, storePath: storePathOf(sess)})
	}
	return t, tea.Batch(info(fmt.Sprintf("resuming %s", countOf(len(jobs), "upload"))), emit(showTransfersMsg{}), t.schedule())
}

func storePathOf(s *filestack.Session) string {
	if s == nil {
		return ""
	}
	return s.Store.Path
}

func discardJobs(l Ledger, jobs []store.Job) tea.Cmd {
	return func() tea.Msg {
		var errs []string
		for _, j := range jobs {
			if err := l.FinishJob(context.Background(), j.ID); err != nil {
				errs = append(errs, err.Error())
			}
		}
		if len(errs) > 0 {
			return statusMsg{kind: statusErr, text: fmt.Sprintf("journal: %d of %d could not be discarded: %s", len(errs), len(jobs), errs[0])}
		}
		return statusMsg{kind: statusInfo, text: fmt.Sprintf("discarded %s", countOf(len(jobs), "unfinished upload"))}
	}
}
