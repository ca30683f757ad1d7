package transfers

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/internal/transfer/bookkeeping"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// destinedMsg is an upload request whose target is settled (uploadto.go).
type destinedMsg struct {
	req  uikit.UploadRequestMsg
	dest uploadDest
}

// expandedMsg is the result of walking an upload request.
type expandedMsg struct {
	files []transfer.UploadFile
	dest  uploadDest
}

// expandUploads walks the paths in a command (it reads the disk). For a
// target other than the engine's own (the root) it also checks each file
// against what the target accepts, so a refusal is said before any byte
// is sent; store paths are the root's (Caps.Storage), so those uploads
// get none.
func (t *Panel) expandUploads(msg destinedMsg) tea.Cmd {
	req, dest := msg.req, msg.dest
	if !dest.host() {
		prefix := t.env.Settings().Store.Path
		return t.steps.Start(func() tea.Msg { return expandedMsg{files: expandFrom(req.Paths, req.Base, prefix), dest: dest} })
	}
	tc, ok := t.targets.Named(dest.target)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(dest.target)})
	}
	return t.steps.Start(func() tea.Msg {
		return expandedMsg{files: checkCaps(tc, expandFrom(req.Paths, req.Base, ""), dest.opts), dest: dest}
	})
}

// expandFrom is transfer.Expand with each path's store path relative to
// base when the path is below it, else to the path's own directory: a
// directory marked elsewhere uploads as "photos/a.jpg", never
// "../other/photos/a.jpg".
func expandFrom(paths []string, base, prefix string) []transfer.UploadFile {
	var out []transfer.UploadFile
	for _, p := range paths {
		b := base
		if rel, err := filepath.Rel(base, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			b = filepath.Dir(p)
		}
		out = append(out, transfer.Expand([]string{p}, b, prefix)...)
	}
	return out
}

// EngineTarget is where jobs go for a target: its client (tc.Host, with
// its own options), and the ledger as journal and record of finished
// uploads, in its scope.
func EngineTarget(l uikit.Ledger, tc uikit.TargetConn) transfer.Target {
	t := transfer.Target{Service: tc.Host}
	switch st := l.(type) {
	case nil:
	case *store.Ledger:
		// The store's own binding journals downloads as well, and
		// finds earlier uploads by content.
		ts := bookkeeping.For(st, tc.Scope)
		t.Journal, t.Ledger = ts, ts
	default:
		lt := ledgerTarget{l: l, s: tc.Scope}
		t.Journal, t.Ledger = lt, lt
	}
	return t
}

// ledgerTarget is the ledger, bound to a scope, as the engine's journal
// and ledger.
type ledgerTarget struct {
	l uikit.Ledger
	s store.Scope
}

func (t ledgerTarget) StartJob(ctx context.Context, localPath string, size int64) (int64, error) {
	return t.l.StartJob(ctx, t.s, localPath, size)
}

func (t ledgerTarget) SaveSession(ctx context.Context, id int64, session string) error {
	return t.l.SaveSession(ctx, id, session)
}

func (t ledgerTarget) FinishJob(ctx context.Context, id int64) error { return t.l.FinishJob(ctx, id) }

func (t ledgerTarget) Jobs(ctx context.Context) ([]transfer.JournalJob, error) {
	jobs, err := t.l.Jobs(ctx, t.s)
	out := make([]transfer.JournalJob, len(jobs))
	for i, j := range jobs {
		out[i] = transfer.JournalJob{ID: j.ID, LocalPath: j.LocalPath, Size: j.Size, Session: j.Session}
	}
	return out, err
}

func (t ledgerTarget) RecordUpload(ctx context.Context, u transfer.Uploaded) error {
	return t.l.Add(ctx, t.s, store.Entry{Handle: u.Handle, Filename: u.Filename, Size: u.Size, Mimetype: u.Mimetype,
		Uploaded: u.At, Source: store.SourceUpload, LocalPath: u.LocalPath, SHA256: u.SHA256, StorePath: u.StorePath,
		URL: u.URL, Links: u.Links, Expires: u.Expires})
}

// onExpanded asks about a large upload and files already uploaded
// (uploadflow.go) before queueing.
func (t *Panel) onExpanded(msg expandedMsg) tea.Cmd {
	if len(msg.files) == 0 {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "nothing to upload: the directories are empty"})
	}
	return t.askLarge(msg.files, msg.dest)
}

