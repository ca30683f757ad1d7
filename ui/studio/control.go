package studio

import (
	"context"
	"strconv"
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

// previewCacheMax bounds the previews kept in memory (by URL).
const previewCacheMax = 32

// Cache keeps fetched results by URL so an unchanged chain is never
// fetched twice (Filestack bills transformations). The root keeps one for
// the session: it outlives each studio.
type Cache struct {
	byURL map[string]*previewState
	order []string
}

// NewCache is an empty cache.
func NewCache() *Cache { return &Cache{} }

func (c *Cache) get(url string) *previewState {
	if c.byURL == nil {
		return nil
	}
	return c.byURL[url]
}

func (c *Cache) put(p *previewState) {
	if c.byURL == nil {
		c.byURL = map[string]*previewState{}
	}
	if _, ok := c.byURL[p.url]; !ok {
		c.order = append(c.order, p.url)
	}
	c.byURL[p.url] = p
	for len(c.order) > previewCacheMax {
		delete(c.byURL, c.order[0])
		c.order = c.order[1:]
	}
}

// remove forgets a URL (a fetch that failed for a passing reason).
func (c *Cache) remove(url string) {
	delete(c.byURL, url)
	for i, u := range c.order {
		if u == url {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

// studioAddMsg adds a task chosen in the menu.
type studioAddMsg struct{ name string }

// Update handles keys, resizes, the add menu's choice, the preview's
// fetches and new targets (Filestack's client may change); after a close
// key Closed reports true.
func (s *Studio) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return s.onKey(msg)
	case tea.WindowSizeMsg:
		s.width, s.height = msg.Width, msg.Height
		s.kittyPlaced = ""
		return s.redraw()
	case studioAddMsg:
		return s.addTask(msg.name)
	case previewTickMsg:
		if msg.version == s.version {
			return s.redraw()
		}
	case previewFetchedMsg:
		return s.onPreviewFetched(msg)
	case previewRenderedMsg:
		if p := s.previews.get(msg.url); p != nil && msg.graphic {
			s.gen++
			p.graphic, p.graphicW, p.graphicH = msg.text, msg.w, msg.h
		} else if p != nil {
			p.rendered, p.renderW, p.renderH = msg.text, msg.w, msg.h
		}
	case uikit.TargetsMsg:
		s.targets = msg.Targets
	}
	return nil
}

// close hands the chain back and takes down a kitty image.
func (s *Studio) close() tea.Cmd {
	closed := uikit.Emit(uikit.StudioClosedMsg{Handle: s.entry.Handle, Tasks: s.tasks})
	if s.kittyPlaced != "" {
		s.kittyPlaced = ""
		return tea.Batch(closed, uikit.WriteTerm(s.env.Term(), uikit.KittyDelete(KittyImageID)))
	}
	return closed
}

// Quit is what to write before fsdeck exits with the studio open.
func (s *Studio) Quit() tea.Cmd {
	if s.kittyPlaced == "" {
		return nil
	}
	return uikit.WriteTerm(s.env.Term(), uikit.KittyDelete(KittyImageID))
}

// Cover takes the kitty image down while a dialog is open over the studio
// (the terminal draws images above text), and places it again after.
func (s *Studio) Cover(covered bool) tea.Cmd {
	s.covered = covered
	if covered && s.kittyPlaced != "" {
		s.kittyPlaced = ""
		return uikit.WriteTerm(s.env.Term(), uikit.KittyDelete(KittyImageID))
	}
	return s.placeKitty()
}

// addMenu offers the tasks by their mnemonic keys, each with its doc.
func (s *Studio) addMenu() uikit.Overlay {
	items := make([]uikit.MenuItem, 0, len(studioTasks))
	for _, st := range studioTasks {
		spec, _ := transform.Lookup(st.name)
		items = append(items, uikit.MenuItem{Key: st.key, Label: st.name + " — " + spec.Doc, Cmd: uikit.Emit(studioAddMsg{name: st.name})})
	}
	return uikit.NewMenu(s.env, "Add a task", items)
}

// onActionKey copies the URL or stores the result.
func (s *Studio) onActionKey(msg tea.KeyMsg) tea.Cmd {
	tc := s.targets.Current()
	tr, ok := tc.Host.(hosts.Transformer)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: text.Sanitize(tc.Title) + " has no transformations"})
	}
	switch {
	case key.Matches(msg, s.keys.Copy):
		if s.chainErr != "" {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "the chain is not valid yet: " + s.chainErr})
		}
		return uikit.Copy(s.env, tr.TransformURL(s.chain(), 0), "transform URL")
	case key.Matches(msg, s.keys.StudioStore):
		if s.chainErr != "" || len(s.tasks) == 0 {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "nothing to store: add a valid task first"})
		}
		return uikit.Progress("storing the result as a new file…", storeTransform(tr, tc, s.env.Ledger(), s.chain(), s.entry, s.env.Now))
	}
	return nil
}

