package remotepane

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// View draws the visible rows of the ledger.
func (p *Pane) View() string {
	st := p.styles
	inner := max(10, p.width-2)
	tc := p.targets.Current()
	name, endpoint := "Remote", tc.Endpoint
	if p.targets.Len() > 1 {
		name = "Remote · " + text.Sanitize(tc.Title)
		// "ImgBB (key 1234abcd)" after "Remote · ImgBB" says ImgBB twice.
		if rest, ok := strings.CutPrefix(endpoint, tc.Title+" "); ok {
			endpoint = rest
		}
	}
	// The heading never takes more than half the line; the address gets
	// the rest, cut at a host or path boundary (uikit.CutAddress).
	if ansi.StringWidth(name) > inner/2 {
		name = ansi.Truncate(name, inner/2, "…")
	}
	title := st.PaneHeading(name, p.focused)
	lines := []string{uikit.Fit(title+uikit.CutAddress(text.Sanitize(endpoint), inner-lipgloss.Width(title)), inner)}
	c := p.columns(inner)
	hdr := "  " + uikit.Fit("Name", c.name) + " " + uikit.AlignRight("Size", 8)
	if c.typ > 0 {
		hdr += " " + uikit.Fit("Type", c.typ)
	}
	if c.time {
		hdr += " " + uikit.Fit("Uploaded", 12)
	}
	if c.handle && !byHandle(tc) {
		hdr += " " + uikit.Fit("ID", 20)
	} else if c.handle {
		hdr += " " + uikit.Fit("Handle", 20)
	}
	lines = append(lines, st.Header.Render(uikit.Fit(hdr, inner)))
	switch {
	case p.loadErr != "":
		// Wrapped: the remedy is at the end of a damaged ledger's message.
		for _, l := range strings.Split(ansi.Wrap("ledger: "+text.Sanitize(p.loadErr), inner, " "), "\n") {
			lines = append(lines, st.Error.Render(uikit.Fit(l, inner)))
		}
	case p.loading && len(p.all) == 0:
		lines = append(lines, st.Muted.Render(uikit.Fit("loading…", inner)))
	case len(p.all) == 0:
		lines = append(lines, st.Muted.Render(uikit.Fit("nothing uploaded yet: mark files on the left, "+p.uploadHint(), inner)))
	case len(p.order) == 0:
		lines = append(lines, st.Muted.Render(uikit.Fit("no match for "+text.Sanitize(p.filter), inner)))
	default:
		from, to := p.list.Visible()
		for i := from; i < to; i++ {
			lines = append(lines, p.row(i, c, inner))
		}
	}
	return st.PaneFrame(p.focused, lines, p.footer(), inner, p.height)
}

type remoteCols struct {
	name, typ    int
	time, handle bool
}

func (p *Pane) columns(inner int) remoteCols {
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

func (p *Pane) row(i int, c remoteCols, inner int) string {
	st := p.styles
	e := p.all[p.order[i]]
	marked := p.marks.Has(e.Handle)
	mark := uikit.RowPrefix(i == p.list.Cursor(), marked, p.marks.InRange(i, p.list.Cursor()))
	nameF := uikit.Fit(text.Sanitize(p.rowName(e)), c.name)
	rest := " " + uikit.AlignRight(uikit.FormatSize(e.Size), 8)
	if c.typ > 0 {
		rest += " " + uikit.Fit(text.Sanitize(shortType(e.Mimetype)), c.typ)
	}
	if c.time {
		rest += " " + uikit.Fit(uikit.FormatTime(e.Uploaded, p.now()), 12)
	}
	if c.handle {
		rest += " " + uikit.Fit(e.Handle, 20)
	}
	plain := st.Row
	if e.Gone || p.serverOnly[e.Handle] || p.expired(e) {
		plain = st.Gone
	}
	rest = uikit.Fit(rest, inner-lipgloss.Width(mark+nameF))
	return uikit.HighlightRow(st.RowStyle(i == p.list.Cursor(), p.focused, marked, plain), mark, nameF, rest, p.filter)
}

// rowName is the entry's name, with its store path (or handle) when
// another entry has the same name.
func (p *Pane) rowName(e store.Entry) string {
	name := uikit.DisplayName(e)
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

func (p *Pane) footer() string {
	s := fmt.Sprintf("%d %s", len(p.order), text.Plural(len(p.order), "file", "files"))
	if p.filter != "" {
		s = fmt.Sprintf("%d of %d match /%s", len(p.order), len(p.all), text.Sanitize(p.filter))
	}
	if n := len(p.serverOnly); n > 0 {
		s += fmt.Sprintf(" · %d only on the server", n)
	}
	s += uikit.MarksHint(p.marks.Len(), p.shownMarks)
	s += p.marks.RangeHint(p.list.Cursor(), len(p.order), p.keys.MarkRange)
	arrow := "↑"
	if p.desc {
		arrow = "↓"
	}
	return s + " · " + remoteSortNames[p.sortBy] + arrow
}

// expired reports an upload past the expiry it was sent with (ImgBB,
// Pastebin delete those by themselves).
func (p *Pane) expired(e store.Entry) bool {
	return !e.Expires.IsZero() && !e.Expires.After(p.now())
}

// uploadHint says which key uploads from the local pane, as remapped
// (quit = ["q", "u"] takes u from upload; upload-to still sends).
func (p *Pane) uploadHint() string {
	local := &p.env.Scoped().Local
	for _, b := range []key.Binding{local.Upload, local.UploadTo} {
		if len(b.Keys()) > 0 {
			return "press " + b.Help().Key
		}
	}
	return "then upload them"
}