// queueUpload queues the files as one group; files that cannot be
// uploaded become failed rows with the reason (retry tries them again).
func (t *Panel) queueUpload(msg queueUploadMsg) tea.Cmd {
	if err := t.addUploads(msg); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "upload: " + err.Error()})
	}
	return tea.Batch(uikit.Emit(t.queuedStatus(msg)), uikit.Emit(uikit.ShowTransfersMsg{}), t.refresh())
}

// queuedStatus says what was queued and why the rest was not. The
// status line already names the target, so the reasons do not repeat it.
func (t *Panel) queuedStatus(msg queueUploadMsg) uikit.StatusMsg {
	to, title := "", ""
	if msg.dest.host() {
		title = t.targets.Title(msg.dest.target)
		to = " to " + text.Sanitize(title)
	}
	var skipped []string
	for _, f := range msg.files {
		if f.Err != "" {
			reason := f.Err
			if title != "" {
				reason = strings.TrimPrefix(reason, title+": ")
			}
			skipped = append(skipped, filepath.Base(f.Path)+": "+reason)
		}
	}
	why := text.Sanitize(strings.Join(skipped, "; "))
	queued := len(msg.files) - len(skipped)
	switch {
	case len(skipped) == 0:
		return uikit.StatusMsg{Kind: uikit.StatusInfo, Text: fmt.Sprintf("queued %s for upload%s", text.CountOf(queued, "file"), to)}
	case queued == 0 && title != "":
		return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "nothing queued for " + text.Sanitize(title) + ": " + why}
	case queued == 0:
		return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "nothing queued for upload: " + why}
	}
	return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: fmt.Sprintf("queued %s for upload%s; %d cannot be: %s", text.CountOf(queued, "file"), to, len(skipped), why)}
}

// groupName is a single file's name, else the directory all the files
// are under ("photos/"), else their count.
func groupName(files []transfer.UploadFile) string {
	if len(files) == 1 {
		return filepath.Base(files[0].Path)
	}
	common := filepath.Dir(files[0].Path)
	for _, f := range files[1:] {
		for common != "." && common != string(filepath.Separator) && !strings.HasPrefix(f.Path, common+string(filepath.Separator)) {
			common = filepath.Dir(common)
		}
	}
	if common == "." || common == string(filepath.Separator) {
		return text.CountOf(len(files), "file")
	}
	return filepath.Base(common) + "/"
}

// download queues remote files into dir (gone ones are skipped).
func (t *Panel) download(msg uikit.DownloadRequestMsg) tea.Cmd {
	var files []transfer.RemoteFile
	for _, e := range msg.Entries {
		if !e.Gone {
			files = append(files, transfer.RemoteFile{Handle: e.Handle, Filename: e.Filename, Size: e.Size})
		}
	}
	if len(files) == 0 {
		return nil
	}
	if !t.targets.IsRoot(msg.Target) {
		return t.hostDownload(msg)
	}
	if _, err := t.eng.AddDownloads("download", msg.Dir, files); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "download: " + err.Error()})
	}
	return tea.Batch(uikit.Emit(uikit.ShowTransfersMsg{}), t.refresh())
}

// hostDownload queues a hosting target's files, each fetched from the
// URL that serves its bytes with the target's HTTP client.
func (t *Panel) hostDownload(msg uikit.DownloadRequestMsg) tea.Cmd {
	tc, ok := t.targets.Named(msg.Target)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "download: unknown target " + text.Sanitize(msg.Target)})
	}
	var files []transfer.RemoteFile
	for _, e := range msg.Entries {
		u := hosts.BytesURL(tc.Caps, e.URL, e.Links)
		if e.Gone || u == "" {
			continue
		}
		files = append(files, transfer.RemoteFile{Handle: e.Handle, Filename: e.Filename, Size: e.Size,
			From: transfer.URLFetcher{HTTP: tc.HTTP, URL: u, Service: tc.Title}})
	}
	if len(files) == 0 {
		return nil
	}
	if _, err := t.eng.AddDownloadsTo(hostTarget(t.env.Ledger(), tc, hosts.UploadOptions{}), "download", msg.Dir, files); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "download: " + err.Error()})
	}
	return tea.Batch(uikit.Emit(uikit.ShowTransfersMsg{}), t.refresh())
}

