package remotepane

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The remote pane for a target whose rows carry the URLs the service
// returned (not byHandle): the same ledger view, with each key honouring
// what the service can do (its optional interfaces and Capabilities).

// onHostAction carries out the remote pane's action keys for tc.
func (p *Pane) onHostAction(msg tea.KeyMsg, tc uikit.TargetConn, cur store.Entry, sel []store.Entry) tea.Cmd {
	k, d := p.keys, p.shown()
	title := text.Sanitize(tc.Title)
	switch {
	case key.Matches(msg, k.Details):
		return p.hostDetails(tc, cur)
	case key.Matches(msg, k.Copy):
		return p.copyMain(cur)
	case key.Matches(msg, k.CopyAs):
		return uikit.Open(p.hostCopyAsMenu(cur))
	case key.Matches(msg, k.Refresh):
		return p.refreshHost(tc, sel)
	case key.Matches(msg, k.Download):
		return p.hostDownload(tc, sel)
	case key.Matches(msg, k.Delete):
		return p.confirmHostDelete(tc, sel)
	case key.Matches(msg, k.Transform):
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: p.noTransforms(title)})
	case key.Matches(msg, k.Forget):
		return p.forgetQuestion(sel, tc, ".", forget(d.Ledger, tc.Scope, sel, tc.Title))
	}
	return nil
}

// hostDownload queues the selected files for download from the URL that
// serves their bytes; a service that serves only a web page gets a note.
func (p *Pane) hostDownload(tc uikit.TargetConn, sel []store.Entry) tea.Cmd {
	var fetchable []store.Entry
	for _, e := range sel {
		if hosts.BytesURL(tc.Caps, e.URL, e.Links) != "" {
			fetchable = append(fetchable, e)
		}
	}
	if len(fetchable) == 0 {
		why := text.Sanitize(tc.Title) + " serves files through a web page, not a URL fsdeck can fetch"
		if tc.Caps.NoBytes != "" {
			why = "cannot download: " + tc.Caps.NoBytes
		}
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: why + "; " + p.keys.Copy.Help().Key + " copies its URL for a browser"})
	}
	cmd := p.askDownload(fetchable, uikit.DownloadRequestMsg{Entries: fetchable, Target: tc.Name})
	return cmd
}

// hostDetails opens an entry's details, fresh from the service where it
// has a metadata API.
func (p *Pane) hostDetails(tc uikit.TargetConn, e store.Entry) tea.Cmd {
	d := p.shown()
	if st, ok := tc.Host.(hosts.Stater); ok && !p.serverOnly[e.Handle] {
		return uikit.Progress("fetching details of "+text.Sanitize(uikit.DisplayName(e))+"…", statEntries(st, tc, d.Ledger, []store.Entry{e}, true, d.Now))
	}
	return uikit.Open(p.hostDetailsDialog(tc, e))
}

// hostKeys is the pane's key map for a target whose rows carry their
// URLs: no transform studio, download only from a URL that serves the bytes,
// delete only where the service has one.
func (p *Pane) hostKeys(tc uikit.TargetConn) uikit.KeyHelp {
	k := p.keys
	cur, ok := p.current()
	live := !ok || !cur.Gone
	_, canDelete := tc.Host.(hosts.Deleter)
	fetchable := ok && hosts.BytesURL(tc.Caps, cur.URL, cur.Links) != ""
	acts := []key.Binding{uikit.Enabled(k.Copy, live), k.Details, uikit.Enabled(k.CopyAs, live), uikit.Enabled(k.Refresh, canRefresh(tc)),
		uikit.Enabled(k.Download, live && fetchable), uikit.Enabled(k.Delete, canDelete && tc.Caps.Delete), k.Forget}
	sel := []key.Binding{k.Mark, k.MarkRange, k.MarkAll, k.ClearMarksKey(), k.Filter, k.Sort}
	// The footer shows the first four keys that work here (ImgBB cannot
	// refresh, so download takes its place rather than a gap).
	var short []key.Binding
	for _, b := range acts {
		if b.Enabled() && len(short) < 4 {
			short = append(short, b)
		}
	}
	return uikit.KeyHelp{Short: k.WithClear(append(short, k.Filter), len(short), p.marks.Len() > 0), Full: [][]key.Binding{acts, sel, k.MovementKeys()}}
}

