// Package remotepane is the remote pane: what the ledger (store) knows
// is on the target shown, merged with what the service's list API
// reports where it has one, with the actions each target allows (details,
// copy and copy-as, refresh, download, delete, forget, the transform
// studio for the images of a target that transforms them). A target
// without a list call (Filestack) has the ledger as its list; it is
// watched for other processes' changes. What a key does on a target is
// what the target implements (hosts' optional interfaces, Caps), never
// which target it is.
//
// It imports ui/uikit and service packages only; never ui or another
// component. Downloads go to the transfers panel as
// uikit.DownloadRequestMsg, the studio opens through uikit.OpenStudioMsg.
package remotepane

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
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
	// rsortPlain is the name order before natural sort (file_10 before
	// file_2).
	rsortPlain
)

var remoteSortNames = [...]string{"added", "name", "size", "type", "plain"}

// Pane lists the ledger: what fsdeck knows is on the target shown.
type Pane struct {
	env     *uikit.Env
	targets uikit.Targets
	keys    *uikit.KeyMap
	styles  *uikit.Styles
	now     func() time.Time
	// transformFor is the last studio chain per handle (copy as…, details).
	transformFor map[string][]transform.Task
	// collide marks file names that more than one entry has; those rows
	// show their store path or handle so they can be told apart.
	collide map[string]bool
	search  uikit.FilterBox

	// ledger is what the ledger lists for the shown target; server what
	// its list API reported (Lister targets), merged into all.
	ledger     []store.Entry
	server     []hosts.Result
	serverOnly map[string]bool

	all     []store.Entry
	order   []int
	list    uikit.List
	marks   uikit.MarkSet
	loading bool
	loadErr string
	listID  int
	filter  string
	sortBy  remoteSort
	desc    bool
	width   int
	height  int
	focused bool
	// shownMarks counts the marks on rows the filter lets through.
	shownMarks int

	// tick schedules the ledger watch (tea.Tick; nil turns the watch off,
	// for tests that run every command to completion); version is the
	// ledger's data version last seen (versionSeen: once a poll came
	// back), watching whether polls run.
	tick        func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	version     int64
	versionSeen bool
	watching    bool
}

// Options change how the pane behaves; zero fields take the defaults.
type Options struct {
	// Tick schedules the ledger watch (tea.Tick); NoWatch turns the watch
	// off, for tests that run every command to completion.
	Tick    func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	NoWatch bool
}

// New makes an empty pane showing targets' current target; Reload fills
// it.
func New(env *uikit.Env, targets uikit.Targets, o Options) *Pane {
	tick := o.Tick
	if tick == nil {
		tick = tea.Tick
	}
	if o.NoWatch {
		tick = nil
	}
	return &Pane{env: env, targets: targets, keys: &env.Scoped().Remote, styles: env.Styles(), now: env.Now, marks: uikit.NewMarkSet(), desc: true,
		transformFor: map[string][]transform.Task{}, search: uikit.NewFilterBox(), tick: tick}
}

// shownConn is what the actions use: the target shown, its ledger scope,
// the ledger and the clock.
type shownConn struct {
	tc     uikit.TargetConn
	Ledger uikit.Ledger
	Scope  store.Scope
	Now    func() time.Time
}

func (p *Pane) shown() shownConn {
	tc := p.targets.Current()
	return shownConn{tc: tc, Ledger: p.env.Ledger(), Scope: tc.Scope, Now: p.env.Now}
}

// byHandle reports whether tc's files are known by handles their URLs
// are built from (hosts.URLDeriver): the ledger keeps no URL, and the
// pane builds one and asks the service itself for the rest (actions.go).
// Other targets' rows carry the URLs the service returned (host.go).
func byHandle(tc uikit.TargetConn) bool {
	_, ok := tc.Host.(hosts.URLDeriver)
	return ok && tc.Caps.DerivedURL
}

// urlOf is the URL of a file of a byHandle target.
func urlOf(tc uikit.TargetConn, handle string) string {
	if d, ok := tc.Host.(hosts.URLDeriver); ok {
		return d.URLOf(handle)
	}
	return ""
}

// secretless reports whether tc signs with a secret its connection lacks
// (deleting and signed URLs then need it first).
func secretless(tc uikit.TargetConn) bool {
	sh, ok := tc.Host.(uikit.SecretHolder)
	return ok && !sh.HasSecret()
}