// refresh takes the engine's snapshot, turns it into rows, and reports
// what changed since the last one: finished uploads reload the remote
// pane, finished downloads the local one; failures and journal warnings
// reach the status line; a long batch that ends notifies.
func (t *Panel) refresh() tea.Cmd { return t.apply(t.eng.Snapshot()) }

// apply draws snap from now on and reports what changed since the last.
func (t *Panel) apply(snap transfer.Snapshot) tea.Cmd {
	var cmds []tea.Cmd
	var reloadRemote, reloadLocal bool
	rows := make([]*xferRow, len(snap.Jobs))
	sizes := map[transfer.GroupID]int{}
	for _, j := range snap.Jobs {
		sizes[j.Group]++
	}
	for i, j := range snap.Jobs {
		r := rowOf(j)
		rows[i] = r
		prev, known := t.seen[j.ID]
		t.seen[j.ID] = seenJob{state: j.State, warnings: len(j.Warnings)}
		for _, w := range j.Warnings[min(prev.warnings, len(j.Warnings)):] {
			cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: text.Sanitize(j.Name) + ": " + w}))
		}
		if known && prev.state == j.State {
			continue
		}
		if (j.State == transfer.Done || j.State == transfer.Failed) && (j.Dir == transfer.Upload || j.Dir == transfer.Download) {
			cmds = append(cmds, uikit.Emit(uikit.ReachMsg{Target: j.Target, Err: j.Cause}))
		}
		grouped := sizes[j.Group] > flatGroupMax // one message when the group ends
		switch {
		case j.State == transfer.Done && grouped:
			reloadRemote = reloadRemote || j.Dir == transfer.Upload
			reloadLocal = reloadLocal || j.Dir != transfer.Upload
		case grouped:
			// failures stay on their rows; the group's end is reported
		case j.State == transfer.Done && j.Dir == transfer.Upload:
			reloadRemote = true
			cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: t.uploadedText(j)}))
		case j.State == transfer.Done:
			reloadLocal = true
			note := ""
			if j.SavedAs != "" && filepath.Base(j.SavedAs) != filepath.Base(j.Name) {
				note = " (name taken, saved as " + text.Sanitize(filepath.Base(j.SavedAs)) + ")"
			}
			cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: dirOf(j.Dir).done() + " " + text.Sanitize(j.Name) + note}))
		case j.State == transfer.Failed && known:
			// A job first seen failed could not start (its reason was in
			// the "queued" message); one that ran and failed is news.
			cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("%s of %s failed: %s", j.Dir, text.Sanitize(j.Name), text.Sanitize(t.targets.TitledError(j.Target, j.Err)))}))
		}
	}
	cmds = append(cmds, t.groupsFinished(snap, sizes)...)
	t.rows, t.totals = t.arrange(snap, rows), snap.Total
	t.activeBytes, t.activeFiles = activeOf(snap)
	t.pending = t.pendingOf(snap)
	t.list.SetLen(len(t.rows))
	t.follow()
	if reloadRemote {
		cmds = append(cmds, uikit.Emit(uikit.RemoteReloadMsg{}))
	}
	if reloadLocal {
		cmds = append(cmds, uikit.Emit(uikit.LocalReloadMsg{}))
	}
	return tea.Batch(append(cmds, t.batchFinished())...)
}

// batchFinished notifies (bell + OSC 9) when the last transfer of a batch
// that ran longer than NotifyAfter ends.
func (t *Panel) batchFinished() tea.Cmd {
	if t.Active() > 0 {
		if t.batchStart.IsZero() {
			t.batchStart = t.env.Now()
		}
		return nil
	}
	if t.batchStart.IsZero() {
		return nil
	}
	took := t.env.Now().Sub(t.batchStart)
	t.batchStart = time.Time{}
	if took < t.env.Settings().NotifyAfter {
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
	return uikit.Notify(t.env.Term(), text)
}

// PauseAll pauses everything (quitting after the question: pausing keeps
// every journal entry).
func (t *Panel) PauseAll() { t.eng.PauseAll() }

// jobsMsg lists unfinished uploads and downloads from an earlier run.
type jobsMsg struct {
	jobs []transfer.JournalJob
	err  error
}

func loadJobs(eng Engine) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		jobs, err := eng.Unfinished(ctx)
		return jobsMsg{jobs: jobs, err: err}
	}
}

