package remotepane

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// refreshedMsg carries fresh metadata (or 404s) for ledger entries.
type refreshedMsg struct {
	entries []store.Entry
	gone    []string
	errs    []string
	// removed counts entries no longer in the ledger when their metadata
	// came (removed by another process).
	removed int
	details bool
	// tc is the target asked (the one shown then).
	tc      uikit.TargetConn
	reached uikit.ReachOutcome
}

// onAction carries out the remote pane's action keys. Details, copy and
// transform work on the row under the cursor, the rest on the marked rows.
// A target whose files are known by handle (byHandle) with a metadata
// call of its own has the actions below; the others those of host.go.
func (p *Pane) onAction(msg tea.KeyMsg) tea.Cmd {
	k, d := p.keys, p.shown()
	cur, ok := p.current()
	sel := p.Selected()
	if !ok {
		return nil
	}
	md, reads := d.tc.Host.(uikit.MetadataReader)
	if !byHandle(d.tc) || !reads {
		return p.onHostAction(msg, d.tc, cur, sel)
	}
	switch {
	case key.Matches(msg, k.Details):
		return uikit.Progress("fetching metadata of "+text.Sanitize(uikit.DisplayName(cur))+"…",
			refreshMetadata(md, d, []store.Entry{cur}, true))
	case key.Matches(msg, k.Copy):
		return uikit.Copy(p.env, urlOf(d.tc, cur.Handle), "CDN URL of "+text.Sanitize(uikit.DisplayName(cur)))
	case key.Matches(msg, k.CopyAs):
		return uikit.Open(p.copyAsMenu(cur))
	case key.Matches(msg, k.Refresh):
		return uikit.Progress(p.refreshText(sel), refreshMetadata(md, d, sel, false))
	case key.Matches(msg, k.Download):
		cmd := p.askDownload(sel, uikit.DownloadRequestMsg{Entries: sel})
		return cmd
	case key.Matches(msg, k.Delete):
		return p.confirmDelete(sel)
	case key.Matches(msg, k.Transform):
		if !transforms(d.tc) {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: text.Sanitize(d.tc.Title) + " has no transformations"})
		}
		if !isImage(cur) {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "the transform studio works on images; " + text.Sanitize(uikit.DisplayName(cur)) + " is " + text.Sanitize(cur.Mimetype)})
		}
		return uikit.Emit(uikit.OpenStudioMsg{Entry: cur, Tasks: p.transformFor[cur.Handle]})
	case key.Matches(msg, k.Forget):
		again := "."
		if uikit.CanImport(d.tc) {
			again = "; you can import " + text.Plural(len(sel), "it", "them") + " again by handle."
		}
		return p.forgetQuestion(sel, d.tc, again, forget(d.Ledger, d.Scope, sel, whereFiles(d.tc, false)))
	}
	return nil
}

// transforms: tc processes files by URL (the transform studio).
func transforms(tc uikit.TargetConn) bool {
	_, ok := tc.Host.(hosts.Transformer)
	return ok && tc.Caps.Transform
}

func isImage(e store.Entry) bool { return strings.HasPrefix(e.Mimetype, "image/") }

// namesOf names one entry, or counts several.
func namesOf(es []store.Entry) string {
	if len(es) == 1 {
		return text.Sanitize(uikit.DisplayName(es[0]))
	}
	return text.CountOf(len(es), "file")
}

// Keys is the pane's key map; what cannot apply (transform on a
// non-image or a gone file, delete without the app secret) is off. In an
// empty pane everything stays listed: it applies once there are files.
func (p *Pane) Keys() uikit.KeyHelp {
	if p.Typing() {
		return uikit.FieldKeys("keep filter", "clear filter")
	}
	tc := p.targets.Current()
	if _, reads := tc.Host.(uikit.MetadataReader); !byHandle(tc) || !reads {
		return p.hostKeys(tc)
	}
	k := p.keys
	cur, ok := p.current()
	live := !ok || !cur.Gone
	_, deletes := tc.Host.(hosts.Deleter)
	canDelete := deletes && tc.Caps.Delete && !secretless(tc)
	acts := []key.Binding{uikit.Enabled(k.Copy, live), k.Details, uikit.Enabled(k.Download, live),
		uikit.Enabled(k.Transform, transforms(tc) && live && (!ok || isImage(cur))), uikit.Enabled(k.CopyAs, live), k.Refresh,
		uikit.Enabled(k.Delete, canDelete), k.Forget}
	sel := []key.Binding{k.Mark, k.MarkRange, k.MarkAll, k.ClearMarksKey(), k.Filter, k.Sort}
	return uikit.KeyHelp{Short: k.WithClear(append(acts[:4:4], k.Filter), 4, p.marks.Len() > 0), Full: [][]key.Binding{acts, sel, k.MovementKeys()}}
}

