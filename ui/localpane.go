package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
)

// localEntry is one row of the local pane.
type localEntry struct {
	Name    string
	Path    string
	Size    int64
	ModTime time.Time
	IsDir   bool
	IsLink  bool
	Err     string
}

// sortKey orders the local pane (directories always come first).
type sortKey int

const (
	sortName sortKey = iota
	sortSize
	sortTime
	sortExt
)

var sortNames = [...]string{"name", "size", "time", "ext"}

// sortByName is the order called name (name order for anything else).
func sortByName(name string) sortKey {
	for i, n := range sortNames {
		if n == name {
			return sortKey(i)
		}
	}
	return sortName
}

// localListedMsg carries a directory listing (sorted, unfiltered) back from
// its command; id drops stale answers.
type localListedMsg struct {
	id      int
	dir     string
	entries []localEntry
	err     error
}

// localViewMsg carries the filtered, sorted order computed in a command.
type localViewMsg struct {
	id    int
	order []int
}

// LocalPane browses the local filesystem.
type LocalPane struct {
	env    *env
	keys   *KeyMap
	styles *Styles
	now    func() time.Time
	search filterBox

	dir      string
	all      []localEntry
	order    []int // indices into all, after filter and sort
	list     listState
	marks    markSet
	loading  bool
	loadErr  string
	listID   int
	viewID   int
	hidden   bool
	sortBy   sortKey
	desc     bool
	filter   string
	width    int
	height   int
	focused  bool
	wantName string // select this name after the next listing (going up)
	prevDir  string // where to return if the directory being opened fails

	// The directory shown is watched for changes (debounced): watcher
	// starts a watch (nil: none, for tests that run commands to the end).
	watcher  func(dir string, gen int) tea.Cmd
	watch    *dirWatch
	watchGen int
	watchDir string
}

// NewLocalPane starts in dir.
func NewLocalPane(e *env, dir string, hidden bool) LocalPane {
	return LocalPane{env: e, keys: &e.keys, styles: &e.styles, now: e.d.Now, dir: dir, marks: newMarkSet(), hidden: hidden,
		search: newFilterBox(), watcher: startWatch}
}

// Init lists the start directory.
func (p *LocalPane) Init() tea.Cmd { return p.load(p.dir) }

// load lists dir in a command. Going to another directory clears the pane
// at once, so a huge directory shows "loading…" immediately instead of the
// old listing; if it cannot be read, the pane returns to where it was.
func (p *LocalPane) load(dir string) tea.Cmd {
	p.listID++
	p.loading = true
	p.loadErr = ""
	if dir != p.dir {
		if p.prevDir == "" {
			p.prevDir = p.dir
		}
		p.dir, p.all, p.order = dir, nil, nil
		p.list.setLen(0)
	}
	return listLocalDir(p.listID, dir, p.hidden, p.sortBy, p.desc)
}

// listLocalDir reads a directory in a command: entries are stat'ed, links
// followed for their kind, and sorted. Unreadable entries are kept with
// their error so a person sees them.
func listLocalDir(id int, dir string, hidden bool, by sortKey, desc bool) tea.Cmd {
	return func() tea.Msg {
		des, err := os.ReadDir(dir)
		if err != nil && len(des) == 0 {
			return localListedMsg{id: id, dir: dir, err: err}
		}
		out := make([]localEntry, 0, len(des))
		for _, de := range des {
			name := de.Name()
			if !hidden && strings.HasPrefix(name, ".") {
				continue
			}
			e := localEntry{Name: name, Path: filepath.Join(dir, name), IsDir: de.IsDir()}
			info, ierr := de.Info()
			if ierr != nil {
				e.Err = ierr.Error()
				out = append(out, e)
				continue
			}
			e.Size, e.ModTime = info.Size(), info.ModTime()
			if info.Mode()&fs.ModeSymlink != 0 {
				e.IsLink = true
				if target, serr := os.Stat(e.Path); serr == nil {
					e.IsDir = target.IsDir()
					e.Size = target.Size()
				} else {
					e.Err = "broken link"
				}
			}
			out = append(out, e)
		}
		sortEntries(out, by, desc)
		return localListedMsg{id: id, dir: dir, entries: out, err: err}
	}
}

