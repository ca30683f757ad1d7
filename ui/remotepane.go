package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/store"
)

// remoteListedMsg carries the ledger's entries back from its command.
type remoteListedMsg struct {
	id      int
	entries []store.Entry
	err     error
}

// remoteActionMsg asks the root to act on remote entries.
type remoteActionMsg struct {
	action  remoteAction
	entries []store.Entry
}

type remoteAction int

const (
	actDetails remoteAction = iota
	actCopy
	actCopyAs
	actRefresh
	actDownload
	actDelete
	actForget
	actTransform
)

// remoteSort orders the remote pane.
type remoteSort int

const (
	rsortAdded remoteSort = iota
	rsortName
	rsortSize
	rsortType
)

var remoteSortNames = [...]string{"added", "name", "size", "type"}

// RemotePane lists the ledger: what fsdeck knows is on Filestack.
type RemotePane struct {
	keys   *KeyMap
	styles *Styles
	now    func() time.Time

	all      []store.Entry
	order    []int
	list     listState
	marks    markSet
	loading  bool
	loadErr  string
	listID   int
	filter   string
	sortBy   remoteSort
	desc     bool
	width    int
	height   int
	focused  bool
	endpoint string
}

// NewRemotePane makes an empty pane; Reload fills it.
func NewRemotePane(keys *KeyMap, styles *Styles, endpoint string, now func() time.Time) RemotePane {
	return RemotePane{keys: keys, styles: styles, now: now, marks: newMarkSet(), endpoint: endpoint, desc: true}
}

// listLedger reads the ledger in a command.
func listLedger(l Ledger, scope store.Scope, id int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		es, err := l.List(ctx, scope)
		return remoteListedMsg{id: id, entries: es, err: err}
	}
}

// Reload re-reads the ledger.
func (p *RemotePane) Reload(l Ledger, scope store.Scope) tea.Cmd {
	p.listID++
	p.loading = true
	return listLedger(l, scope, p.listID)
}

// SetSize sets the outer size.
func (p *RemotePane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.setHeight(h - 5)
}

// Focus gives keyboard focus.
func (p *RemotePane) Focus() { p.focused = true }

// Blur removes focus.
func (p *RemotePane) Blur() { p.focused = false }

func (p *RemotePane) current() (store.Entry, bool) {
	if len(p.order) == 0 {
		return store.Entry{}, false
	}
	return p.all[p.order[p.list.cursor]], true
}

// Selected returns the marked entries, or the one under the cursor.
func (p *RemotePane) Selected() []store.Entry {
	var out []store.Entry
	if p.marks.len() > 0 {
		for _, e := range p.all {
			if p.marks.has(e.Handle) {
				out = append(out, e)
			}
		}
		return out
	}
	if e, ok := p.current(); ok {
		out = append(out, e)
	}
	return out
}

// ClearMarks unmarks everything.
func (p *RemotePane) ClearMarks() { p.marks.clear() }

// Len is the number of entries in the ledger.
func (p *RemotePane) Len() int { return len(p.all) }

// Entries returns the ledger entries in display order.
func (p *RemotePane) Entries() []store.Entry {
	out := make([]store.Entry, len(p.order))
	for i, j := range p.order {
		out[i] = p.all[j]
	}
	return out
}

// Update handles listings always and keys when focused.
func (p RemotePane) Update(msg tea.Msg) (RemotePane, tea.Cmd) {
	switch msg := msg.(type) {
	case remoteListedMsg:
		if msg.id != p.listID {
			return p, nil
		}
		p.loading = false
		if msg.err != nil {
			p.loadErr = msg.err.Error()
			return p, nil
		}
		p.loadErr = ""
		var keep string
		if e, ok := p.current(); ok {
			keep = e.Handle
		}
		p.all = msg.entries
		p.reorder()
		for i, j := range p.order {
			if p.all[j].Handle == keep {
				p.list.jump(i)
			}
		}
		for h := range p.marks.ids {
			if !p.has(h) {
				delete(p.marks.ids, h)
			}
		}
		return p, nil
	case tea.KeyMsg:
		if p.focused {
			return p.onKey(msg)
		}
	}
	return p, nil
}

func (p *RemotePane) has(handle string) bool {
	for _, e := range p.all {
		if e.Handle == handle {
			return true
		}
	}
	return false
}

// reorder applies filter and sort; the ledger is small enough (thousands)
// to do this in Update.
func (p *RemotePane) reorder() {
	// Names match fuzzily; a handle only when it contains the pattern as
	// typed (handles are random, so fuzzy matches on them are noise).
	p.order = fuzzyOrder(len(p.all), func(i int) string {
		if p.filter != "" && strings.Contains(p.all[i].Handle, p.filter) {
			return p.filter
		}
		return p.all[i].Filename
	}, p.filter)
	if p.filter == "" {
		by, desc := p.sortBy, p.desc
		sort.SliceStable(p.order, func(a, b int) bool {
			x, y := p.all[p.order[a]], p.all[p.order[b]]
			if desc {
				x, y = y, x
			}
			switch by {
			case rsortName:
				return strings.ToLower(x.Filename) < strings.ToLower(y.Filename)
			case rsortSize:
				return x.Size < y.Size
			case rsortType:
				return x.Mimetype < y.Mimetype
			}
			return x.Added.Before(y.Added)
		})
	}
	p.list.setLen(len(p.order))
}