// refreshMetadata asks the target for each entry's metadata and updates
// the ledger; 404 marks an entry gone. With details, it also opens the
// dialog.
func refreshMetadata(r uikit.MetadataReader, d shownConn, es []store.Entry, details bool) tea.Cmd {
	l, s, now := d.Ledger, d.Scope, d.Now
	return uikit.Watched("refresh", func(parent context.Context) tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 2*time.Minute)
		defer cancel()
		var out refreshedMsg
		out.details, out.tc = details, d.tc
		for _, e := range es {
			md, err := r.Metadata(ctx, e.Handle, filestack.FieldWidth, filestack.FieldHeight)
			if filestack.IsNotFound(err) {
				out.reached.Note(nil)
			} else {
				out.reached.Note(err)
			}
			switch {
			case filestack.IsNotFound(err):
				e.Gone = true
				out.gone = append(out.gone, e.Handle)
			case err != nil:
				out.errs = append(out.errs, err.Error())
				continue
			default:
				e = mergeMetadata(e, md)
			}
			e.RefreshedAt = now()
			switch kept, err := l.Refresh(ctx, s, e); {
			case err != nil:
				out.errs = append(out.errs, "ledger: "+err.Error())
			case !kept:
				// Removed meanwhile (another fsdeck's rm or forget): the
				// reload drops it; writing it back would resurrect it.
				out.removed++
				continue
			}
			out.entries = append(out.entries, e)
		}
		return out
	})
}

func mergeMetadata(e store.Entry, md *filestack.Metadata) store.Entry {
	e.Gone = false
	if md.Filename != "" {
		e.Filename = md.Filename
	}
	if md.Mimetype != "" {
		e.Mimetype = md.Mimetype
	}
	if md.Size != nil {
		e.Size = *md.Size
	}
	if !md.Uploaded.IsZero() {
		e.Uploaded = md.Uploaded
	}
	if md.Width != nil && md.Height != nil {
		e.Width, e.Height = *md.Width, *md.Height
	}
	if md.Path != "" {
		e.StorePath = md.Path
	}
	return e
}

func (p *Pane) onRefreshed(msg refreshedMsg) tea.Cmd {
	cmds := []tea.Cmd{msg.reached.Report(msg.tc.Name), p.Reload()}
	if msg.details && len(msg.entries) == 1 {
		cmds = append(cmds, uikit.Open(p.detailsDialog(msg.tc, msg.entries[0])))
	}
	n := len(msg.entries)
	switch {
	case len(msg.errs) > 0:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "refresh failed: " + text.Sanitize(msg.errs[0])}))
	case msg.removed > 0:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: fmt.Sprintf("%s removed from the ledger meanwhile (by another fsdeck), so not refreshed",
			text.CountOf(msg.removed, "file"))}))
	case len(msg.gone) > 0:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: fmt.Sprintf("%s no longer %s on %s (shown as gone; X forgets %s)",
			text.CountOf(len(msg.gone), "file"), text.Plural(len(msg.gone), "exists", "exist"), text.Sanitize(msg.tc.Title), text.Plural(len(msg.gone), "it", "them"))}))
	case !msg.details:
		cmds = append(cmds, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusOK, Text: "refreshed " + text.CountOf(n, "file")}))
	default:
		cmds = append(cmds, uikit.Info(""))
	}
	return tea.Batch(cmds...)
}

// detailsDialog shows a remote file; h asks for its hashes, y copies.
type detailsDialog struct {
	uikit.Text
	handle string
}

func (p *Pane) detailsDialog(tc uikit.TargetConn, e store.Entry) detailsDialog {
	var acts []uikit.DialogAction
	if md, ok := tc.Host.(uikit.MetadataReader); ok {
		acts = append(acts, uikit.DialogAction{Key: p.keys.Hashes, Cmd: fetchHashes(md, e)})
	}
	acts = append(acts, uikit.DialogAction{Key: p.keys.Copy, Cmd: uikit.Copy(p.env, urlOf(tc, e.Handle), "CDN URL of "+text.Sanitize(uikit.DisplayName(e)))})
	return detailsDialog{handle: e.Handle, Text: uikit.NewText(p.env, "Remote file", p.remoteDetails(tc, e), acts...)}
}