func sortEntries(es []localEntry, by sortKey, desc bool) {
	less := func(a, b localEntry) bool {
		switch by {
		case sortSize:
			if a.Size != b.Size {
				return a.Size < b.Size
			}
		case sortTime:
			if !a.ModTime.Equal(b.ModTime) {
				return a.ModTime.Before(b.ModTime)
			}
		case sortExt:
			ea, eb := strings.ToLower(filepath.Ext(a.Name)), strings.ToLower(filepath.Ext(b.Name))
			if ea != eb {
				return ea < eb
			}
		}
		return lessName(a, b)
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.IsDir != b.IsDir {
			return a.IsDir
		}
		if a.IsDir && by == sortSize {
			// A directory's size is its inode's, which says nothing about
			// its contents: directories keep name order in a size sort.
			return lessName(a, b)
		}
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
}

// lessName orders by name, case-insensitively first.
func lessName(a, b localEntry) bool {
	la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name)
	if la != lb {
		return la < lb
	}
	return a.Name < b.Name
}

// filterLocal computes the visible order in a command (fuzzy, best first).
func filterLocal(id int, all []localEntry, pattern string) tea.Cmd {
	return func() tea.Msg {
		return localViewMsg{id: id, order: fuzzyOrder(len(all), func(i int) string { return all[i].Name }, pattern)}
	}
}

