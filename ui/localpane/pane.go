// Package localpane is the local pane: it browses the local file system
// (listing, sorting, fuzzy filtering, marks pinned to the files' identity,
// watching the directory shown) and carries out the local file
// operations (rename, new, yank, cut and paste, trash, delete, undo) and
// navigation (bookmarks, the path prompt, home, the previous and recent
// directories). Every read and write runs in a command.
//
// It imports ui/uikit and service packages only; never ui or another
// component. Uploads go to the transfers panel as uikit.UploadRequestMsg,
// copies and moves as uikit.LocalJobsMsg; the preview asks it for the
// entry under the cursor (Current).
package localpane

import (
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// sortKey orders the local pane (directories always come first).
type sortKey int

const (
	sortName sortKey = iota
	sortSize
	sortTime
	sortExt
	// sortPlain is the name order before natural sort: digits as
	// characters (file_10 before file_2).
	sortPlain
)

var sortNames = [...]string{"name", "size", "time", "ext", "plain"}

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
	entries []uikit.LocalEntry
	err     error
}

// localViewMsg carries the filtered, sorted order computed in a command.
type localViewMsg struct {
	id    int
	order []int
	// refilter: the same filter over a new listing, so the cursor stays
	// on its entry; a new filter starts at its best match.
	refilter bool
}

// Pane browses the local filesystem.
type Pane struct {
	env     *uikit.Env
	targets uikit.Targets
	// steps counts the upload requests on their way to the transfers
	// panel.
	steps uikit.Steps
	// saveView remembers the view for the next run (nil: not).
	saveFn func(store.ViewState) error
	keys   *uikit.KeyMap
	styles *uikit.Styles
	now    func() time.Time
	search uikit.FilterBox

	dir      string
	all      []uikit.LocalEntry
	order    []int // indices into all, after filter and sort
	list     uikit.List
	marks    uikit.MarkSet
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

	// shownMarks counts the marks on rows the list shows (the footer
	// says how many are not shown); markCheckID is the newest check of
	// the marks on disk (marks.go).
	shownMarks  int
	markCheckID int
	// Sizes for the footer's total of the marks (select.go): what each
	// mark weighs (-1: a directory not added up), their sum, how many
	// are not sized, and the directories added up with = (this one's).
	markSize    map[string]int64
	markBytes   int64
	markUnsized int
	dirSizes    map[string]int64
	// find is the last ctrl+f (its walk's batches come here), findSeq
	// numbers the walks.
	find    *finder
	findSeq int

	// The directory shown is watched for changes (debounced): watcher
	// starts a watch (nil: none, for tests that run commands to the end).
	watcher  func(dir string, gen int) tea.Cmd
	watch    *dirWatch
	watchGen int
	watchDir string

	// Preview and navigation (navigate.go): the preview pane's toggle,
	// the directories visited (most recent first), where - goes, the
	// directory last listed, and view.json's ordered saver.
	previewOn bool
	recent    []string
	lastDir   string
	shownDir  string
	views     *viewSaver
	viewSeq   int

	// ops is rename, new, yank/cut/paste, trash, delete and undo.
	ops fileOps
}

// Options are where the pane starts and how it behaves; zero fields take
// the defaults.
type Options struct {
	// Dir is the directory to start in.
	Dir string
	// Hidden shows hidden files; Sort (a sort name: name, size, time, ext)
	// and Desc are the order; Preview turns the preview pane on;
	// Recent are the directories visited last, most recent first.
	Hidden  bool
	Sort    string
	Desc    bool
	Preview bool
	Recent  []string
	// SaveView remembers the view for the next run (nil: not remembered).
	SaveView func(store.ViewState) error
	// NoWatch turns off watching the directory shown, for tests that run
	// every command to completion.
	NoWatch bool
	// Rename is how a cut moves (nil: internal/fsops' own; tests give a
	// failing one to see a move across file systems).
	Rename func(old, new string, replace bool) error
}

// New makes the pane; Init lists its directory.
func New(env *uikit.Env, targets uikit.Targets, o Options) *Pane {
	p := &Pane{env: env, targets: targets, steps: uikit.NewSteps("local"), saveFn: o.SaveView, keys: &env.Scoped().Local,
		styles: env.Styles(), now: env.Now, dir: o.Dir, marks: uikit.NewMarkSet(), hidden: o.Hidden, sortBy: sortByName(o.Sort),
		desc: o.Desc, previewOn: o.Preview, recent: o.Recent, search: uikit.NewFilterBox(), watcher: startWatch, views: &viewSaver{}}
	if o.NoWatch {
		p.watcher = nil
	}
	p.ops.rename = o.Rename
	return p
}