// Update adds the hashes when they arrive, else works as a text dialog.
func (dd detailsDialog) Update(msg tea.Msg) (uikit.Overlay, tea.Cmd) {
	if h, ok := msg.(hashesMsg); ok && h.entry.Handle == dd.handle {
		if h.err != nil {
			return dd, uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "hashes: " + h.err.Error()})
		}
		st := dd.Styles()
		dd.Text = dd.Append("", st.Label.Render(uikit.Fit("MD5", 10))+" "+text.Sanitize(h.md.MD5), st.Label.Render(uikit.Fit("SHA-256", 10))+" "+text.Sanitize(h.md.SHA256))
		return dd, nil
	}
	o, cmd := dd.Text.Update(msg)
	if o == nil {
		return nil, cmd
	}
	dd.Text = o.(uikit.Text)
	return dd, cmd
}

// hashesMsg carries md5 and sha256 computed by the service.
type hashesMsg struct {
	entry store.Entry
	md    *filestack.Metadata
	err   error
}

func fetchHashes(r uikit.MetadataReader, e store.Entry) tea.Cmd {
	return uikit.Watched("hashes", func(parent context.Context) tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 5*time.Minute)
		defer cancel()
		md, err := r.Metadata(ctx, e.Handle, filestack.FieldMD5, filestack.FieldSHA256)
		return hashesMsg{entry: e, md: md, err: err}
	})
}

func (p *Pane) remoteDetails(tc uikit.TargetConn, e store.Entry) []string {
	st := p.styles
	row := func(label, value string) string {
		return st.Label.Render(uikit.Fit(label, 10)) + " " + text.Sanitize(value)
	}
	lines := []string{row("Name", e.Filename), row("Handle", e.Handle), row("Size", fmt.Sprintf("%s (%d bytes)", uikit.FormatSize(e.Size), e.Size)),
		row("Type", e.Mimetype)}
	if e.Width > 0 {
		lines = append(lines, row("Image", fmt.Sprintf("%d × %d px", e.Width, e.Height)))
	}
	lines = append(lines, row("Uploaded", e.Uploaded.Format("2006-01-02 15:04:05 MST")), row("Source", string(e.Source)))
	if e.StorePath != "" {
		lines = append(lines, row("Path", e.StorePath))
	}
	if e.LocalPath != "" {
		lines = append(lines, row("From", e.LocalPath))
	}
	if e.Gone {
		lines = append(lines, st.Error.Render("This file no longer exists on "+text.Sanitize(tc.Title)+" (404)."))
	}
	url := urlOf(tc, e.Handle)
	lines = append(lines, "", row("URL", url), row("Download", url+"?dl=true"))
	if tr, ok := tc.Host.(hosts.Transformer); ok {
		if tasks := p.transformFor[e.Handle]; len(tasks) > 0 {
			lines = append(lines, row("Transform", tr.TransformURL(transform.Chain{Tasks: tasks, Source: transform.Handle(e.Handle)}, 0)))
		}
	}
	return lines
}

// linkFormItems are the Markdown and HTML forms of u: image forms for an
// image, link forms otherwise.
func linkFormItems(cp func(text, what string) tea.Cmd, name, u string, image bool) []uikit.MenuItem {
	if image {
		return []uikit.MenuItem{{Key: "m", Label: "Markdown image", Cmd: cp(text.MarkdownLink(name, u, true), "Markdown image")},
			{Key: "i", Label: "HTML <img>", Cmd: cp(text.HTMLLink(name, u, true), "HTML <img>")}}
	}
	return []uikit.MenuItem{{Key: "m", Label: "Markdown link", Cmd: cp(text.MarkdownLink(name, u, false), "Markdown link")},
		{Key: "a", Label: "HTML <a>", Cmd: cp(text.HTMLLink(name, u, false), "HTML <a>")}}
}

