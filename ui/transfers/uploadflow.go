package transfers

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// An upload request goes: walk the paths (expandedMsg), ask when it is
// large (uploadConfirmedMsg), hash the files in a command and ask about
// each one already uploaded (duplicatesMsg, duplicateAnswerMsg), ask the
// target's options (uploadOptsMsg, uploadto.go), then queue what is left
// (queueUploadMsg). The options come after the duplicate check, so that
// nothing is asked about a file that is then skipped.

// uploadConfirmedMsg: a large upload was confirmed.
type uploadConfirmedMsg struct {
	files []transfer.UploadFile
	dest  uploadDest
}

// duplicatesMsg is the result of hashing an upload against the ledger.
type duplicatesMsg struct {
	files []transfer.UploadFile
	dups  []transfer.Duplicate
	err   error
	dest  uploadDest
}

// duplicateAnswerMsg answers the question about dups[next-1]: skip holds
// the paths not to upload; skipRest skips every remaining duplicate.
type duplicateAnswerMsg struct {
	files    []transfer.UploadFile
	dups     []transfer.Duplicate
	next     int
	skip     map[string]bool
	skipRest bool
	dest     uploadDest
}

// queueUploadMsg queues files as one group.
type queueUploadMsg struct {
	files []transfer.UploadFile
	dest  uploadDest
}

// askLarge asks before an upload of more files than the setting allows,
// naming the count and the size; otherwise it goes on to the duplicate
// check.
func (t *Panel) askLarge(files []transfer.UploadFile, dest uploadDest) tea.Cmd {
	size := transfer.Measure(files)
	limit := t.env.Settings().AskAboveFiles
	if limit <= 0 || size.Files <= limit {
		return t.findDuplicates(files, dest)
	}
	return uikit.Open(uikit.NewConfirm(t.env, "Large upload",
		fmt.Sprintf("Upload %s (%s)?", text.CountOf(size.Files, "file"), uikit.FormatSize(size.Bytes)),
		uikit.Emit(uploadConfirmedMsg{files: files, dest: dest})).WithOnNo(skipped(dest.what)))
}

// findDuplicates hashes the files in a command (it reads every byte),
// against the ledger of the target they go to.
func (t *Panel) findDuplicates(files []transfer.UploadFile, dest uploadDest) tea.Cmd {
	eng, ctx := t.eng, t.env.Context()
	find := func() ([]transfer.Duplicate, error) { return eng.FindDuplicates(ctx, files, nil) }
	if tc, ok := t.targets.Named(dest.target); ok && dest.host() {
		l := hostTarget(t.env.Ledger(), tc, dest.opts).Ledger
		find = func() ([]transfer.Duplicate, error) { return transfer.FindDuplicates(ctx, l, files, nil) }
	}
	return uikit.Progress(fmt.Sprintf("checking %s against the ledger…", text.CountOf(len(files), "file")), t.steps.Start(func() tea.Msg {
		dups, err := find()
		return duplicatesMsg{files: files, dups: dups, err: err, dest: dest}
	}))
}

// onDuplicates queues at once when nothing was uploaded before, else asks.
func (t *Panel) onDuplicates(msg duplicatesMsg) tea.Cmd {
	if msg.err != nil {
		// The check is a courtesy: an unreadable ledger must not stop
		// the upload, only be said.
		return tea.Batch(uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "duplicate check: " + msg.err.Error()}),
			t.askUploadOpts(uploadOptsMsg{files: msg.files, dest: msg.dest}))
	}
	return t.askDuplicate(duplicateAnswerMsg{files: msg.files, dups: msg.dups, skip: map[string]bool{}, dest: msg.dest})
}

// askDuplicate asks about the next duplicate, or queues when none is left.
func (t *Panel) askDuplicate(a duplicateAnswerMsg) tea.Cmd {
	if a.skipRest {
		for _, d := range a.dups[a.next:] {
			a.skip[d.File.Path] = true
		}
		a.next = len(a.dups)
	}
	if a.next >= len(a.dups) {
		var keep []transfer.UploadFile
		for _, f := range a.files {
			if !a.skip[f.Path] {
				keep = append(keep, f)
			}
		}
		if len(keep) == 0 {
			return uikit.Info(fmt.Sprintf("skipped %s already uploaded", text.CountOf(len(a.skip), "file")))
		}
		return t.askUploadOpts(uploadOptsMsg{files: keep, dest: a.dest})
	}
	d := a.dups[a.next]
	again, skip, rest := a, a, a
	again.next, skip.next, rest.next = a.next+1, a.next+1, a.next+1
	skip.skip = with(a.skip, d.File.Path)
	rest.skip, rest.skipRest = with(a.skip, d.File.Path), true
	menu := uikit.NewMenu(t.env, text.Sanitize(filepath.Base(d.File.Path))+" is already on "+text.Sanitize(t.targets.Title(a.dest.target)),
		[]uikit.MenuItem{
			{Key: "u", Label: "upload again", Cmd: uikit.Emit(again)},
			{Key: "s", Label: "skip", Cmd: uikit.Emit(skip)},
			{Key: "a", Label: fmt.Sprintf("skip all (%d already uploaded)", len(a.dups)-a.next), Cmd: uikit.Emit(rest)},
		})
	return uikit.Open(menu.WithNote(t.earlierCopy(d)).WithOnClose(skipped(a.dest.what)))
}

// earlierCopy says when and as what the earlier copy was uploaded, its
// handle or URL shortened: "uploaded Nov 26 11:00 as
// https://i.ibb.co/…/a.png".
func (t *Panel) earlierCopy(d transfer.Duplicate) string {
	if len(d.Earlier) == 0 {
		return ""
	}
	u := d.Earlier[0]
	as := u.Handle
	if u.URL != "" {
		as = u.URL
	}
	s := "uploaded"
	if when := uikit.FormatTime(u.At, t.env.Now()); when != "" {
		s += " " + strings.Join(strings.Fields(when), " ")
	}
	s += " as " + uikit.ShortMiddle(text.Sanitize(as), 44)
	if n := len(d.Earlier) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	return s
}

// with is a copy of set with p added (answers are values: each menu item
// carries its own).
func with(set map[string]bool, p string) map[string]bool {
	out := make(map[string]bool, len(set)+1)
	for k := range set {
		out[k] = true
	}
	out[p] = true
	return out
}

// FindBySHA256 makes the fallback binding an upload index too, so the
// duplicate check works with any Ledger.
func (t ledgerTarget) FindBySHA256(ctx context.Context, sum string) ([]transfer.Uploaded, error) {
	es, err := t.l.FindBySHA256(ctx, t.s, sum)
	out := make([]transfer.Uploaded, 0, len(es))
	for _, e := range es {
		out = append(out, uploadedOf(e))
	}
	return out, err
}

func uploadedOf(e store.Entry) transfer.Uploaded {
	return transfer.Uploaded{Handle: e.Handle, Filename: e.Filename, Size: e.Size, Mimetype: e.Mimetype, At: e.Uploaded,
		LocalPath: e.LocalPath, SHA256: e.SHA256, StorePath: e.StorePath}
}