// canRefresh: the service can read uploads back (metadata of a file, or
// a listing of the account), so r has something to ask.
func canRefresh(tc uikit.TargetConn) bool {
	_, stats := tc.Host.(hosts.Stater)
	_, lists := tc.Host.(hosts.Lister)
	return (stats && tc.Caps.Stat) || (lists && tc.Caps.List)
}

// copyMain copies an entry's main URL.
func (p *Pane) copyMain(e store.Entry) tea.Cmd {
	if e.URL == "" {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "no URL is recorded for " + text.Sanitize(uikit.DisplayName(e))})
	}
	return uikit.Copy(p.env, e.URL, "URL of "+text.Sanitize(uikit.DisplayName(e)))
}

// linkLabel makes a service's link label safe and short for a menu.
func linkLabel(s string) string {
	s = strings.TrimSpace(text.Reply(s))
	if s == "" {
		return "link"
	}
	return text.Cut(s, 30)
}

// hostCopyAsMenu offers the main URL, its Markdown and HTML forms, the
// ID, and each extra link the service returned (thumb, delete page, …).
func (p *Pane) hostCopyAsMenu(e store.Entry) uikit.Overlay {
	name := uikit.DisplayName(e)
	cp := func(text, what string) tea.Cmd { return uikit.Copy(p.env, text, what) }
	var items []uikit.MenuItem
	if u := e.URL; u != "" {
		items = append(items, uikit.MenuItem{Key: "u", Label: "URL", Cmd: cp(u, "URL")})
		// Image forms only where the URL is the image (ImgBB, Gyazo): a
		// GoFile or DDownload URL is a page, which ![…](…) would show as
		// a broken image.
		items = append(items, linkFormItems(cp, name, u, isImage(e) && p.targets.Current().Caps.DirectURL)...)
	}
	items = append(items, uikit.MenuItem{Key: "h", Label: "ID", Cmd: cp(e.Handle, "ID")})
	n := 0
	for _, l := range e.Links {
		// A link equal to the main URL is still offered under its own
		// name (GoFile's downloadPage is its main URL).
		if l.URL == "" {
			continue
		}
		label := linkLabel(l.Label)
		items = append(items, uikit.MenuItem{Key: uikit.MenuKey(n), Label: label + " URL", Cmd: cp(l.URL, label+" URL")})
		n++
	}
	return uikit.NewMenu(p.env, "Copy "+text.Sanitize(name)+" as…", items)
}

// hostDetailsDialog shows what the ledger (or the service) knows of an
// entry, with its URLs.
func (p *Pane) hostDetailsDialog(tc uikit.TargetConn, e store.Entry) uikit.Overlay {
	st := p.styles
	row := func(label, value string) string {
		return st.Label.Render(uikit.Fit(label, 10)) + " " + text.Sanitize(value)
	}
	lines := []string{row("Name", e.Filename), row("Target", tc.Title), row("ID", e.Handle),
		row("Size", fmt.Sprintf("%s (%d bytes)", uikit.FormatSize(e.Size), e.Size))}
	if e.Mimetype != "" {
		lines = append(lines, row("Type", e.Mimetype))
	}
	if !e.Uploaded.IsZero() {
		lines = append(lines, row("Uploaded", e.Uploaded.Format("2006-01-02 15:04:05 MST")))
	}
	if !e.Expires.IsZero() {
		lines = append(lines, row("Expires", e.Expires.Format("2006-01-02 15:04:05 MST")))
	}
	if e.LocalPath != "" {
		lines = append(lines, row("From", e.LocalPath))
	}
	if p.serverOnly[e.Handle] {
		lines = append(lines, st.Muted.Render("Listed by "+text.Sanitize(tc.Title)+"; not uploaded by fsdeck here."))
	}
	if e.Gone {
		lines = append(lines, st.Error.Render("This file no longer exists on "+text.Sanitize(tc.Title)+"."))
	}
	lines = append(lines, "", row("URL", e.URL))
	for _, l := range e.Links {
		lines = append(lines, row(linkLabel(l.Label), l.URL))
	}
	return uikit.NewText(p.env, text.Sanitize(tc.Title)+" file", lines,
		uikit.DialogAction{Key: p.keys.Copy, Cmd: p.copyMain(e)})
}