// copyAsMenu offers the forms a URL can be copied in; image forms only
// for images.
func (p *Pane) copyAsMenu(e store.Entry) uikit.Overlay {
	tc := p.targets.Current()
	url := urlOf(tc, e.Handle)
	name := uikit.DisplayName(e)
	cp := func(text, what string) tea.Cmd {
		return uikit.Copy(p.env, text, what)
	}
	items := []uikit.MenuItem{
		{Key: "u", Label: "CDN URL", Cmd: cp(url, "CDN URL")},
		{Key: "h", Label: "handle", Cmd: cp(e.Handle, "handle")},
	}
	items = append(items, linkFormItems(cp, name, url, isImage(e))...)
	items = append(items, uikit.MenuItem{Key: "c", Label: "curl command", Cmd: cp(text.CurlCommand(name, e.Handle, url), "curl command")})
	if qr, err := text.QR(url, false); err == nil {
		items = append(items, uikit.MenuItem{Key: "r", Label: "QR code of the CDN URL (for a phone's camera)",
			Cmd: uikit.Open(uikit.NewText(p.env, "QR code: "+text.Sanitize(url), strings.Split(strings.TrimSuffix(qr, "\n"), "\n")))})
	}
	if tr, ok := tc.Host.(hosts.Transformer); ok && len(p.transformFor[e.Handle]) > 0 {
		ch := transform.Chain{Tasks: p.transformFor[e.Handle], Source: transform.Handle(e.Handle)}
		if ch.Validate() == nil {
			items = append(items, uikit.MenuItem{Key: "t", Label: "transform URL (" + text.Sanitize(text.Cut(ch.Format(), 40)) + ")",
				Cmd: cp(tr.TransformURL(ch, 0), "transform URL")})
		}
	}
	switch sg, ok := tc.Host.(hosts.Signer); {
	case !ok || !tc.Caps.SignedURL:
	case !secretless(tc):
		for _, ttl := range []struct {
			key string
			d   time.Duration
		}{{"1", time.Hour}, {"2", 24 * time.Hour}, {"3", 7 * 24 * time.Hour}} {
			signed, _ := sg.SignedURL(e.Handle, ttl.d)
			items = append(items, uikit.MenuItem{Key: ttl.key, Label: "signed URL, expires in " + humanTTL(ttl.d),
				Cmd: cp(signed, "signed URL ("+humanTTL(ttl.d)+")")})
		}
	default:
		items = append(items, uikit.MenuItem{Key: "s", Label: "signed URL (needs the app secret: press " + p.keys.Keys.Help().Key + ")",
			Cmd: uikit.Info("signed URLs need the app secret; press " + p.keys.Keys.Help().Key + " to add it")})
	}
	return uikit.NewMenu(p.env, "Copy "+text.Sanitize(name)+" as…", items)
}

func humanTTL(d time.Duration) string {
	if d >= 24*time.Hour {
		return text.CountOf(int(d.Hours()/24), "day")
	}
	return text.CountOf(int(d.Hours()), "hour")
}

func (p *Pane) confirmDelete(es []store.Entry) tea.Cmd {
	d := p.shown()
	del, ok := d.tc.Host.(hosts.Deleter)
	if !ok || !d.tc.Caps.Delete {
		return p.confirmHostDelete(d.tc, es)
	}
	if secretless(d.tc) {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "deleting needs the app secret (" + text.Sanitize(d.tc.Title) + " always requires a signed policy to delete): press " + p.keys.Keys.Help().Key + " to add it"})
	}
	return p.deleteQuestion(es, d.tc, deleteRemote(del, d.Ledger, d.Scope, es, whereFiles(d.tc, false)))
}

// deleteRemote deletes es on the target (where names it: "the local
// server" in local mode) and from the ledger.
func deleteRemote(r hosts.Deleter, l uikit.Ledger, s store.Scope, es []store.Entry, where string) tea.Cmd {
	return uikit.Watched("delete", func(parent context.Context) tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 2*time.Minute)
		defer cancel()
		var done []string
		var fails []string
		for _, e := range es {
			err := r.Delete(ctx, e.Handle)
			if err != nil && !errors.Is(err, hosts.ErrNotFound) {
				fails = append(fails, err.Error())
				continue
			}
			done = append(done, e.Handle)
		}
		if err := l.Remove(ctx, s, done...); err != nil {
			return uikit.LedgerChangedMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("deleted %s from %s, but the ledger could not forget %s: %v",
				text.CountOf(len(done), "file"), where, text.Plural(len(done), "it", "them"), err)}
		}
		if len(fails) > 0 {
			return uikit.LedgerChangedMsg{Kind: uikit.StatusErr, Text: fmt.Sprintf("deleted %d, %d failed: %s", len(done), len(fails), fails[0])}
		}
		return uikit.LedgerChangedMsg{Kind: uikit.StatusOK, Text: fmt.Sprintf("deleted %s from %s", text.CountOf(len(done), "file"), where)}
	})
}