// listLedger reads the ledger in a command. A damaged ledger lists as an
// error: what it still yields may be anything down to nothing, which would
// read as "nothing uploaded yet".
func listLedger(l uikit.Ledger, scope store.Scope, id int) tea.Cmd {
	return func() tea.Msg {
		if dr, ok := l.(uikit.DamageReporter); ok {
			if d := dr.Damaged(); d != nil {
				return remoteListedMsg{id: id, err: d}
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		es, err := l.List(ctx, scope)
		return remoteListedMsg{id: id, entries: es, err: err}
	}
}

// Reload re-reads the ledger of the shown target.
func (p *Pane) Reload() tea.Cmd {
	p.listID++
	p.loading = true
	return listLedger(p.env.Ledger(), p.targets.Current().Scope, p.listID)
}

// SetSize sets the outer size.
func (p *Pane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.SetHeight(h - 5)
}

// Focus gives keyboard focus.
func (p *Pane) Focus() { p.focused = true }

// Blur removes focus.
func (p *Pane) Blur() { p.focused = false }

func (p *Pane) current() (store.Entry, bool) {
	if len(p.order) == 0 {
		return store.Entry{}, false
	}
	return p.all[p.order[p.list.Cursor()]], true
}

// Selected returns the marked entries, or the one under the cursor.
func (p *Pane) Selected() []store.Entry {
	var out []store.Entry
	if p.marks.Len() > 0 {
		for _, e := range p.all {
			if p.marks.Has(e.Handle) {
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
func (p *Pane) ClearMarks() {
	p.marks.Clear()
	p.shownMarks = 0
}

// recountShown counts the marks on rows the list shows.
func (p *Pane) recountShown() {
	p.shownMarks = 0
	if p.marks.Len() == 0 {
		return
	}
	for _, j := range p.order {
		if p.marks.Has(p.all[j].Handle) {
			p.shownMarks++
		}
	}
}

// hiddenMarked is the marked entries the filter hides.
func (p *Pane) hiddenMarked() []store.Entry {
	if p.marks.Len() == p.shownMarks {
		return nil
	}
	shown := make(map[string]bool, p.shownMarks)
	for _, j := range p.order {
		shown[p.all[j].Handle] = true
	}
	var out []store.Entry
	for _, e := range p.all {
		if p.marks.Has(e.Handle) && !shown[e.Handle] {
			out = append(out, e)
		}
	}
	return out
}

// ServerOnly reports whether the entry of handle is known only from the
// service's list (not uploaded by fsdeck here).
func (p *Pane) ServerOnly(handle string) bool { return p.serverOnly[handle] }

// Len is the number of entries in the ledger.
func (p *Pane) Len() int { return len(p.all) }

// Entries returns the ledger entries in display order.
func (p *Pane) Entries() []store.Entry {
	out := make([]store.Entry, len(p.order))
	for i, j := range p.order {
		out[i] = p.all[j]
	}
	return out
}

// Update handles listings and the results of its actions always, keys
// when focused.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case remoteListedMsg:
		// The first listing starts the watch for other processes' changes.
		p.onListed(msg)
		return p.startWatch()
	case ledgerPollMsg:
		return p.pollVersion()
	case ledgerVersionMsg:
		return p.onVersion(msg)
	case tea.KeyMsg:
		if p.focused {
			return p.onKey(msg)
		}
	case refreshedMsg:
		return p.onRefreshed(msg)
	case uikit.LedgerChangedMsg:
		return tea.Batch(uikit.Emit(uikit.StatusMsg(msg)), p.Reload())
	case uikit.RemoteReloadMsg:
		return p.Reload()
	case remoteUnmarkMsg:
		p.ClearMarks()
	case uikit.TargetsMsg:
		p.targets = msg.Targets
	case uikit.ConnectedMsg:
		p.ClearMarks()
		return p.Reload()
	case uikit.TargetSwitchedMsg:
		p.ClearMarks()
		p.server, p.ledger = nil, nil
		p.merge()
		return tea.Batch(p.Reload(), listServer(p.targets.Current()))
	case serverListedMsg:
		return p.onServerListed(msg)
	case hostStatedMsg:
		return p.onHostStated(msg)
	case hostDeletedMsg:
		return p.onHostDeleted(msg)
	case remoteSortMsg:
		p.SetSort(msg.by, msg.desc)
	case uikit.StudioClosedMsg:
		p.transformFor[msg.Handle] = msg.Tasks
	case uikit.MouseMsg:
		return p.onMouse(msg)
	}
	return nil
}

// onMouse: the wheel scrolls, a click selects the row, a double click
// opens its details.
func (p *Pane) onMouse(msg uikit.MouseMsg) tea.Cmd {
	if d := uikit.Wheel(msg.Button); d != 0 {
		p.list.Move(d)
		return nil
	}
	row, ok := uikit.PaneRow(p.list, msg.Y)
	if msg.Button != tea.MouseButtonLeft || !ok {
		return nil
	}
	p.list.Jump(row)
	if !msg.Double {
		return nil
	}
	e, _ := p.current()
	d := p.shown()
	md, ok := d.tc.Host.(uikit.MetadataReader)
	if !byHandle(d.tc) || !ok {
		return p.hostDetails(d.tc, e)
	}
	return tea.Batch(uikit.Info("fetching metadata of "+text.Sanitize(uikit.DisplayName(e))+"…"),
		refreshMetadata(md, d, []store.Entry{e}, true))
}

func (p *Pane) onListed(msg remoteListedMsg) {
	if msg.id != p.listID {
		return
	}
	p.loading = false
	if msg.err != nil {
		p.loadErr = msg.err.Error()
		return
	}
	p.loadErr = ""
	p.server = withoutLeft(p.server, p.ledger, msg.entries)
	p.ledger = msg.entries
	p.merge()
	for h := range p.marks.Pins() {
		if !p.has(h) {
			p.marks.Delete(h)
		}
	}
	p.recountShown()
}

// withoutLeft drops from a service's cached list the files that have
// just left the ledger: another process (fsdeck rm) deleted or forgot
// them, and the list, fetched before, would show a deleted file as still
// on the server. A file only forgotten shows again at the next listing.
func withoutLeft(server []hosts.Result, before, after []store.Entry) []hosts.Result {
	if len(server) == 0 || len(before) == 0 {
		return server
	}
	still := make(map[string]bool, len(after))
	for _, e := range after {
		still[e.Handle] = true
	}
	left := map[string]bool{}
	for _, e := range before {
		if !still[e.Handle] {
			left[e.Handle] = true
		}
	}
	if len(left) == 0 {
		return server
	}
	out := make([]hosts.Result, 0, len(server))
	for _, r := range server {
		if !left[r.ID] {
			out = append(out, r)
		}
	}
	return out
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

func (p *Pane) has(handle string) bool {
	for _, e := range p.all {
		if e.Handle == handle {
			return true
		}
	}
	return false
}

// reorder applies filter and sort; the ledger is small enough (thousands)
// to do this in Update.
func (p *Pane) reorder() {
	// Names match fuzzily; a handle, type or store path only when it
	// contains the pattern as typed (fuzzy matches on random handles are
	// noise).
	p.order = uikit.FuzzyOrder(len(p.all), func(i int) string {
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
				return uikit.NaturalCompare(x.Filename, y.Filename) < 0
			case rsortPlain:
				return strings.ToLower(x.Filename) < strings.ToLower(y.Filename)
			case rsortSize:
				return x.Size < y.Size
			case rsortType:
				return x.Mimetype < y.Mimetype
			}
			return x.Added.Before(y.Added)
		})
	}
	p.list.SetLen(len(p.order))
	p.recountShown()
}

// SetFilter applies a fuzzy filter over names (and handles, types and
// store paths as typed). The cursor goes to the best match; clearing the
// filter keeps it on the entry it was on.
func (p *Pane) SetFilter(pattern string) {
	keep, had := p.current()
	p.filter = pattern
	p.reorder()
	if pattern != "" {
		p.list.Jump(0)
		return
	}
	for i, j := range p.order {
		if had && p.all[j].Handle == keep.Handle {
			p.list.Jump(i)
			break
		}
	}
}

// Typing reports whether the filter line takes the keys.
func (p *Pane) Typing() bool { return p.search.Typing() }

// FilterLine is the filter being typed.
func (p *Pane) FilterLine() string { return p.search.View() }

// SetSort changes the order.
func (p *Pane) SetSort(by remoteSort, desc bool) {
	p.sortBy, p.desc = by, desc
	p.reorder()
}

func (p *Pane) onKey(msg tea.KeyMsg) tea.Cmd {
	if p.search.Typing() {
		var pattern string
		var changed bool
		if p.search, pattern, changed = p.search.Update(msg); changed {
			p.SetFilter(pattern)
		}
		return nil
	}
	k := p.keys
	if p.list.Navigate(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		p.search = p.search.Start()
	case key.Matches(msg, k.Close) && p.filter != "":
		p.search = p.search.Clear()
		p.SetFilter("")
	case key.Matches(msg, k.Close) && (p.marks.Len() > 0 || p.marks.Anchored()):
		n := p.marks.Len()
		p.ClearMarks()
		return uikit.ClearedMarks(n)
	case key.Matches(msg, k.Mark):
		if e, ok := p.current(); ok {
			p.marks.Toggle(e.Handle, uikit.FileID{}, p.list.Cursor())
			p.list.Move(1)
			p.recountShown()
		}
	case key.Matches(msg, k.MarkRange):
		if len(p.order) > 0 {
			p.marks.RangeTo(p.list.Cursor(), len(p.order), p.handleAt)
			p.recountShown()
		}
	case key.Matches(msg, k.MarkAll):
		p.marks.ToggleAll(len(p.order), p.handleAt)
		p.recountShown()
	case key.Matches(msg, k.Sort):
		return uikit.Open(p.sortMenu())
	default:
		return p.onAction(msg)
	}
	return nil
}

// handleAt is the handle of the i-th visible row, the id marks use.
func (p *Pane) handleAt(i int) (string, uikit.FileID) {
	return p.all[p.order[i]].Handle, uikit.FileID{}
}

var _ uikit.Focusable = (*Pane)(nil)
