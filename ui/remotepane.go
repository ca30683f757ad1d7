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

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/store"
)

// remoteListedMsg carries the ledger's entries back from its command.
type remoteListedMsg struct {
	id      int
	entries []store.Entry
	err     error
}

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
	env    *env
	keys   *KeyMap
	styles *Styles
	now    func() time.Time
	// transformFor is the last studio chain per handle (copy as…, details).
	transformFor map[string][]transform.Task
	// collide marks file names that more than one entry has; those rows
	// show their store path or handle so they can be told apart.
	collide map[string]bool
	search  filterBox

	all     []store.Entry
	order   []int
	list    listState
	marks   markSet
	loading bool
	loadErr string
	listID  int
	filter  string
	sortBy  remoteSort
	desc    bool
	width   int
	height  int
	focused bool
}

// NewRemotePane makes an empty pane; Reload fills it.
func NewRemotePane(e *env) RemotePane {
	return RemotePane{env: e, keys: &e.keys, styles: &e.styles, now: e.d.Now, marks: newMarkSet(), desc: true,
		transformFor: map[string][]transform.Task{}, search: newFilterBox()}
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
func (p *RemotePane) Reload() tea.Cmd {
	p.listID++
	p.loading = true
	return listLedger(p.env.d.Ledger, p.env.d.Scope, p.listID)
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

// Update handles listings and the results of its actions always, keys
// when focused.
func (p RemotePane) Update(msg tea.Msg) (RemotePane, tea.Cmd) {
	switch msg := msg.(type) {
	case remoteListedMsg:
		return p.onListed(msg), nil
	case tea.KeyMsg:
		if p.focused {
			return p.onKey(msg)
		}
	case refreshedMsg:
		return p.onRefreshed(msg)
	case ledgerChangedMsg:
		return p, tea.Batch(emit(statusMsg(msg)), p.Reload())
	case remoteReloadMsg:
		return p, p.Reload()
	case connectedMsg:
		p.ClearMarks()
		return p, p.Reload()
	case remoteSortMsg:
		p.SetSort(msg.by, msg.desc)
	case studioClosedMsg:
		p.transformFor[msg.handle] = msg.tasks
	case mouseMsg:
		return p.onMouse(msg)
	}
	return p, nil
}

// onMouse: the wheel scrolls, a click selects the row, a double click
// opens its details.
func (p RemotePane) onMouse(msg mouseMsg) (RemotePane, tea.Cmd) {
	if d := wheel(msg.button); d != 0 {
		p.list.move(d)
		return p, nil
	}
	row, ok := paneRow(p.list, msg.y)
	if msg.button != tea.MouseButtonLeft || !ok {
		return p, nil
	}
	p.list.jump(row)
	if !msg.double {
		return p, nil
	}
	e, _ := p.current()
	d := &p.env.d
	return p, tea.Batch(info("fetching metadata of "+Sanitize(displayName(e))+"…"),
		refreshMetadata(d.Remote, d.Ledger, d.Scope, []store.Entry{e}, true, d.Now))
}

func (p RemotePane) onListed(msg remoteListedMsg) RemotePane {
	if msg.id != p.listID {
		return p
	}
	p.loading = false
	if msg.err != nil {
		p.loadErr = msg.err.Error()
		return p
	}
	p.loadErr = ""
	var keep string
	if e, ok := p.current(); ok {
		keep = e.Handle
	}
	p.all = msg.entries
	p.collide = collisions(p.all)
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
	return p
}

// collisions is the set of file names more than one entry has.
func collisions(es []store.Entry) map[string]bool {
	seen := make(map[string]int, len(es))
	for _, e := range es {
		seen[e.Filename]++
	}
	out := map[string]bool{}
	for n, c := range seen {
		if c > 1 {
			out[n] = true
		}
	}
	return out
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
	// Names match fuzzily; a handle, type or store path only when it
	// contains the pattern as typed (fuzzy matches on random handles are
	// noise).
	p.order = fuzzyOrder(len(p.all), func(i int) string {
		e := p.all[i]
		if p.filter != "" {
			for _, s := range []string{e.Handle, e.Mimetype, e.StorePath} {
				if strings.Contains(strings.ToLower(s), strings.ToLower(p.filter)) {
					return p.filter
				}
			}
		}
		return e.Filename
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

// SetFilter applies a fuzzy filter over names (and handles, types and
// store paths as typed). The cursor goes to the best match; clearing the
// filter keeps it on the entry it was on.
func (p *RemotePane) SetFilter(pattern string) {
	keep, had := p.current()
	p.filter = pattern
	p.reorder()
	if pattern != "" {
		p.list.jump(0)
		return
	}
	for i, j := range p.order {
		if had && p.all[j].Handle == keep.Handle {
			p.list.jump(i)
			break
		}
	}
}

// Typing reports whether the filter line takes the keys.
func (p RemotePane) Typing() bool { return p.search.typing }

// FilterLine is the filter being typed.
func (p RemotePane) FilterLine() string { return p.search.View() }

// SetSort changes the order.
func (p *RemotePane) SetSort(by remoteSort, desc bool) {
	p.sortBy, p.desc = by, desc
	p.reorder()
}

func (p RemotePane) onKey(msg tea.KeyMsg) (RemotePane, tea.Cmd) {
	if p.search.typing {
		var pattern string
		var changed bool
		if p.search, pattern, changed = p.search.Update(msg); changed {
			p.SetFilter(pattern)
		}
		return p, nil
	}
	k := p.keys
	if p.list.navigate(msg, k) {
		return p, nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		p.search = p.search.start()
	case key.Matches(msg, k.Close) && p.filter != "":
		p.search = p.search.clear()
		p.SetFilter("")
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
	case key.Matches(msg, k.Sort):
		return p, openDialog(p.sortMenu())
	default:
		return p.onAction(msg)
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
	lines := []string{title + fitLeft(Sanitize(p.env.d.Endpoint), inner-lipgloss.Width(title))}
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
	mark := rowPrefix(i == p.list.cursor, marked, p.marks.inRange(i, p.list.cursor))
	nameF := fit(Sanitize(p.rowName(e)), c.name)
	rest := " " + alignRight(formatSize(e.Size), 8)
	if c.typ > 0 {
		rest += " " + fit(Sanitize(shortType(e.Mimetype)), c.typ)
	}
	if c.time {
		rest += " " + fit(formatTime(e.Uploaded, p.now()), 12)
	}
	if c.handle {
		rest += " " + fit(e.Handle, 20)
	}
	plain := st.Row
	if e.Gone {
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
	s := fmt.Sprintf("%d files", len(p.order))
	if p.filter != "" {
		s = fmt.Sprintf("%d of %d match /%s", len(p.order), len(p.all), Sanitize(p.filter))
	}
	if n := p.marks.len(); n > 0 {
		s += fmt.Sprintf(" · %d marked", n)
	}
	s += p.marks.rangeHint(p.list.cursor, len(p.order), p.keys.MarkRange)
	arrow := "↑"
	if p.desc {
		arrow = "↓"
	}
	return s + " · " + remoteSortNames[p.sortBy] + arrow
}