// Keys is the studio's key map: the field keys while editing one.
func (s *Studio) Keys() uikit.KeyHelp {
	k := s.keys
	has := len(s.tasks) > 0
	if s.editing {
		// The field takes letters, so only the arrows and tab move (see
		// updateEditing), whatever up and down are mapped to; esc ends
		// editing and keeps what was typed.
		bs := []key.Binding{key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
			key.NewBinding(key.WithKeys("down", "tab"), key.WithHelp("↓/tab", "next field")),
			key.NewBinding(key.WithKeys(k.Close.Keys()...), key.WithHelp(k.Close.Help().Key, "done"))}
		return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
	}
	valid := s.chainErr == "" && has
	bs := []key.Binding{k.StudioAdd, uikit.Enabled(k.StudioEdit, has && len(s.params()) > 0), uikit.Enabled(k.StudioRemove, has),
		uikit.Enabled(k.Copy, s.chainErr == ""), uikit.Enabled(k.StudioStore, valid), k.StudioClose, k.StudioPreview,
		uikit.Enabled(k.StudioMoveUp, has && s.cursor > 0), uikit.Enabled(k.StudioMoveDown, has && s.cursor < len(s.tasks)-1)}
	// Help lists every key, those that need a task (or a valid chain)
	// saying when they work; the hint line only those that work now.
	when := func(b key.Binding, on bool, cond string) key.Binding {
		if on || len(b.Keys()) == 0 {
			return b
		}
		return uikit.WithDesc(uikit.Enabled(b, true), b.Help().Desc+" ("+cond+")")
	}
	all := []key.Binding{k.StudioAdd, when(k.StudioEdit, has && len(s.params()) > 0, "a task with values"),
		when(k.StudioRemove, has, "with a task"), when(k.Copy, s.chainErr == "", "a valid chain"),
		when(k.StudioStore, valid, "a valid chain with a task"), k.StudioClose, k.StudioPreview,
		when(k.StudioMoveUp, has && s.cursor > 0, "two tasks or more"), when(k.StudioMoveDown, has && s.cursor < len(s.tasks)-1, "two tasks or more")}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{all, {uikit.WithDesc(k.Up, "previous task"), uikit.WithDesc(k.Down, "next task")}}}
}

// Typing reports whether keys go to a parameter field.
func (s *Studio) Typing() bool { return s.editing }

// studioURL is the preview's cache key: the unsigned processing URL.
func (s *Studio) studioURL() string {
	if tr, ok := s.transformer(); ok {
		return tr.TransformURL(s.chain(), 0)
	}
	return ""
}

// transformer is the target shown, which the studio's image is on, as
// the processing API it drives.
func (s *Studio) transformer() (hosts.Transformer, bool) {
	tr, ok := s.targets.Current().Host.(hosts.Transformer)
	return tr, ok
}

// redraw shows the preview for the current chain (cached or fetched) and
// places the kitty image again.
func (s *Studio) redraw() tea.Cmd {
	s.kittyPlaced = ""
	return tea.Batch(s.preview(), s.placeKitty())
}