// Init lists the start directory.
func (p *Pane) Init() tea.Cmd { return p.load(p.dir) }

// load lists dir in a command. Going to another directory clears the pane
// at once, so a huge directory shows "loading…" immediately instead of the
// old listing; if it cannot be read, the pane returns to where it was.
func (p *Pane) load(dir string) tea.Cmd {
	p.listID++
	p.loading = true
	p.loadErr = ""
	if dir != p.dir {
		if p.prevDir == "" {
			p.prevDir = p.dir
		}
		p.dir, p.all, p.order = dir, nil, nil
		p.list.SetLen(0)
		p.shownMarks = 0
		// Another directory starts unfiltered: a filter typed for the
		// last one would hide what this one holds.
		p.filter, p.search = "", p.search.Clear()
		p.dirSizes = keepSized(p.dirSizes, p.marks)
	}
	return listLocalDir(p.listID, dir, p.hidden, p.sortBy, p.desc, p.markedIn(dir))
}

// SetSize sets the outer size of the pane (border included).
func (p *Pane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.list.SetHeight(h - 5)
}

// Focus and Blur move keyboard focus.
func (p *Pane) Focus() { p.focused = true }

// Blur removes focus.
func (p *Pane) Blur() { p.focused = false }

// Dir is the directory shown.
func (p *Pane) Dir() string { return p.dir }

// Current is the entry under the cursor (false: the list is empty).
func (p *Pane) Current() (uikit.LocalEntry, bool) { return p.current() }

// PreviewOn reports whether the preview pane is on (P).
func (p *Pane) PreviewOn() bool { return p.previewOn }

// Preparing is how many upload requests of the pane are on their way to
// the transfers panel.
func (p *Pane) Preparing() int { return p.steps.InFlight() }

func (p *Pane) current() (uikit.LocalEntry, bool) {
	if len(p.order) == 0 {
		return uikit.LocalEntry{}, false
	}
	return p.all[p.order[p.list.Cursor()]], true
}

