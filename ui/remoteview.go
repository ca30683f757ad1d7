package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
)

// View draws the visible rows of the ledger.
func (p RemotePane) View() string {
	st := p.styles
	inner := max(10, p.width-2)
	tc := p.env.target()
	name, endpoint := "Remote", tc.Endpoint
	if len(p.env.targetList()) > 1 {
		name = "Remote · " + text.Sanitize(tc.Title)
		// "ImgBB (key 1234abcd)" after "Remote · ImgBB" says ImgBB twice.
		if rest, ok := strings.CutPrefix(endpoint, tc.Title+" "); ok {
			endpoint = rest
		}
	}
	title := st.paneTitle(name, p.focused)
	lines := []string{title + fitLeft(text.Sanitize(endpoint), inner-lipgloss.Width(title))}
	c := p.columns(inner)
	hdr := "  " + fit("Name", c.name) + " " + alignRight("Size", 8)
	if c.typ > 0 {
		hdr += " " + fit("Type", c.typ)
	}
	if c.time {
		hdr += " " + fit("Uploaded", 12)
	}
	if c.handle && tc.Host != nil {
		hdr += " " + fit("ID", 20)
	} else if c.handle {
		hdr += " " + fit("Handle", 20)
	}
	lines = append(lines, st.Header.Render(fit(hdr, inner)))
	switch {
	case p.loadErr != "":
		// Wrapped: the remedy is at the end of a damaged ledger's message.
		for _, l := range strings.Split(ansi.Wrap("ledger: "+text.Sanitize(p.loadErr), inner, " "), "\n") {
			lines = append(lines, st.Error.Render(fit(l, inner)))
		}
	case p.loading && len(p.all) == 0:
		lines = append(lines, st.Muted.Render(fit("loading…", inner)))
	case len(p.all) == 0:
		lines = append(lines, st.Muted.Render(fit("nothing uploaded yet: mark files on the left, "+p.uploadHint(), inner)))
	case len(p.order) == 0:
		lines = append(lines, st.Muted.Render(fit("no match for "+text.Sanitize(p.filter), inner)))
	default:
		from, to := p.list.visible()
		for i := from; i < to; i++ {
			lines = append(lines, p.row(i, c, inner))
		}
	}
	return st.paneFrame(p.focused, lines, p.footer(), inner, p.height)
}

type remoteCols struct {
	name, typ    int
	time, handle bool
}

func (p RemotePane) columns(inner int) remoteCols {
	c := remoteCols{name: inner - 2 - 1 - 8}
	if inner >= 60 {
		c.typ = 10
		c.name -= 11
	}
	if inner >= 72 {
		c.time = true
		c.name -= 13
	}
	if inner >= 100 {
		c.handle = true
		c.name -= 21
	}
	c.name = max(4, c.name)
	return c
}

func (p RemotePane) row(i int, c remoteCols, inner int) string {
	st := p.styles
	e := p.all[p.order[i]]
	marked := p.marks.has(e.Handle)
	mark := rowPrefix(i == p.list.cursor, marked, p.marks.inRange(i, p.list.cursor))
	nameF := fit(text.Sanitize(p.rowName(e)), c.name)
	rest := " " + alignRight(formatSize(e.Size), 8)
	if c.typ > 0 {
		rest += " " + fit(text.Sanitize(shortType(e.Mimetype)), c.typ)
	}
	if c.time {
		rest += " " + fit(formatTime(e.Uploaded, p.now()), 12)
	}
	if c.handle {
		rest += " " + fit(e.Handle, 20)
	}
	plain := st.Row
	if e.Gone || p.serverOnly[e.Handle] || p.expired(e) {
		plain = st.Gone
	}
	rest = fit(rest, inner-lipgloss.Width(mark+nameF))
	return highlightRow(st.row(i == p.list.cursor, p.focused, marked, plain), mark, nameF, rest, p.filter)
}

func displayName(e store.Entry) string {
	name := e.Filename
	if name == "" {
		name = e.Handle
	}
	if e.Gone {
		name += " (gone)"
	}
	return name
}

// rowName is the entry's name, with its store path (or handle) when
// another entry has the same name.
func (p RemotePane) rowName(e store.Entry) string {
	name := displayName(e)
	if p.serverOnly[e.Handle] {
		name += " (server only)"
	}
	if p.expired(e) {
		name += " (expired)"
	}
	if !p.collide[e.Filename] {
		return name
	}
	if e.StorePath != "" && !strings.HasSuffix(e.StorePath, "/") {
		return e.StorePath
	}
	return name + " · " + e.Handle
}

// shortType drops the "image/" style prefix of common types.
func shortType(t string) string {
	if _, sub, ok := strings.Cut(t, "/"); ok && len(t) > 10 {
		return sub
	}
	return t
}

func (p RemotePane) footer() string {
	s := fmt.Sprintf("%d %s", len(p.order), text.Plural(len(p.order), "file", "files"))
	if p.filter != "" {
		s = fmt.Sprintf("%d of %d match /%s", len(p.order), len(p.all), text.Sanitize(p.filter))
	}
	if n := len(p.serverOnly); n > 0 {
		s += fmt.Sprintf(" · %d only on the server", n)
	}
	s += marksHint(p.marks.len(), p.shownMarks)
	s += p.marks.rangeHint(p.list.cursor, len(p.order), p.keys.MarkRange)
	arrow := "↑"
	if p.desc {
		arrow = "↓"
	}
	return s + " · " + remoteSortNames[p.sortBy] + arrow
}

// expired reports an upload past the expiry it was sent with (ImgBB,
// Pastebin delete those by themselves).
func (p RemotePane) expired(e store.Entry) bool {
	return !e.Expires.IsZero() && !e.Expires.After(p.now())
}

// uploadHint says which key uploads from the local pane, as remapped
// (quit = ["q", "u"] takes u from upload; upload-to still sends).
func (p RemotePane) uploadHint() string {
	local := &p.env.scoped.local
	for _, b := range []key.Binding{local.Upload, local.UploadTo} {
		if len(b.Keys()) > 0 {
			return "press " + b.Help().Key
		}
	}
	return "then upload them"
}