// hostStatedMsg carries fresh details (or gone marks) of entries.
type hostStatedMsg struct {
	target  string
	entries []store.Entry
	gone    int
	errs    []string
	details bool
	reached uikit.ReachOutcome
}

// statEntries asks the service for each entry and updates the ledger; a
// not-found marks the entry gone.
func statEntries(st hosts.Stater, tc uikit.TargetConn, l uikit.Ledger, es []store.Entry, details bool, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out := hostStatedMsg{target: tc.Name, details: details}
		for _, e := range es {
			r, err := st.Stat(ctx, e.Handle)
			if errors.Is(err, hosts.ErrNotFound) {
				out.reached.Note(nil)
			} else {
				out.reached.Note(err)
			}
			switch {
			case errors.Is(err, hosts.ErrNotFound):
				e.Gone = true
				out.gone++
			case err != nil:
				out.errs = append(out.errs, err.Error())
				continue
			default:
				e = mergeResult(e, r)
			}
			e.RefreshedAt = now()
			// Refresh, not Add: an entry another process removed meanwhile
			// must not come back.
			if kept, err := l.Refresh(ctx, tc.Scope, e); err != nil {
				out.errs = append(out.errs, "ledger: "+err.Error())
			} else if !kept {
				continue
			}
			out.entries = append(out.entries, e)
		}
		return out
	}
}

// mergeResult takes what a service reported into a ledger entry.
func mergeResult(e store.Entry, r hosts.Result) store.Entry {
	e.Gone = false
	if r.Name != "" {
		e.Filename = r.Name
	}
	if r.Size > 0 {
		e.Size = r.Size
	}
	if r.URL != "" {
		e.URL = r.URL
	}
	if len(r.Links) > 0 {
		e.Links = r.Links
	}
	if !r.Created.IsZero() {
		e.Uploaded = r.Created
	}
	if !r.Expires.IsZero() {
		e.Expires = r.Expires
	}
	return e
}

func (p *Pane) onHostStated(msg hostStatedMsg) tea.Cmd {
	reach := msg.reached.Report(msg.target)
	tc := p.targets.Current()
	if msg.target != tc.Name {
		return reach
	}
	cmds := []tea.Cmd{reach, p.Reload()}
	if msg.details && len(msg.entries) == 1 {
		cmds = append(cmds, uikit.Open(p.hostDetailsDialog(tc, msg.entries[0])))
	}
	switch {
	case len(msg.errs) > 0:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "refresh failed: " + text.Sanitize(msg.errs[0])}))
	case msg.gone > 0:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: fmt.Sprintf("%s no longer on %s (shown as gone; %s forgets %s)",
			text.CountOf(msg.gone, "file"), text.Sanitize(tc.Title), p.keys.Forget.Help().Key, text.Plural(msg.gone, "it", "them"))}))
	case !msg.details:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: "refreshed " + text.CountOf(len(msg.entries), "file")}))
	}
	return tea.Batch(cmds...)
}

