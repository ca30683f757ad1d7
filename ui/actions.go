package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/store"
)

// detailsMsg opens a details dialog.
type detailsMsg struct {
	title string
	lines []string
}

// refreshedMsg carries fresh metadata (or 404s) for ledger entries.
type refreshedMsg struct {
	entries []store.Entry
	gone    []string
	errs    []string
	details bool
}

// ledgerChangedMsg reloads the remote pane after a change, with a status.
type ledgerChangedMsg struct {
	kind statusKind
	text string
}

func (m Model) onRemoteAction(msg remoteActionMsg) (tea.Model, tea.Cmd) {
	es := msg.entries
	switch msg.action {
	case actDetails:
		m.setStatus(statusInfo, "fetching metadata of "+Sanitize(displayName(es[0]))+"…")
		return m, refreshMetadata(m.d.Remote, m.d.Ledger, m.d.Scope, es, true)
	case actCopy:
		return m, copyToClipboard(m.d.Clipboard, m.d.Remote.CDNURL(es[0].Handle), "CDN URL of "+Sanitize(displayName(es[0])),
			m.d.Getenv, m.d.Settings.NativeClipboard)
	case actCopyAs:
		m.overlay = m.copyAsMenu(es[0])
	case actRefresh:
		m.setStatus(statusInfo, fmt.Sprintf("refreshing %d file(s)…", len(es)))
		return m, refreshMetadata(m.d.Remote, m.d.Ledger, m.d.Scope, es, false)
	case actDownload:
		return m.download(es)
	case actDelete:
		return m.confirmDelete(es)
	case actTransform:
		return m.openStudio(es[0])
	case actForget:
		m.overlay = confirmOverlay{title: "Forget files?",
			question: fmt.Sprintf("Remove %d file(s) from fsdeck's list? They stay on Filestack; you can import them again by handle.", len(es)),
			onYes:    forget(m.d.Ledger, m.d.Scope, es)}
	}
	return m, nil
}

// refreshMetadata asks Filestack for each entry's metadata and updates the
// ledger; 404 marks an entry gone. With details, it also opens the dialog.
func refreshMetadata(r Remote, l Ledger, s store.Scope, es []store.Entry, details bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var out refreshedMsg
		out.details = details
		for _, e := range es {
			md, err := r.Metadata(ctx, e.Handle, filestack.FieldWidth, filestack.FieldHeight)
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
			e.RefreshedAt = time.Now()
			if err := l.Add(ctx, s, e); err != nil {
				out.errs = append(out.errs, "ledger: "+err.Error())
			}
			out.entries = append(out.entries, e)
		}
		return out
	}
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

func (m Model) onRefreshed(msg refreshedMsg) (tea.Model, tea.Cmd) {
	reload := m.remote.Reload(m.d.Ledger, m.d.Scope)
	if msg.details && len(msg.entries) == 1 {
		m.openOverlay(m.detailsOverlay(msg.entries[0], nil))
	}
	switch {
	case len(msg.errs) > 0:
		m.setStatus(statusErr, "refresh failed: "+Sanitize(msg.errs[0]))
	case len(msg.gone) > 0:
		m.setStatus(statusWarn, fmt.Sprintf("%d file(s) no longer exist on Filestack (shown as gone; X forgets them)", len(msg.gone)))
	case !msg.details:
		m.setStatus(statusOK, fmt.Sprintf("refreshed %d file(s)", len(msg.entries)))
	default:
		m.setStatus(statusInfo, "")
	}
	return m, reload
}