// fuzzyOrder keeps the natural order without a pattern, else the matches
// sorted by score.
func fuzzyOrder(n int, name func(int) string, pattern string) []int {
	order := make([]int, 0, n)
	if pattern == "" {
		for i := 0; i < n; i++ {
			order = append(order, i)
		}
		return order
	}
	scores := map[int]int{}
	for i := 0; i < n; i++ {
		if s, ok := fuzzyScore(pattern, name(i)); ok {
			order = append(order, i)
			scores[i] = s
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	return order
}

// SetSize sets the outer size of the pane (border included).
func (p *LocalPane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.setHeight(h - 5)
}

// Focus and Blur move keyboard focus.
func (p *LocalPane) Focus() { p.focused = true }

// Blur removes focus.
func (p *LocalPane) Blur() { p.focused = false }

// Dir is the directory shown.
func (p *LocalPane) Dir() string { return p.dir }

func (p *LocalPane) current() (localEntry, bool) {
	if len(p.order) == 0 {
		return localEntry{}, false
	}
	return p.all[p.order[p.list.cursor]], true
}

// Selected returns the marked paths, or the entry under the cursor.
func (p *LocalPane) Selected() []string {
	if p.marks.len() > 0 {
		out := make([]string, 0, p.marks.len())
		for path := range p.marks.ids {
			out = append(out, path)
		}
		sort.Strings(out)
		return out
	}
	if e, ok := p.current(); ok {
		return []string{e.Path}
	}
	return nil
}

// ClearMarks unmarks everything (after an action used them).
func (p *LocalPane) ClearMarks() { p.marks.clear() }

// Update handles listings and requests always, keys when focused.
func (p LocalPane) Update(msg tea.Msg) (LocalPane, tea.Cmd) {
	switch msg := msg.(type) {
	case localListedMsg:
		return p.onListed(msg)
	case localViewMsg:
		if msg.id == p.viewID {
			p.applyView(msg.order)
		}
		return p, nil
	case tea.KeyMsg:
		if p.focused {
			return p.onKey(msg)
		}
	case localSortMsg:
		return p, p.SetSort(msg.by, msg.desc)
	case bookmarksLoadedMsg:
		return p, p.bookmarksMenu(msg)
	case gotoDirMsg:
		// The listing command reports a bookmark that no longer opens and
		// keeps the pane where it was.
		return p, p.load(msg.dir)
	case localReloadMsg:
		return p, p.load(p.dir)
	case mouseMsg:
		return p.onMouse(msg)
	case watchStartedMsg:
		if msg.gen != p.watchGen {
			return p, msg.watch.stop()
		}
		p.watch = msg.watch
		return p, p.watch.wait(msg.gen)
	case dirChangedMsg:
		if msg.gen != p.watchGen || p.watch == nil {
			return p, nil
		}
		if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return p, tea.Batch(p.load(p.dir), p.watch.wait(msg.gen))
	}
	return p, nil
}

// rewatch moves the watch to the directory now listed.
func (p *LocalPane) rewatch() tea.Cmd {
	if p.watcher == nil || p.dir == p.watchDir {
		return nil
	}
	var stop tea.Cmd
	if p.watch != nil {
		stop = p.watch.stop()
	}
	p.watchGen++
	p.watch, p.watchDir = nil, p.dir
	return tea.Batch(stop, p.watcher(p.dir, p.watchGen))
}

// StopWatch ends watching (when fsdeck exits).
func (p *LocalPane) StopWatch() {
	if p.watch != nil {
		p.watch.close()
	}
}

// onMouse: the wheel scrolls, a click selects the row, a double click
// opens it (a directory) or shows its details (a file).
func (p LocalPane) onMouse(msg mouseMsg) (LocalPane, tea.Cmd) {
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
	if e.IsDir {
		return p, p.load(e.Path)
	}
	return p, localDetails(p.env, e)
}

// applyView shows a new filtered order: the best match under the cursor
// while filtering, the entry that was under it when the filter clears.
func (p *LocalPane) applyView(order []int) {
	keep, had := p.current()
	p.order = order
	p.list.setLen(len(p.order))
	if p.filter != "" {
		p.list.jump(0)
		return
	}
	if had {
		for i, j := range p.order {
			if p.all[j].Path == keep.Path {
				p.list.jump(i)
				break
			}
		}
	}
}

func (p LocalPane) onListed(msg localListedMsg) (LocalPane, tea.Cmd) {
	if msg.id != p.listID {
		return p, nil
	}
	p.loading = false
	if msg.err != nil && msg.entries == nil {
		failed := p.dir
		if p.prevDir != "" && p.prevDir != failed {
			p.dir, p.prevDir = p.prevDir, ""
			p.wantName = ""
			return p, tea.Batch(p.load(p.dir), emit(statusMsg{kind: statusErr,
				text: "cannot open " + Sanitize(failed) + ": " + describeFSError(msg.err)}))
		}
		p.loadErr = describeFSError(msg.err)
		return p, nil
	}
	p.prevDir = ""
	// Listing the same directory again (a change, a refresh) keeps the
	// filter; another directory starts unfiltered.
	var refilter tea.Cmd
	if msg.dir != p.dir || p.filter == "" {
		p.filter = ""
		p.search = p.search.clear()
	} else {
		p.viewID++
		refilter = filterLocal(p.viewID, msg.entries, p.filter)
	}
	p.dir, p.all = msg.dir, msg.entries
	p.order = fuzzyOrder(len(p.all), nil, "")
	p.list = listState{height: p.list.height}
	p.list.setLen(len(p.order))
	if p.wantName != "" {
		for i, e := range p.all {
			if e.Name == p.wantName {
				p.list.jump(i)
			}
		}
		p.wantName = ""
	}
	p.marks.anchor = -1
	return p, tea.Batch(refilter, p.rewatch())
}

func (p LocalPane) onKey(msg tea.KeyMsg) (LocalPane, tea.Cmd) {
	if p.search.typing {
		var pattern string
		var changed bool
		p.search, pattern, changed = p.search.Update(msg)
		if changed {
			return p, p.SetFilter(pattern)
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
		return p, nil
	case key.Matches(msg, p.keys.Close) && p.filter != "":
		p.search = p.search.clear()
		return p, p.SetFilter("")
	case key.Matches(msg, k.Open):
		if e, ok := p.current(); ok && e.IsDir {
			return p, p.load(e.Path)
		}
		if e, ok := p.current(); ok {
			return p, localDetails(p.env, e)
		}
	case key.Matches(msg, k.Parent):
		if parent := filepath.Dir(p.dir); parent != p.dir {
			p.wantName = filepath.Base(p.dir)
			return p, p.load(parent)
		}
	case key.Matches(msg, k.Hidden):
		p.hidden = !p.hidden
		return p, tea.Batch(p.load(p.dir), p.saveView())
	case key.Matches(msg, k.Refresh):
		if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return p, p.load(p.dir)
	default:
		return p.onSelectKey(msg)
	}
	return p, nil
}

// onSelectKey handles marking and what acts on the selection.
func (p LocalPane) onSelectKey(msg tea.KeyMsg) (LocalPane, tea.Cmd) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Mark):
		if e, ok := p.current(); ok {
			p.marks.toggle(e.Path, p.list.cursor)
			p.list.move(1)
		}
	case key.Matches(msg, k.MarkRange):
		if len(p.order) > 0 {
			p.marks.rangeTo(p.list.cursor, len(p.order), p.pathAt)
		}
	case key.Matches(msg, k.MarkAll):
		p.marks.toggleAll(len(p.order), p.pathAt)
	case key.Matches(msg, k.Upload):
		if paths := p.Selected(); len(paths) > 0 {
			p.ClearMarks()
			return p, emit(uploadRequestMsg{paths: paths, base: p.dir})
		}
	case key.Matches(msg, k.Details):
		if e, ok := p.current(); ok {
			return p, localDetails(p.env, e)
		}
	case key.Matches(msg, k.Sort):
		return p, openDialog(p.sortMenu())
	case key.Matches(msg, k.Bookmark):
		return p, addBookmark(p.env.d.Ledger, p.dir)
	case key.Matches(msg, k.Bookmarks):
		return p, loadBookmarks(p.env.d.Ledger)
	}
	return p, nil
}

