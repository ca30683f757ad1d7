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

// onExpanded queues one row per file and starts as many as allowed.
func (m Model) onExpanded(msg expandedMsg) (tea.Model, tea.Cmd) {
	if len(msg.files) == 0 {
		m.setStatus(statusWarn, "nothing to upload: the directories are empty")
		return m, nil
	}
	// Files that cannot be uploaded get a failed row with the reason, so
	// the warning outlasts the status line; retry tries them again.
	var skipped []string
	for _, f := range msg.files {
		m.nextID++
		r := &transfer{id: m.nextID, dir: dirUp, path: f.path, name: displayPath(f), size: f.size,
			storePath: f.storePath, live: &live{}}
		if f.err != "" {
			r.state, r.err = tFailed, f.err
			skipped = append(skipped, r.name+": "+f.err)
		}
		m.transfers.add(r)
	}
	m.local.ClearMarks()
	m.showTransfersIfHidden()
	queued := len(msg.files) - len(skipped)
	if len(skipped) == 0 {
		m.setStatus(statusInfo, fmt.Sprintf("queued %d file(s) for upload", queued))
	} else {
		m.setStatus(statusWarn, fmt.Sprintf("queued %d file(s) for upload; %d cannot be: %s", queued, len(skipped), strings.Join(skipped, "; ")))
	}
	return m, m.schedule()
}

func displayPath(f uploadFile) string {
	if f.storePath != "" && !strings.HasSuffix(f.storePath, "/") {
		return f.storePath
	}
	return filepath.Base(f.path)
}

func (m *Model) showTransfersIfHidden() {
	if !m.showXfers {
		m.showXfers = true
	}
	m.layout()
}

// schedule starts queued rows while fewer than FileConcurrency run.
func (m *Model) schedule() tea.Cmd {
	running, _ := m.transfers.counts()
	var cmds []tea.Cmd
	for _, r := range m.transfers.rows {
		if running >= m.d.Settings.FileConcurrency {
			break
		}
		if r.state != tQueued {
			continue
		}
		if running == 0 && m.batchStart.IsZero() {
			m.batchStart = m.d.Now()
		}
		cmds = append(cmds, m.start(r))
		running++
	}
	return tea.Batch(cmds...)
}

func (m *Model) start(r *transfer) tea.Cmd {
	ctx, cancel := context.WithCancelCause(context.Background())
	r.cancel, r.state, r.err, r.started = cancel, tRunning, "", m.d.Now()
	r.samples = nil
	if r.live == nil {
		r.live = &live{}
	}
	if r.dir == dirDown {
		return m.track(runDownload(ctx, r.id, m.d.Remote, r.handle, r.path, r.part, r.live, m.wake))
	}
	st := m.d.Settings.Store
	st.Path = r.storePath
	return m.track(runUpload(ctx, uploadJob{id: r.id, path: r.path, store: st, jobID: r.jobID, resume: r.resume,
		partConc: m.d.Settings.PartConcurrency, intelligent: m.d.Settings.Intelligent, remote: m.d.Remote,
		ledger: m.d.Ledger, scope: m.d.Scope, live: r.live, wake: m.wake}))
}

// track counts a transfer command as in flight until it returns, so
// Shutdown can wait for it.
func (m *Model) track(cmd tea.Cmd) tea.Cmd {
	wg := m.inflight
	wg.Add(1)
	return func() tea.Msg {
		defer wg.Done()
		return cmd()
	}
}

// Shutdown is for after the program has quit: it stops running transfers
// (uploads stay journaled for the next start), waits up to wait for them to
// wind down, and removes the partial files of downloads that will not be
// resumed.
func (m Model) Shutdown(wait time.Duration) {
	for _, r := range m.transfers.rows {
		if r.state == tRunning && r.cancel != nil {
			r.cancel(errQuit)
		}
	}
	done := make(chan struct{})
	go func() { m.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(wait):
	}
	for _, r := range m.transfers.rows {
		if r.part.path != "" {
			os.Remove(r.part.path)
		}
	}
}

func (m Model) onUploadDone(msg uploadDoneMsg) (tea.Model, tea.Cmd) {
	r := m.transfers.byID(msg.id)
	if r == nil {
		return m, nil
	}
	r.jobID = msg.jobID
	r.snap = r.live.snapshot(r.snap.parts)
	r.finished = m.d.Now()
	switch {
	case msg.err == nil:
		r.state, r.handle = tDone, msg.file.Handle
		m.setStatus(statusOK, fmt.Sprintf("uploaded %s as %s", Sanitize(r.name), msg.file.Handle))
	case errors.Is(msg.cause, errPaused):
		r.state = tPaused
		r.resume = r.live.latestSession()
	case errors.Is(msg.cause, errCancelled):
		r.state = tCancelled
	default:
		r.state, r.err = tFailed, failureText(msg.err)
		r.resume = r.live.latestSession()
		m.setStatus(statusErr, fmt.Sprintf("upload of %s failed: %s", Sanitize(r.name), r.err))
	}
	cmds := []tea.Cmd{m.schedule(), m.remote.Reload(m.d.Ledger, m.d.Scope), m.batchFinished()}
	return m, tea.Batch(cmds...)
}

func failureText(err error) string {
	s := err.Error()
	if filestack.IsUnauthorized(err) {
		s += " — the API key was rejected; check it with `fsdeck key status`"
	}
	return s
}