// refreshHost re-reads what the service can tell: each selected entry
// (Stater) and its list (Lister); a service with neither says so.
func (p *Pane) refreshHost(tc uikit.TargetConn, sel []store.Entry) tea.Cmd {
	var cmds []tea.Cmd
	if st, ok := tc.Host.(hosts.Stater); ok && tc.Caps.Stat {
		var known []store.Entry
		for _, e := range sel {
			if !p.serverOnly[e.Handle] {
				known = append(known, e)
			}
		}
		if len(known) > 0 {
			cmds = append(cmds, statEntries(st, tc, p.env.Ledger(), known, false, p.env.Now))
		}
	}
	if lc := listServer(tc); lc != nil {
		cmds = append(cmds, uikit.Info("listing "+text.Sanitize(tc.Title)+"…"), lc)
	}
	if len(cmds) == 0 {
		return uikit.Info(text.Sanitize(tc.Title) + " has no API to read uploads back: nothing to refresh")
	}
	return tea.Batch(cmds...)
}

// confirmHostDelete asks before deleting on a service that can; others
// say what they cannot do.
func (p *Pane) confirmHostDelete(tc uikit.TargetConn, es []store.Entry) tea.Cmd {
	title := text.Sanitize(tc.Title)
	del, ok := tc.Host.(hosts.Deleter)
	if !ok || !tc.Caps.Delete {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: title + " has no delete API; " + p.keys.Forget.Help().Key +
			" forgets the file here (" + p.keys.CopyAs.Help().Key + " offers its delete page where the service gave one)"})
	}
	return p.deleteQuestion(es, tc, deleteHost(del, tc, p.env.Ledger(), es))
}

// hostDeletedMsg reports deletions on a service: the pane also drops
// them from the server's list it shows.
type hostDeletedMsg struct {
	target  string
	ids     []string
	changed uikit.LedgerChangedMsg
}

func deleteHost(del hosts.Deleter, tc uikit.TargetConn, l uikit.Ledger, es []store.Entry) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var done, fails []string
		for _, e := range es {
			if err := del.Delete(ctx, e.Handle); err != nil && !errors.Is(err, hosts.ErrNotFound) {
				fails = append(fails, err.Error())
				continue
			}
			done = append(done, e.Handle)
		}
		out := hostDeletedMsg{target: tc.Name, ids: done}
		title := tc.Title
		switch err := l.Remove(ctx, tc.Scope, done...); {
		case err != nil:
			out.changed = uikit.LedgerChangedMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("deleted %s from %s, but the ledger could not forget %s: %v",
				text.CountOf(len(done), "file"), title, text.Plural(len(done), "it", "them"), err)}
		case len(fails) > 0:
			out.changed = uikit.LedgerChangedMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("deleted %d, %d failed: %s", len(done), len(fails), fails[0])}
		default:
			out.changed = uikit.LedgerChangedMsg{Kind: uikit.StatusOK, Text: fmt.Sprintf("deleted %s from %s", text.CountOf(len(done), "file"), title)}
		}
		return out
	}
}

// onHostDeleted drops deleted uploads from the server's list and reloads.
func (p *Pane) onHostDeleted(msg hostDeletedMsg) tea.Cmd {
	if msg.target == p.targets.Current().Name {
		gone := map[string]bool{}
		for _, id := range msg.ids {
			gone[id] = true
		}
		keep := p.server[:0:0]
		for _, r := range p.server {
			if !gone[r.ID] {
				keep = append(keep, r)
			}
		}
		p.server = keep
	}
	return tea.Batch(uikit.Emit(uikit.StatusMsg(msg.changed)), p.Reload())
}

// noTransforms says the transform studio is not for this file's target
// (title), and which target has one.
func (p *Pane) noTransforms(title string) string {
	for i := range p.targets.Len() {
		if tc := p.targets.Conn(i); transforms(tc) {
			return "transformations are " + text.Sanitize(tc.Title) + "-only; this file is on " + title
		}
	}
	return "no target here has transformations; this file is on " + title
}