// Keys is the pane's key map.
func (p LocalPane) Keys() keyHelp {
	k := p.keys
	acts := []key.Binding{k.Upload, k.Mark, k.Open, k.Parent, k.Filter,
		k.MarkRange, k.MarkAll, k.Details, k.Hidden, k.Sort, k.Refresh, k.Bookmark, k.Bookmarks}
	return keyHelp{short: acts[:5:5], full: [][]key.Binding{acts, k.movementKeys()}}
}

// Typing reports whether the filter line takes the keys.
func (p LocalPane) Typing() bool { return p.search.typing }

// FilterLine is the filter being typed (the root shows it in the status
// line's place).
func (p LocalPane) FilterLine() string { return p.search.View() }

// pathAt is the path of the i-th visible row, the id marks use.
func (p *LocalPane) pathAt(i int) string { return p.all[p.order[i]].Path }

// SetFilter applies a fuzzy filter (computed in a command).
func (p *LocalPane) SetFilter(pattern string) tea.Cmd {
	if p.filter == pattern && pattern != "" {
		return nil
	}
	p.filter = pattern
	p.viewID++
	return filterLocal(p.viewID, p.all, pattern)
}

// SetSort changes the order and relists.
func (p *LocalPane) SetSort(by sortKey, desc bool) tea.Cmd {
	p.sortBy, p.desc = by, desc
	if e, ok := p.current(); ok {
		p.wantName = e.Name
	}
	return tea.Batch(p.load(p.dir), p.saveView())
}

// saveView remembers show-hidden and the order for the next run.
func (p *LocalPane) saveView() tea.Cmd {
	save := p.env.d.SaveView
	if save == nil {
		return nil
	}
	v := store.ViewState{ShowHidden: p.hidden, Sort: sortNames[p.sortBy], SortDesc: p.desc}
	return func() tea.Msg {
		if err := save(v); err != nil {
			return statusMsg{kind: statusWarn, text: "could not remember the view for next time: " + err.Error()}
		}
		return nil
	}
}