func (m Model) onDownloadDone(msg downloadDoneMsg) (tea.Model, tea.Cmd) {
	r := m.transfers.byID(msg.id)
	if r == nil {
		return m, nil
	}
	r.snap = r.live.snapshot(r.snap.parts)
	r.finished = m.d.Now()
	switch {
	case msg.err == nil:
		r.state = tDone
		note := ""
		if filepath.Base(msg.path) != filepath.Base(r.path) {
			note = " (name taken, saved as " + Sanitize(filepath.Base(msg.path)) + ")"
		}
		m.setStatus(statusOK, "downloaded "+Sanitize(r.name)+note)
	case errors.Is(msg.cause, errPaused):
		r.state, r.part = tPaused, msg.part // resuming continues from r.part
	case errors.Is(msg.cause, errCancelled):
		r.state = tCancelled
	default:
		r.state, r.err, r.part = tFailed, msg.err.Error(), msg.part
		m.setStatus(statusErr, "download of "+Sanitize(r.name)+" failed: "+r.err)
	}
	return m, tea.Batch(m.schedule(), m.local.Reload(), m.batchFinished())
}

// batchFinished notifies (bell + OSC 9) when the last transfer of a batch
// that ran longer than NotifyAfter ends.
func (m *Model) batchFinished() tea.Cmd {
	running, queued := m.transfers.counts()
	if running+queued > 0 || m.batchStart.IsZero() {
		return nil
	}
	took := m.d.Now().Sub(m.batchStart)
	m.batchStart = time.Time{}
	if took < m.d.Settings.NotifyAfter {
		return nil
	}
	failed := 0
	for _, r := range m.transfers.rows {
		if r.state == tFailed {
			failed++
		}
	}
	text := "fsdeck: transfers finished"
	if failed > 0 {
		text = fmt.Sprintf("fsdeck: transfers finished, %d failed", failed)
	}
	return notify(m.d.Clipboard, text)
}

// onTransferKey carries out cancel, pause/resume and retry.
func (m Model) onTransferKey(msg transferKeyMsg) (tea.Model, tea.Cmd) {
	switch msg.action {
	case "clear-done":
		n := m.transfers.clearFinished()
		m.setStatus(statusInfo, fmt.Sprintf("cleared %d finished transfer(s)", n))
		m.layout()
		return m, nil
	case "cancel-all", "pause-all":
		cause := errCancelled
		if msg.action == "pause-all" {
			cause = errPaused
		}
		var cmds []tea.Cmd
		for _, r := range m.transfers.rows {
			cmds = append(cmds, m.stopRow(r, cause))
		}
		return m, tea.Batch(cmds...)
	}
	r := m.transfers.byID(msg.id)
	if r == nil {
		return m, nil
	}
	switch msg.action {
	case "cancel":
		return m, m.stopRow(r, errCancelled)
	case "pause":
		if r.state == tPaused {
			r.state = tQueued
			return m, m.schedule()
		}
		return m, m.stopRow(r, errPaused)
	case "retry":
		if r.state == tFailed || r.state == tCancelled {
			if r.state == tCancelled {
				r.resume, r.jobID = nil, 0
			}
			r.state, r.err = tQueued, ""
			return m, m.schedule()
		}
	}
	return m, nil
}

// stopRow cancels a running row with a cause, or settles a queued, paused
// or failed one; cancelling drops its journal entry or partial download (in
// a command).
func (m *Model) stopRow(r *transfer, cause error) tea.Cmd {
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
			if part := r.part.path; part != "" {
				r.part = downloadPart{}
				return func() tea.Msg {
					os.Remove(part)
					return nil
				}
			}
			if id, l := r.jobID, m.d.Ledger; id != 0 {
				return func() tea.Msg {
					l.FinishJob(context.Background(), id)
					return nil
				}
			}
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
func (m Model) onJobs(msg jobsMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil || len(msg.jobs) == 0 {
		return m, nil
	}
	var size int64
	for _, j := range msg.jobs {
		size += j.Size
	}
	m.openOverlay(menuOverlay{title: fmt.Sprintf("%d unfinished upload(s) from an earlier run (%s)", len(msg.jobs), formatSize(size)),
		keys: &m.keys, items: []menuItem{
			{key: "r", label: "resume them (only the missing parts are sent)", cmd: emit(resumeJobsMsg{jobs: msg.jobs})},
			{key: "d", label: "discard them", cmd: emit(discardJobsMsg{jobs: msg.jobs})},
			{key: "l", label: "decide later (ask again next start)", cmd: nil},
		}})
	return m, nil
}

// resumeJobsMsg and discardJobsMsg carry the person's answer.
type resumeJobsMsg struct{ jobs []store.Job }
type discardJobsMsg struct{ jobs []store.Job }

func (m Model) resumeJobs(jobs []store.Job) (tea.Model, tea.Cmd) {
	for _, j := range jobs {
		var sess *filestack.Session
		if j.Session != "" {
			var s filestack.Session
			if json.Unmarshal([]byte(j.Session), &s) == nil {
				sess = &s
			}
		}
		m.nextID++
		m.transfers.add(&transfer{id: m.nextID, dir: dirUp, path: j.LocalPath, name: filepath.Base(j.LocalPath),
			size: j.Size, jobID: j.ID, resume: sess, live: &live{}, storePath: storePathOf(sess)})
	}
	m.showTransfersIfHidden()
	m.setStatus(statusInfo, fmt.Sprintf("resuming %d upload(s)", len(jobs)))
	return m, m.schedule()
}

func storePathOf(s *filestack.Session) string {
	if s == nil {
		return ""
	}
	return s.Store.Path
}

func discardJobs(l Ledger, jobs []store.Job) tea.Cmd {
	return func() tea.Msg {
		for _, j := range jobs {
			l.FinishJob(context.Background(), j.ID)
		}
		return statusMsg{kind: statusInfo, text: fmt.Sprintf("discarded %d unfinished upload(s)", len(jobs))}
	}
}