// Selected returns the marked paths (sorted), or the entry under the
// cursor.
func (p *Pane) Selected() []string {
	if p.marks.Len() > 0 {
		out := make([]string, 0, p.marks.Len())
		for path := range p.marks.Pins() {
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

// ClearMarks unmarks everything.
func (p *Pane) ClearMarks() {
	p.marks.Clear()
	p.shownMarks = 0
}

// Update handles listings and requests always, keys when focused.
func (p *Pane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case localListedMsg:
		return p.onListed(msg)
	case localViewMsg:
		if msg.id == p.viewID {
			p.applyView(msg.order, msg.refilter)
		}
		return nil
	case localUnmarkMsg:
		p.unmark(msg.paths)
		if msg.upload != nil {
			return p.steps.Start(uikit.Emit(*msg.upload))
		}
		return nil
	case marksCheckedMsg:
		return p.onMarksChecked(msg)
	case marksPinnedMsg:
		return p.onMarksPinned(msg)
	case uikit.StepMsg:
		p.steps.End(msg)
	case uikit.TargetsMsg:
		p.targets = msg.Targets
	case tea.KeyMsg:
		if p.focused {
			return p.onKey(msg)
		}
	case localSortMsg:
		return p.SetSort(msg.by, msg.desc)
	case bookmarksLoadedMsg:
		return p.bookmarksMenu(msg)
	case recentCheckedMsg:
		return p.recentMenu(msg)
	case gotoDirMsg:
		// The listing command reports a bookmark that no longer opens and
		// keeps the pane where it was.
		p.wantName = msg.name
		return p.load(msg.dir)
	case uikit.LocalReloadMsg:
		return p.load(p.dir)
	case uikit.MouseMsg:
		if p.ops.edit.active { // the row being renamed stays put
			return nil
		}
		return p.onMouse(msg)
	case fileOpMsg:
		return p.onFileOp(msg)
	case programMsg:
		return p.onProgram(msg)
	case findBatchMsg:
		if p.find != nil {
			return p.find.onBatch(msg)
		}
	case findJumpMsg:
		p.wantName = msg.name
		return p.load(msg.dir)
	case globMarkMsg:
		return p.onGlobMark(msg)
	case dirSizesMsg:
		return p.onDirSizes(msg)
	case watchStartedMsg:
		if msg.gen != p.watchGen {
			return msg.watch.stop()
		}
		p.watch = msg.watch
		return p.watch.wait(msg.gen)
	case dirChangedMsg:
		if msg.gen != p.watchGen || p.watch == nil {
			return nil
		}
		if e, ok := p.current(); ok {
			p.wantName = e.Name
		}
		return tea.Batch(p.load(p.dir), p.watch.wait(msg.gen))
	}
	return nil
}

// applyView shows a new filtered order: the best match under the cursor
// while filtering, the entry that was under it when the filter clears.
func (p *Pane) applyView(order []int, refilter bool) {
	keep, had := p.current()
	p.order = order
	p.list.SetLen(len(p.order))
	p.recountShown()
	if p.filter != "" && !refilter {
		p.list.Jump(0)
		return
	}
	if had {
		for i, j := range p.order {
			if p.all[j].Path == keep.Path {
				p.list.Jump(i)
				break
			}
		}
	}
}

func (p *Pane) onListed(msg localListedMsg) tea.Cmd {
	if msg.id != p.listID {
		return nil
	}
	p.loading = false
	if msg.err != nil && msg.entries == nil {
		failed := p.dir
		if p.prevDir != "" && p.prevDir != failed {
			p.dir, p.prevDir = p.prevDir, ""
			p.wantName = ""
			return tea.Batch(p.load(p.dir), uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr,
				Text: "cannot open " + text.Sanitize(failed) + ": " + text.FSError(msg.err, true)}))
		}
		p.loadErr = text.FSError(msg.err, true)
		return nil
	}
	p.prevDir = ""
	// Listing the same directory again (a change, a refresh) keeps the
	// filter; another directory starts unfiltered.
	// A new listing of the directory shown keeps the cursor on its entry
	// (a file that appeared above it, a transfer's reload).
	if e, ok := p.current(); ok && p.wantName == "" && msg.dir == p.dir {
		p.wantName = e.Name
	}
	var refilter tea.Cmd
	var order []int
	if msg.dir != p.dir || p.filter == "" {
		p.filter = ""
		p.search = p.search.Clear()
		order = uikit.FuzzyOrder(len(msg.entries), nil, "")
	} else {
		// Until the filter's new order comes, the pane keeps showing
		// what it showed, minus what is gone: a key pressed meanwhile
		// acts on the entry the user sees, not on the unfiltered list.
		order = keptOrder(p.all, p.order, msg.entries)
		p.viewID++
		refilter = filterLocal(p.viewID, msg.entries, p.filter, true)
	}
	// The same directory again: an entry that is gone leaves the cursor
	// on its neighbour (the one after it, or the new last), not the top.
	at := -1
	if msg.dir == p.dir {
		at = p.list.Cursor()
	}
	p.dir, p.all, p.order = msg.dir, msg.entries, order
	p.list.Reset()
	p.list.SetLen(len(p.order))
	if p.wantName != "" {
		found := false
		for i, j := range p.order {
			if p.all[j].Name == p.wantName {
				p.list.Jump(i)
				found = true
			}
		}
		if !found && at > 0 {
			p.list.Jump(min(at, len(p.order)-1))
		}
		p.wantName = ""
	}
	p.marks.DropAnchor()
	// A complete listing tells which marks here lost their file.
	var said tea.Cmd
	if msg.err == nil {
		said = p.dropGone(p.pruneListed(msg.dir, msg.entries))
	}
	p.recountShown()
	return tea.Batch(refilter, p.rewatch(), p.noteVisit(msg.dir), said, p.checkAfterListing(msg.dir))
}

func (p *Pane) onKey(msg tea.KeyMsg) tea.Cmd {
	if p.ops.edit.active {
		return p.onEditKey(msg)
	}
	if p.search.Typing() {
		var pattern string
		var changed bool
		p.search, pattern, changed = p.search.Update(msg)
		if changed {
			return p.SetFilter(pattern)
		}
		return nil
	}
	k := p.keys
	if p.list.Navigate(msg, k) {
		return nil
	}
	if cmd, ok := p.onFileKey(msg); ok {
		return cmd
	}
	if cmd, ok := p.onProgramKey(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Filter):
		p.search = p.search.Start()
		return nil
	case key.Matches(msg, p.keys.Close) && p.filter != "":
		p.search = p.search.Clear()
		return p.SetFilter("")
	case key.Matches(msg, p.keys.Close) && (p.marks.Len() > 0 || p.marks.Anchored()):
		// As in yazi: esc with nothing open drops the selection.
		n := p.marks.Len()
		p.ClearMarks()
		return uikit.ClearedMarks(n)
	case key.Matches(msg, k.Open):
		if e, ok := p.current(); ok && e.IsDir {
			return p.load(e.Path)
		}
		if e, ok := p.current(); ok {
			return p.details(e)
		}
	case key.Matches(msg, k.Parent):
		if parent := filepath.Dir(p.dir); parent != p.dir {
			p.wantName = filepath.Base(p.dir)
			return p.load(parent)
		}
	case key.Matches(msg, k.Hidden):
		p.hidden = !p.hidden
		return tea.Batch(p.load(p.dir), p.saveView())
	default:
		return p.onSelectKey(msg)
	}
	return nil
}