// detailsOverlay shows a remote file; h asks for its hashes, y copies.
func (m Model) detailsOverlay(e store.Entry, md *filestack.Metadata) overlay {
	lines := m.remoteDetails(e)
	if md != nil {
		lines = append(lines, "", m.styles.Label.Render(fit("MD5", 10))+" "+md.MD5, m.styles.Label.Render(fit("SHA-256", 10))+" "+md.SHA256)
	}
	return textOverlay{title: "Remote file", lines: lines, keys: &m.keys,
		footer: "esc close · h hashes (md5, sha256) · y copy URL",
		actions: map[string]tea.Cmd{
			"h": fetchHashes(m.d.Remote, e),
			"y": copyToClipboard(m.d.Clipboard, m.d.Remote.CDNURL(e.Handle), "CDN URL of "+Sanitize(displayName(e)), m.d.Getenv, m.d.Settings.NativeClipboard),
		}}
}

// hashesMsg carries md5 and sha256 computed by Filestack.
type hashesMsg struct {
	entry store.Entry
	md    *filestack.Metadata
	err   error
}

func fetchHashes(r Remote, e store.Entry) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		md, err := r.Metadata(ctx, e.Handle, filestack.FieldMD5, filestack.FieldSHA256)
		return hashesMsg{entry: e, md: md, err: err}
	}
}

func (m Model) onHashes(msg hashesMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setStatus(statusErr, "hashes: "+msg.err.Error())
		return m, nil
	}
	if _, open := m.overlay.(textOverlay); open {
		m.overlay = m.detailsOverlay(msg.entry, msg.md)
	}
	return m, nil
}

func (m Model) remoteDetails(e store.Entry) []string {
	st := m.styles
	row := func(label, value string) string {
		return st.Label.Render(fit(label, 10)) + " " + Sanitize(value)
	}
	lines := []string{row("Name", e.Filename), row("Handle", e.Handle), row("Size", fmt.Sprintf("%s (%d bytes)", formatSize(e.Size), e.Size)),
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
		lines = append(lines, st.Error.Render("This file no longer exists on Filestack (404)."))
	}
	url := m.d.Remote.CDNURL(e.Handle)
	lines = append(lines, "", row("URL", url), row("Download", url+"?dl=true"))
	if tasks := m.transformFor[e.Handle]; len(tasks) > 0 {
		lines = append(lines, row("Transform", m.d.Remote.TransformURL(transform.Chain{Tasks: tasks, Source: transform.Handle(e.Handle)}, 0)))
	}
	return lines
}

// copyAsMenu offers the forms a URL can be copied in.
func (m Model) copyAsMenu(e store.Entry) overlay {
	url := m.d.Remote.CDNURL(e.Handle)
	name := displayName(e)
	cp := func(text, what string) tea.Cmd {
		return copyToClipboard(m.d.Clipboard, text, what, m.d.Getenv, m.d.Settings.NativeClipboard)
	}
	alt := strings.NewReplacer("[", "", "]", "", "\"", "", "<", "", ">", "").Replace(Sanitize(name))
	items := []menuItem{
		{key: "u", label: "CDN URL", cmd: cp(url, "CDN URL")},
		{key: "h", label: "handle", cmd: cp(e.Handle, "handle")},
		{key: "m", label: "Markdown image", cmd: cp("!["+alt+"]("+url+")", "Markdown image")},
		{key: "i", label: "HTML <img>", cmd: cp(`<img src="`+url+`" alt="`+alt+`">`, "HTML <img>")},
		{key: "c", label: "curl command", cmd: cp("curl -fLo '"+strings.ReplaceAll(safeLocalName(name, e.Handle), "'", "")+"' '"+url+"'", "curl command")},
	}
	if tasks := m.transformFor[e.Handle]; len(tasks) > 0 {
		ch := transform.Chain{Tasks: tasks, Source: transform.Handle(e.Handle)}
		if ch.Validate() == nil {
			items = append(items, menuItem{key: "t", label: "transform URL (" + Sanitize(truncateRunes(ch.Format(), 40)) + ")",
				cmd: cp(m.d.Remote.TransformURL(ch, 0), "transform URL")})
		}
	}
	if m.d.Remote.HasSecret() {
		for _, ttl := range []struct {
			key string
			d   time.Duration
		}{{"1", time.Hour}, {"2", 24 * time.Hour}, {"3", 7 * 24 * time.Hour}} {
			signed, _ := m.d.Remote.SignedURL(e.Handle, ttl.d)
			items = append(items, menuItem{key: ttl.key, label: "signed URL, expires in " + humanTTL(ttl.d),
				cmd: cp(signed, "signed URL ("+humanTTL(ttl.d)+")")})
		}
	} else {
		items = append(items, menuItem{key: "s", label: "signed URL (needs the app secret: press K)", cmd: info("signed URLs need the app secret; press K to add it")})
	}
	return menuOverlay{title: "Copy " + Sanitize(name) + " as…", items: items, keys: &m.keys}
}

