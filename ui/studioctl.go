package ui

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/store"
)

// previewCacheMax bounds the previews kept in memory (by URL).
const previewCacheMax = 32

// previewCache keeps fetched results by URL so an unchanged chain is never
// fetched twice (Filestack bills transformations).
type previewCache struct {
	byURL map[string]*previewState
	order []string
}

func (c *previewCache) get(url string) *previewState {
	if c.byURL == nil {
		return nil
	}
	return c.byURL[url]
}

func (c *previewCache) put(p *previewState) {
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

// menuLetters pick menu items; j and k are left to moving the cursor.
const menuLetters = "abcdefghilmnoprstuvwxyz"

// remove forgets a URL (a fetch that failed for a passing reason).
func (c *previewCache) remove(url string) {
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

// openStudio starts the transform studio on an image.
func (m Model) openStudio(e store.Entry) (tea.Model, tea.Cmd) {
	if !strings.HasPrefix(e.Mimetype, "image/") {
		m.setStatus(statusWarn, "the transform studio works on images; "+Sanitize(displayName(e))+" is "+Sanitize(e.Mimetype))
		return m, nil
	}
	m.studio = newStudio(&m.keys, &m.styles, e, choosePreview(m.d.Settings.Preview, m.d.Getenv))
	if prev, ok := m.transformFor[e.Handle]; ok {
		m.studio.tasks = append([]transform.Task(nil), prev...)
	}
	m.studio.width, m.studio.height = m.width, m.height
	return m, m.studio.changed()
}

func (m Model) onStudioMsg(msg studioMsg) (tea.Model, tea.Cmd) {
	s := m.studio
	if s == nil {
		return m, nil
	}
	switch msg.action {
	case "close":
		m.transformFor[s.entry.Handle] = s.tasks
		m.studio = nil
		if m.kittyPlaced != "" {
			m.kittyPlaced = ""
			return m, writeTerm(m.d.Clipboard, kittyDelete(kittyImageID))
		}
	case "add":
		items := make([]menuItem, 0, len(studioTasks))
		for i, st := range studioTasks {
			spec, _ := transform.Lookup(st.name)
			items = append(items, menuItem{key: string(menuLetters[i]), label: st.name + " — " + spec.Doc,
				cmd: emit(studioAddMsg{name: st.name})})
		}
		m.overlay = menuOverlay{title: "Add a task", items: items, keys: &m.keys}
	case "copy":
		if s.chainErr != "" {
			m.setStatus(statusErr, "the chain is not valid yet: "+s.chainErr)
			return m, nil
		}
		return m, copyToClipboard(m.d.Clipboard, m.d.Remote.TransformURL(s.chain(), 0), "transform URL", m.d.Getenv, m.d.Settings.NativeClipboard)
	case "store":
		if s.chainErr != "" || len(s.tasks) == 0 {
			m.setStatus(statusErr, "nothing to store: add a valid task first")
			return m, nil
		}
		m.setStatus(statusInfo, "storing the result as a new file…")
		return m, storeTransform(m.d.Remote, m.d.Ledger, m.d.Scope, s.chain(), s.entry)
	case "fetch":
		m.kittyPlaced = ""
		return m, tea.Batch(m.studioPreview(), m.placeKitty())
	}
	return m, nil
}

// studioURL is the preview's cache key: the unsigned processing URL.
func (m Model) studioURL() string { return m.d.Remote.TransformURL(m.studio.chain(), 0) }

// studioPreview shows the cached preview for the current chain or fetches it.
func (m *Model) studioPreview() tea.Cmd {
	s := m.studio
	if s == nil || s.chainErr != "" || s.mode == previewOff {
		return nil
	}
	url := m.studioURL()
	p := m.previews.get(url)
	if p == nil {
		m.previews.put(&previewState{url: url})
		return fetchPreview(m.d.Remote, s.chain(), url)
	}
	return m.renderIfNeeded(p)
}

func (m *Model) renderIfNeeded(p *previewState) tea.Cmd {
	if m.studio == nil || p.img == nil || m.studio.mode != previewHalfBlock {
		return nil
	}
	_, _, w, h := m.studio.previewBox()
	if p.rendered != "" && p.renderW == w && p.renderH == h {
		return nil
	}
	return renderPreview(p, w, h)
}

func (m Model) onPreviewFetched(msg previewFetchedMsg) (tea.Model, tea.Cmd) {
	p := &previewState{url: msg.url, img: msg.img, mimetype: msg.mimetype, size: msg.size}
	if msg.err != nil {
		p.err = msg.err.Error()
		if filestack.IsTemporary(msg.err) || filestack.IsCancelled(msg.err) {
			m.previews.remove(msg.url) // a passing fault: try again on the next change
			m.setStatus(statusErr, "preview: "+p.err)
			return m, nil
		}
	}
	m.previews.put(p)
	return m, tea.Batch(m.renderIfNeeded(p), m.placeKitty())
}

func (m Model) onPreviewRendered(msg previewRenderedMsg) (tea.Model, tea.Cmd) {
	if p := m.previews.get(msg.url); p != nil {
		p.rendered, p.renderW, p.renderH = msg.text, msg.w, msg.h
	}
	return m, nil
}

// kittyImageID is the one image id fsdeck uses for previews.
const kittyImageID = 7331

// placeKitty transmits and places the current preview with the kitty
// graphics protocol when that mode is on and it is not placed yet.
func (m *Model) placeKitty() tea.Cmd {
	s := m.studio
	if s == nil || s.mode != previewKitty || s.chainErr != "" {
		return nil
	}
	p := m.previews.get(m.studioURL())
	if p == nil || p.img == nil {
		return nil
	}
	row, col, w, h := s.previewBox()
	placed := p.url + "@" + strings.Join([]string{itoa(row), itoa(col), itoa(w), itoa(h)}, ",")
	if placed == m.kittyPlaced {
		return nil
	}
	m.kittyPlaced = placed
	return writeTerm(m.d.Clipboard, kittyDelete(kittyImageID)+kittyImage(kittyImageID, p.img, row, col, w, h))
}

func itoa(n int) string { return strconv.Itoa(n) }

// writeTerm writes escape sequences to the terminal in one write.
func writeTerm(w io.Writer, s string) tea.Cmd {
	return func() tea.Msg {
		if w != nil {
			io.WriteString(w, s)
		}
		return nil
	}
}

// storeTransform stores the chain's result as a new file and records it.
func storeTransform(r Remote, l Ledger, s store.Scope, ch transform.Chain, from store.Entry) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		f, err := r.StoreTransform(ctx, ch, filestack.StoreOptions{})
		if err != nil {
			return statusMsg{kind: statusErr, text: "store result: " + err.Error()}
		}
		e := entryOf(f, store.SourceTransform)
		if e.Filename == "" {
			e.Filename = from.Filename
		}
		return record(ctx, l, s, e, "stored the result as "+f.Handle)
	}
}