// cleanPartials removes partial download files no journal owns, once at
// start, in dir and where journaled downloads go.
func cleanPartials(eng Engine, dir string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		removed, err := eng.CleanPartials(ctx, dir)
		switch {
		case err != nil:
			return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "partial downloads: " + err.Error()}
		case len(removed) > 0:
			return uikit.StatusMsg{Kind: uikit.StatusInfo, Text: fmt.Sprintf("removed %s left by an earlier run", text.CountOf(len(removed), "stale partial download"))}
		}
		return nil
	}
}

// onJobs offers to resume what an earlier run left unfinished.
func (t *Panel) onJobs(msg jobsMsg) tea.Cmd {
	if msg.err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "journal: cannot read unfinished transfers: " + msg.err.Error()})
	}
	if len(msg.jobs) == 0 {
		return nil
	}
	return uikit.Open(uikit.NewMenu(t.env, unfinishedTitle(msg.jobs),
		[]uikit.MenuItem{
			{Key: "r", Label: resumeLabel(msg.jobs), Cmd: uikit.Emit(resumeJobsMsg{jobs: msg.jobs})},
			{Key: "d", Label: "discard them", Cmd: uikit.Emit(discardJobsMsg{jobs: msg.jobs})},
			{Key: "l", Label: "decide later (ask again next start)", Cmd: nil},
		}))
}

// unfinishedTitle counts uploads and downloads and names their files: "2
// unfinished uploads (a.bin, big.iso) and 1 unfinished download
// (photo.jpg) from an earlier run (5 MiB)".
func unfinishedTitle(jobs []transfer.JournalJob) string {
	var ups, downs []string
	var size int64
	for _, j := range jobs {
		size += j.Size
		name := text.Sanitize(filepath.Base(j.LocalPath))
		if j.Dir == transfer.Download {
			downs = append(downs, name)
		} else {
			ups = append(ups, name)
		}
	}
	var parts []string
	if len(ups) > 0 {
		parts = append(parts, text.CountOf(len(ups), "unfinished upload")+" ("+uikit.ListSome(ups, 3)+")")
	}
	if len(downs) > 0 {
		parts = append(parts, text.CountOf(len(downs), "unfinished download")+" ("+uikit.ListSome(downs, 3)+")")
	}
	return fmt.Sprintf("%s from an earlier run (%s)", strings.Join(parts, " and "), uikit.FormatSize(size))
}

// resumeLabel says what resuming does, with the verb of each kind.
func resumeLabel(jobs []transfer.JournalJob) string {
	var ups, downs bool
	for _, j := range jobs {
		if j.Dir == transfer.Download {
			downs = true
		} else {
			ups = true
		}
	}
	switch {
	case ups && downs:
		return "resume them (only what is missing is sent or downloaded)"
	case downs:
		return "resume them (only what is missing is downloaded)"
	}
	return "resume them (only what is missing is sent)"
}

// resumeJobsMsg and discardJobsMsg carry the person's answer.
type resumeJobsMsg struct{ jobs []transfer.JournalJob }
type discardJobsMsg struct{ jobs []transfer.JournalJob }

func (t *Panel) resumeJobs(jobs []transfer.JournalJob) tea.Cmd {
	if _, err := t.eng.ResumeJobs("resumed transfers", jobs); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "resume: " + err.Error()})
	}
	return tea.Batch(uikit.Info(fmt.Sprintf("resuming %s", text.CountOf(len(jobs), "transfer"))), uikit.Emit(uikit.ShowTransfersMsg{}), t.refresh())
}

func discardJobs(eng Engine, jobs []transfer.JournalJob) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := eng.DiscardJobs(ctx, jobs); err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "journal: " + err.Error()}
		}
		return uikit.StatusMsg{Kind: uikit.StatusInfo, Text: fmt.Sprintf("discarded %s", text.CountOf(len(jobs), "unfinished transfer"))}
	}
}

// activeOf adds up the running and queued jobs: acknowledged and total
// bytes, and files (none of them done).
func activeOf(snap transfer.Snapshot) (bytes, files [2]int64) {
	for _, j := range snap.Jobs {
		if j.State == transfer.Running || j.State == transfer.Queued {
			bytes[0] += j.Acked
			bytes[1] += j.Size
			files[1]++
		}
	}
	return bytes, files
}