func forget(l uikit.Ledger, s store.Scope, es []store.Entry, where string) tea.Cmd {
	return func() tea.Msg {
		hs := make([]string, len(es))
		for i, e := range es {
			hs[i] = e.Handle
		}
		if err := l.Remove(context.Background(), s, hs...); err != nil {
			return uikit.LedgerChangedMsg{Kind: uikit.StatusErr, Text: "ledger: " + err.Error()}
		}
		return uikit.LedgerChangedMsg{Kind: uikit.StatusOK, Text: forgotText(es, where)}
	}
}

// forgotText names what was forgotten with its handle, the only way back
// to it: "forgot photo.jpg, handle ABC123 (still on Filestack)".
func forgotText(es []store.Entry, where string) string {
	if len(es) == 1 {
		return fmt.Sprintf("forgot %s, handle %s (still on %s)", text.Sanitize(uikit.DisplayName(es[0])), text.Sanitize(es[0].Handle), where)
	}
	items := make([]string, len(es))
	for i, e := range es {
		items[i] = text.Sanitize(uikit.DisplayName(e)) + " " + text.Sanitize(e.Handle)
	}
	return fmt.Sprintf("forgot %s: %s (still on %s)", text.CountOf(len(es), "file"), uikit.ListSome(items, 5), where)
}

// ImportDialog asks for a handle or URL of a file on the target shown to
// add to the list (I); the root's key handler opens it only for a target
// that imports.
func (p *Pane) ImportDialog() uikit.Overlay {
	d := p.shown()
	title := text.Sanitize(d.tc.Title)
	return uikit.NewInput(p.env, "Import a handle", "Paste a "+title+" handle or a CDN/File API URL; fsdeck checks it exists and adds it to the list.",
		"handle or https://cdn.filestackcontent.com/…", false, func(s string) tea.Cmd {
			return importHandle(d, s)
		})
}

func importHandle(d shownConn, input string) tea.Cmd {
	title := text.Sanitize(d.tc.Title)
	imp, ok := d.tc.Host.(hosts.Importer)
	if !ok || !uikit.CanImport(d.tc) {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: title + " has no import"})
	}
	return uikit.Watched("import", func(parent context.Context) tea.Msg {
		h, ok := imp.ParseRef(input)
		if !ok {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "not a handle or " + title + " URL: " + text.Sanitize(text.Cut(input, 60))}
		}
		ctx, cancel := context.WithTimeout(parent, time.Minute)
		defer cancel()
		e := store.Entry{Handle: h, Source: store.SourceImport, RefreshedAt: d.Now()}
		if mr, ok := d.tc.Host.(uikit.MetadataReader); ok {
			md, err := mr.Metadata(ctx, h, filestack.FieldWidth, filestack.FieldHeight)
			if err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "import " + h + ": " + err.Error()}
			}
			e = mergeMetadata(e, md)
		} else {
			r, err := imp.Stat(ctx, h)
			if err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "import " + h + ": " + err.Error()}
			}
			e = mergeResult(e, r)
		}
		return uikit.Record(ctx, d.Ledger, d.Scope, e, "imported "+h+" ("+text.Sanitize(e.Filename)+")")
	})
}

// StoreURLDialog asks for a URL for the target shown to fetch and store
// (U); the root's key handler opens it only for a target that can.
func (p *Pane) StoreURLDialog() uikit.Overlay {
	d := p.shown()
	return uikit.NewInput(p.env, "Store from URL", text.Sanitize(d.tc.Title)+" fetches this public http(s) URL and stores it as a new file.",
		"https://example.com/picture.jpg", false, func(s string) tea.Cmd {
			return storeURL(d, s)
		})
}

func storeURL(d shownConn, u string) tea.Cmd {
	su, ok := d.tc.Host.(hosts.URLStorer)
	if !ok || !uikit.CanStoreURL(d.tc) {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: text.Sanitize(d.tc.Title) + " does not store from a URL"})
	}
	return uikit.Watched("store from URL", func(parent context.Context) tea.Msg {
		ctx, cancel := context.WithTimeout(parent, 5*time.Minute)
		defer cancel()
		r, err := su.StoreURL(ctx, u, hosts.UploadOptions{})
		if err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "store from URL: " + err.Error()}
		}
		e := d.tc.EntryOf(r, store.SourceURL, d.Now())
		return uikit.Record(ctx, d.Ledger, d.Scope, e, "stored "+text.Sanitize(e.Filename)+" as "+e.Handle)
	})
}