// onSelectKey handles marking and what acts on the selection.
func (p *Pane) onSelectKey(msg tea.KeyMsg) tea.Cmd {
	if cmd, ok := p.onNavKey(msg); ok {
		return cmd
	}
	if cmd, ok := p.onFindKey(msg); ok {
		return cmd
	}
	k := p.keys
	switch {
	case key.Matches(msg, k.Mark):
		if e, ok := p.current(); ok {
			p.marks.Toggle(e.Path, e.ID, p.list.Cursor())
			if p.marks.Has(e.Path) {
				p.shownMarks++
				p.noteMarkSize(e)
			} else {
				p.shownMarks--
			}
			p.sumMarks()
			p.list.Move(1)
			return p.pinMarks()
		}
	case key.Matches(msg, k.MarkRange):
		if len(p.order) > 0 {
			p.marks.RangeTo(p.list.Cursor(), len(p.order), p.entryAt)
			p.recountShown()
			return p.pinMarks()
		}
	case key.Matches(msg, k.MarkAll):
		p.marks.ToggleAll(len(p.order), p.entryAt)
		p.recountShown()
		return p.pinMarks()
	case key.Matches(msg, k.Upload):
		return p.withMarksChecked(actUpload)
	case key.Matches(msg, k.UploadTo):
		return p.withMarksChecked(actUploadTo)
	case key.Matches(msg, k.Details):
		if e, ok := p.current(); ok {
			return p.details(e)
		}
	case key.Matches(msg, k.Sort):
		return uikit.Open(p.sortMenu())
	case key.Matches(msg, k.Bookmark):
		return addBookmark(p.env.Ledger(), p.dir)
	case key.Matches(msg, k.Bookmarks):
		return loadBookmarks(p.env.Ledger())
	}
	return nil
}

// Keys is the pane's key map.
func (p *Pane) Keys() uikit.KeyHelp {
	switch {
	case p.ops.edit.active:
		return p.ops.edit.keys()
	case p.search.Typing():
		return uikit.FieldKeys("keep filter", "clear filter")
	}
	k := p.keys
	acts := []key.Binding{k.Upload, k.Mark, k.Open, k.Parent, k.Filter,
		k.UploadTo, k.MarkRange, k.MarkAll, k.Details, k.Hidden, k.Sort, k.Bookmark, k.Bookmarks,
		k.Preview, uikit.Enabled(k.PreviewDown, p.previewOn), uikit.Enabled(k.PreviewUp, p.previewOn),
		k.GoToPath, k.HomeDir, k.PreviousDir, k.RecentDirs, k.Find, k.MarkGlob, k.UnmarkGlob, k.DirSizes,
		k.ClearMarksKey()}
	return uikit.KeyHelp{Short: k.WithClear(acts[:5:5], 2, p.marks.Len() > 0), Full: [][]key.Binding{acts, k.FileKeys(), k.ProgramKeys(), k.MovementKeys()}}
}

// Typing reports whether the filter line takes the keys.
func (p *Pane) Typing() bool { return p.search.Typing() || p.ops.edit.active }

// FilterLine is the filter being typed (the root shows it in the status
// line's place).
func (p *Pane) FilterLine() string {
	if p.ops.edit.active {
		return p.editLine()
	}
	return p.search.View()
}

// SetFilter applies a fuzzy filter (computed in a command).
func (p *Pane) SetFilter(pattern string) tea.Cmd {
	if p.filter == pattern && pattern != "" {
		return nil
	}
	p.filter = pattern
	p.viewID++
	return filterLocal(p.viewID, p.all, pattern, false)
}

// SetSort changes the order and relists.
func (p *Pane) SetSort(by sortKey, desc bool) tea.Cmd {
	p.sortBy, p.desc = by, desc
	if e, ok := p.current(); ok {
		p.wantName = e.Name
	}
	return tea.Batch(p.load(p.dir), p.saveView())
}

// saveView remembers show-hidden and the order for the next run.
func (p *Pane) saveView() tea.Cmd {
	save := p.saveFn
	if save == nil {
		return nil
	}
	v := store.ViewState{ShowHidden: p.hidden, Sort: sortNames[p.sortBy], SortDesc: p.desc,
		Preview: p.previewOn, RecentDirs: slices.Clone(p.recent)}
	if p.views == nil {
		p.views = &viewSaver{}
	}
	p.viewSeq++
	return p.views.save(p.viewSeq, v, save)
}

var _ uikit.Focusable = (*Pane)(nil)