func humanTTL(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%d day(s)", int(d.Hours()/24))
	}
	return fmt.Sprintf("%d hour(s)", int(d.Hours()))
}

func (m Model) onCopied(msg copiedMsg) (tea.Model, tea.Cmd) {
	if len(msg.via) == 0 {
		m.setStatus(statusErr, "could not copy: no terminal output and no clipboard tool")
		return m, nil
	}
	m.setStatus(statusOK, "copied "+msg.what+" to the clipboard via "+strings.Join(msg.via, " + "))
	return m, nil
}

// download queues remote files into the local pane's directory; taken
// names get a " (1)" suffix, never overwritten.
func (m Model) download(es []store.Entry) (tea.Model, tea.Cmd) {
	for _, e := range es {
		if e.Gone {
			continue
		}
		m.nextID++
		name := safeLocalName(e.Filename, e.Handle)
		m.transfers.add(&transfer{id: m.nextID, dir: dirDown, path: filepath.Join(m.local.Dir(), name), name: name,
			handle: e.Handle, size: e.Size, live: &live{}})
	}
	m.remote.ClearMarks()
	m.showTransfersIfHidden()
	return m, m.schedule()
}

func (m Model) confirmDelete(es []store.Entry) (tea.Model, tea.Cmd) {
	if !m.d.Remote.HasSecret() {
		m.setStatus(statusErr, "deleting needs the app secret (Filestack always requires a signed policy to delete): press K to add it")
		return m, nil
	}
	m.overlay = confirmOverlay{title: "Delete from Filestack?",
		question: fmt.Sprintf("Delete %d file(s) from Filestack for good? Their URLs stop working. This cannot be undone.", len(es)),
		onYes:    deleteRemote(m.d.Remote, m.d.Ledger, m.d.Scope, es)}
	return m, nil
}

func deleteRemote(r Remote, l Ledger, s store.Scope, es []store.Entry) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var done []string
		var fails []string
		for _, e := range es {
			err := r.Delete(ctx, e.Handle)
			if err != nil && !filestack.IsNotFound(err) {
				fails = append(fails, err.Error())
				continue
			}
			done = append(done, e.Handle)
		}
		l.Remove(ctx, s, done...)
		if len(fails) > 0 {
			return ledgerChangedMsg{kind: statusErr, text: fmt.Sprintf("deleted %d, %d failed: %s", len(done), len(fails), fails[0])}
		}
		return ledgerChangedMsg{kind: statusOK, text: fmt.Sprintf("deleted %d file(s) from Filestack", len(done))}
	}
}

func forget(l Ledger, s store.Scope, es []store.Entry) tea.Cmd {
	return func() tea.Msg {
		hs := make([]string, len(es))
		for i, e := range es {
			hs[i] = e.Handle
		}
		if err := l.Remove(context.Background(), s, hs...); err != nil {
			return ledgerChangedMsg{kind: statusErr, text: "ledger: " + err.Error()}
		}
		return ledgerChangedMsg{kind: statusOK, text: fmt.Sprintf("forgot %d file(s) (still on Filestack)", len(hs))}
	}
}

func (m Model) importDialog() overlay {
	return newInputOverlay("Import a handle", "Paste a Filestack handle or a CDN/File API URL; fsdeck checks it exists and adds it to the list.",
		"handle or https://cdn.filestackcontent.com/…", false, func(s string) tea.Cmd {
			return importHandle(m.d.Remote, m.d.Ledger, m.d.Scope, s)
		})
}