// preview shows the cached preview for the current chain or fetches it.
func (s *Studio) preview() tea.Cmd {
	if s.chainErr != "" || s.mode == uikit.PreviewOff {
		return nil
	}
	tr, ok := s.transformer()
	if !ok {
		return nil
	}
	url := s.studioURL()
	p := s.previews.get(url)
	if p == nil {
		s.previews.put(&previewState{url: url})
		return fetchPreview(tr, s.chain(), url)
	}
	return s.renderIfNeeded(p)
}

func (s *Studio) renderIfNeeded(p *previewState) tea.Cmd {
	_, _, w, h := s.previewBox()
	if p.img != nil && s.mode.InText() && (p.graphic == "" || p.graphicW != w || p.graphicH != h) {
		return encodeGraphic(p, s.mode, w, h, s.env.CellSize)
	}
	if p.img == nil || s.mode != uikit.PreviewHalfBlock {
		return nil
	}
	if p.rendered != "" && p.renderW == w && p.renderH == h {
		return nil
	}
	return renderPreview(p, w, h, s.profile)
}

func (s *Studio) onPreviewFetched(msg previewFetchedMsg) tea.Cmd {
	p := &previewState{url: msg.url, img: msg.img, mimetype: msg.mimetype, size: msg.size}
	if msg.err != nil {
		p.err = msg.err.Error()
		if filestack.IsTemporary(msg.err) || filestack.IsCancelled(msg.err) {
			s.previews.remove(msg.url) // a passing fault: try again on the next change
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "preview: " + p.err})
		}
	}
	s.previews.put(p)
	return tea.Batch(s.renderIfNeeded(p), s.placeKitty())
}

// KittyImageID is the studio's kitty image (the file preview has its own).
const KittyImageID = 7331

// placeKitty transmits and places the current preview with the kitty
// graphics protocol when that mode is on, nothing covers it, and it is
// not placed yet.
func (s *Studio) placeKitty() tea.Cmd {
	if s.mode != uikit.PreviewKitty || s.chainErr != "" || s.covered {
		return nil
	}
	p := s.previews.get(s.studioURL())
	if p == nil || p.img == nil {
		return nil
	}
	row, col, w, h := s.previewBox()
	placed := p.url + "@" + strings.Join([]string{itoa(row), itoa(col), itoa(w), itoa(h)}, ",")
	if placed == s.kittyPlaced {
		return nil
	}
	s.kittyPlaced = placed
	// Scaled and encoded in the command, not in Update.
	img, term, cell := p.img, s.env.Term(), s.env.CellSize
	return func() tea.Msg {
		return uikit.WriteTerm(term, uikit.KittyDelete(KittyImageID)+uikit.KittyImage(KittyImageID, img, row, col, w, h, cell()))()
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// storeTransform stores the chain's result as a new file and records it.
func storeTransform(r hosts.Transformer, tc uikit.TargetConn, l uikit.Ledger, ch transform.Chain, from store.Entry, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		// Named after the chain, not the source: "photo2 (resize 300).jpg".
		name := ResultName(from.Filename, ch)
		ch.Tasks = append(append([]transform.Task(nil), ch.Tasks...), transform.NewTask("store", "filename", name))
		f, err := r.StoreTransform(ctx, ch, "")
		if err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "store result: " + err.Error()}
		}
		e := tc.EntryOf(f, store.SourceTransform, now())
		if e.Filename == "" {
			e.Filename = name
		}
		return uikit.Record(ctx, l, tc.Scope, e, "stored the result as "+f.ID+" ("+text.Sanitize(e.Filename)+")")
	}
}

// problem is why the chain cannot be used: the value being typed when the
// field refuses it (the chain then lacks it, but "needs width" would hide
// "99999 is out of range"), else the chain's own check.
func (s *Studio) problem() string {
	if s.editing && s.fieldErr != "" {
		if ps := s.params(); s.param < len(ps) {
			return ps[s.param].Name + ": " + s.fieldErr
		}
		return s.fieldErr
	}
	return s.chainErr
}