// SetFilter applies a fuzzy filter over names and handles.
func (p *RemotePane) SetFilter(pattern string) {
	p.filter = pattern
	p.reorder()
}

// SetSort changes the order.
func (p *RemotePane) SetSort(by remoteSort, desc bool) {
	p.sortBy, p.desc = by, desc
	p.reorder()
}

func (p RemotePane) onKey(msg tea.KeyMsg) (RemotePane, tea.Cmd) {
	k := p.keys
	act := func(a remoteAction) (RemotePane, tea.Cmd) {
		sel := p.Selected()
		if a == actDetails || a == actCopy || a == actCopyAs || a == actTransform {
			if e, ok := p.current(); ok {
				sel = []store.Entry{e}
			}
		}
		if len(sel) == 0 {
			return p, nil
		}
		return p, emit(remoteActionMsg{action: a, entries: sel})
	}
	if p.list.navigate(msg, k) {
		return p, nil
	}
	switch {
	case key.Matches(msg, k.Mark):
		if e, ok := p.current(); ok {
			p.marks.toggle(e.Handle, p.list.cursor)
			p.list.move(1)
		}
	case key.Matches(msg, k.MarkRange):
		if len(p.order) > 0 {
			p.marks.rangeTo(p.list.cursor, len(p.order), p.handleAt)
		}
	case key.Matches(msg, k.MarkAll):
		p.marks.toggleAll(len(p.order), p.handleAt)
	case key.Matches(msg, k.Details):
		return act(actDetails)
	case key.Matches(msg, k.Copy):
		return act(actCopy)
	case key.Matches(msg, k.CopyAs):
		return act(actCopyAs)
	case key.Matches(msg, k.Refresh):
		return act(actRefresh)
	case key.Matches(msg, k.Download):
		return act(actDownload)
	case key.Matches(msg, k.Delete):
		return act(actDelete)
	case key.Matches(msg, k.Forget):
		return act(actForget)
	case key.Matches(msg, k.Transform):
		return act(actTransform)
	}
	return p, nil
}

// handleAt is the handle of the i-th visible row, the id marks use.
func (p *RemotePane) handleAt(i int) string { return p.all[p.order[i]].Handle }

// View draws the visible rows of the ledger.
func (p RemotePane) View() string {
	st := p.styles
	inner := max(10, p.width-2)
	title := st.PaneTitle.Render("Remote ")
	if p.focused {
		title = st.PaneTitleFocused.Render("Remote ")
	}
	lines := []string{title + fitLeft(Sanitize(p.endpoint), inner-lipgloss.Width(title))}
	c := p.columns(inner)
	hdr := "  " + fit("Name", c.name) + " " + alignRight("Size", 8)
	if c.typ > 0 {
		hdr += " " + fit("Type", c.typ)
	}
	if c.time {
		hdr += " " + fit("Uploaded", 12)
	}
	if c.handle {
		hdr += " " + fit("Handle", 20)
	}
	lines = append(lines, st.Header.Render(fit(hdr, inner)))
	switch {
	case p.loadErr != "":
		lines = append(lines, st.Error.Render(fit("ledger: "+Sanitize(p.loadErr), inner)))
	case p.loading && len(p.all) == 0:
		lines = append(lines, st.Muted.Render(fit("loading…", inner)))
	case len(p.all) == 0:
		lines = append(lines, st.Muted.Render(fit("nothing uploaded yet: mark files on the left, press u", inner)))
	case len(p.order) == 0:
		lines = append(lines, st.Muted.Render(fit("no match for "+Sanitize(p.filter), inner)))
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
	mark := rowPrefix(i == p.list.cursor, marked)
	line := mark + fit(Sanitize(displayName(e)), c.name) + " " + alignRight(formatSize(e.Size), 8)
	if c.typ > 0 {
		line += " " + fit(Sanitize(shortType(e.Mimetype)), c.typ)
	}
	if c.time {
		line += " " + fit(formatTime(e.Uploaded, p.now()), 12)
	}
	if c.handle {
		line += " " + fit(e.Handle, 20)
	}
	plain := st.Row
	if e.Gone {
		plain = st.Gone
	}
	return st.row(i == p.list.cursor, p.focused, marked, plain).Render(fit(line, inner))
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

// shortType drops the "image/" style prefix of common types.
func shortType(t string) string {
	if _, sub, ok := strings.Cut(t, "/"); ok && len(t) > 10 {
		return sub
	}
	return t
}

func (p RemotePane) footer() string {
	s := fmt.Sprintf("%d files", len(p.order))
	if p.filter != "" {
		s = fmt.Sprintf("%d of %d match /%s", len(p.order), len(p.all), Sanitize(p.filter))
	}
	if n := p.marks.len(); n > 0 {
		s += fmt.Sprintf(" · %d marked", n)
	}
	arrow := "↑"
	if p.desc {
		arrow = "↓"
	}
	return s + " · " + remoteSortNames[p.sortBy] + arrow
}