func importHandle(r Remote, l Ledger, s store.Scope, input string) tea.Cmd {
	return func() tea.Msg {
		h, ok := filestack.ParseHandle(input)
		if !ok {
			return statusMsg{kind: statusErr, text: "not a handle or Filestack URL: " + Sanitize(truncateRunes(input, 60))}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		md, err := r.Metadata(ctx, h, filestack.FieldWidth, filestack.FieldHeight)
		if err != nil {
			return statusMsg{kind: statusErr, text: "import " + h + ": " + err.Error()}
		}
		e := mergeMetadata(store.Entry{Handle: h, Source: store.SourceImport, RefreshedAt: time.Now()}, md)
		return record(ctx, l, s, e, "imported "+h+" ("+Sanitize(e.Filename)+")")
	}
}

func (m Model) storeURLDialog() overlay {
	return newInputOverlay("Store from URL", "Filestack fetches this public http(s) URL and stores it as a new file.",
		"https://example.com/picture.jpg", false, func(s string) tea.Cmd {
			return storeURL(m.d.Remote, m.d.Ledger, m.d.Scope, s)
		})
}

func storeURL(r Remote, l Ledger, s store.Scope, u string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		f, err := r.StoreURL(ctx, u, filestack.UploadOptions{})
		if err != nil {
			return statusMsg{kind: statusErr, text: "store from URL: " + err.Error()}
		}
		return record(ctx, l, s, entryOf(f, store.SourceURL), "stored "+Sanitize(f.Filename)+" as "+f.Handle)
	}
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// localDetails hashes a local file in a command and looks it up in the ledger.
func localDetails(e localEntry, l Ledger, s store.Scope) tea.Cmd {
	return func() tea.Msg {
		lines := []string{"Name      " + Sanitize(e.Name), "Path      " + Sanitize(e.Path)}
		if e.IsDir {
			return detailsMsg{title: "Local directory", lines: append(lines, "Type      directory")}
		}
		lines = append(lines, fmt.Sprintf("Size      %s (%d bytes)", formatSize(e.Size), e.Size),
			"Modified  "+e.ModTime.Format("2006-01-02 15:04:05"))
		if e.Err != "" {
			return detailsMsg{title: "Local file", lines: append(lines, "Error     "+Sanitize(e.Err))}
		}
		lines = append(lines, "Type      "+sniffLocal(e.Path))
		sum := fileSHA256(e.Path)
		if sum == "" {
			return detailsMsg{title: "Local file", lines: append(lines, "SHA-256   (unreadable)")}
		}
		lines = append(lines, "SHA-256   "+sum)
		hits, err := l.FindBySHA256(context.Background(), s, sum)
		switch {
		case err != nil:
			lines = append(lines, "Ledger    "+Sanitize(err.Error()))
		case len(hits) == 0:
			lines = append(lines, "Ledger    not uploaded yet (no file with this content)")
		default:
			for _, h := range hits {
				lines = append(lines, "Ledger    already uploaded as "+h.Handle+" ("+Sanitize(h.Filename)+")")
			}
		}
		return detailsMsg{title: "Local file", lines: lines}
	}
}

// entryOf is the ledger entry of a file Filestack just stored.
func entryOf(f *filestack.File, src store.Source) store.Entry {
	return store.Entry{Handle: f.Handle, Filename: f.Filename, Size: f.Size, Mimetype: f.Mimetype, Uploaded: time.Now(), Source: src}
}

// record adds an entry to the ledger and reports it (the remote pane reloads).
func record(ctx context.Context, l Ledger, s store.Scope, e store.Entry, done string) tea.Msg {
	if err := l.Add(ctx, s, e); err != nil {
		return statusMsg{kind: statusErr, text: "ledger: " + err.Error()}
	}
	return ledgerChangedMsg{kind: statusOK, text: done}
}
