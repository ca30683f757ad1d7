package ui

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/gabriel-vasile/mimetype"
)

// sortMenu offers the focused pane's orders; choosing the current one
// again reverses it.
func (m Model) sortMenu() overlay {
	var items []menuItem
	if m.focus == focusRemote {
		for i, name := range remoteSortNames {
			by := remoteSort(i)
			desc := by == rsortAdded
			if by == m.remote.sortBy {
				desc = !m.remote.desc
			}
			items = append(items, menuItem{key: name[:1], label: "by " + name + orderHint(by == m.remote.sortBy, desc),
				cmd: emit(remoteSortMsg{by: by, desc: desc})})
		}
		return menuOverlay{title: "Sort remote files", items: items, keys: &m.keys}
	}
	for i, name := range sortNames {
		by := sortKey(i)
		desc := by == sortTime || by == sortSize
		if by == m.local.sortBy {
			desc = !m.local.desc
		}
		items = append(items, menuItem{key: name[:1], label: "by " + name + orderHint(by == m.local.sortBy, desc),
			cmd: emit(localSortMsg{by: by, desc: desc})})
	}
	return menuOverlay{title: "Sort local files (directories first)", items: items, keys: &m.keys}
}

func orderHint(current, desc bool) string {
	dir := "ascending"
	if desc {
		dir = "descending"
	}
	if current {
		return " (current; choose again for " + dir + ")"
	}
	return " (" + dir + ")"
}

// localSortMsg and remoteSortMsg apply a chosen order.
type localSortMsg struct {
	by   sortKey
	desc bool
}
type remoteSortMsg struct {
	by   remoteSort
	desc bool
}

// bookmarksLoadedMsg opens the bookmarks menu with what the ledger has.
type bookmarksLoadedMsg struct {
	paths []string
	err   error
}

func loadBookmarks(l Ledger) tea.Cmd {
	return func() tea.Msg {
		ps, err := l.Bookmarks(context.Background())
		return bookmarksLoadedMsg{paths: ps, err: err}
	}
}

func (m Model) showBookmarks(msg bookmarksLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		m.setStatus(statusErr, "bookmarks: "+msg.err.Error())
		return m, nil
	}
	if len(msg.paths) == 0 {
		m.setStatus(statusInfo, "no bookmarks yet: press "+m.keys.Bookmark.Help().Key+" in a directory to add one")
		return m, nil
	}
	items := make([]menuItem, 0, len(msg.paths))
	for i, p := range msg.paths {
		k := strconv.Itoa(i + 1)
		if i >= 9 {
			k = string(rune('a' + i - 9))
		}
		items = append(items, menuItem{key: k, label: p, cmd: emit(gotoDirMsg{dir: p})})
	}
	m.openOverlay(menuOverlay{title: "Bookmarks", items: items, keys: &m.keys})
	return m, nil
}

// gotoDirMsg makes the local pane list a directory.
type gotoDirMsg struct{ dir string }

func (m Model) addBookmark() (tea.Model, tea.Cmd) {
	dir := m.local.Dir()
	l := m.d.Ledger
	return m, func() tea.Msg {
		if err := l.AddBookmark(context.Background(), dir); err != nil {
			return statusMsg{kind: statusErr, text: "bookmark: " + err.Error()}
		}
		return statusMsg{kind: statusOK, text: "bookmarked " + Sanitize(dir)}
	}
}

// helpOverlay lists the live key map: the focused pane first, then the
// others and the global keys. Remapped keys show as remapped.
func (m Model) helpOverlay() overlay {
	k := m.keys
	sections := []struct {
		name  string
		binds []key.Binding
	}{
		{"Local pane", []key.Binding{k.Open, k.Parent, k.Mark, k.MarkRange, k.MarkAll, k.Upload, k.Details, k.Hidden, k.Sort, k.Filter, k.Bookmark, k.Bookmarks}},
		{"Remote pane", []key.Binding{k.Details, k.Copy, k.CopyAs, k.Refresh, k.Download, k.Delete, k.Forget, k.Mark, k.MarkRange, k.MarkAll, k.Sort, k.Filter}},
		{"Transfers", []key.Binding{k.Cancel, k.Pause, k.Retry, k.CancelAll, k.PauseAll, k.ClearDone}},
		{"Moving", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"Global", []key.Binding{k.SwitchPane, k.Transfers, k.Import, k.StoreURL, k.Keys, k.Help, k.Quit}},
	}
	first := map[focusArea]int{focusLocal: 0, focusRemote: 1, focusTransfers: 2}[m.focus]
	sections[0], sections[first] = sections[first], sections[0]
	var lines []string
	for _, s := range sections {
		lines = append(lines, m.styles.DialogTitle.Render(s.name))
		for _, b := range s.binds {
			if !b.Enabled() {
				continue
			}
			lines = append(lines, "  "+m.styles.HelpKey.Render(fit(prettyKeys(b.Keys()), 22))+" "+m.styles.HelpDesc.Render(b.Help().Desc))
		}
		lines = append(lines, "")
	}
	return textOverlay{title: "Keys (" + map[focusArea]string{focusLocal: "local pane", focusRemote: "remote pane", focusTransfers: "transfers"}[m.focus] + " first)",
		lines: lines, keys: &m.keys}
}

func prettyKeys(ks []string) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		if k == " " {
			k = "space"
		}
		out[i] = k
	}
	return strings.Join(out, " ")
}

// sniffLocal reads the start of a file for its type (in a command).
func sniffLocal(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "(unreadable: " + describeFSError(err) + ")"
	}
	defer f.Close()
	t, err := mimetype.DetectReader(f)
	if err != nil {
		return "(unreadable)"
	}
	return t.String()
}

// onMenuData handles choices made in menus.
func (m Model) onMenuData(msg tea.Msg) (tea.Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case localSortMsg:
		return m, m.local.SetSort(msg.by, msg.desc), true
	case remoteSortMsg:
		m.remote.SetSort(msg.by, msg.desc)
		return m, nil, true
	case bookmarksLoadedMsg:
		mm, cmd := m.showBookmarks(msg)
		return mm.(Model), cmd, true
	case gotoDirMsg:
		// The listing command reports a bookmark that no longer opens and
		// keeps the pane where it was.
		return m, m.local.GoTo(msg.dir), true
	case resumeJobsMsg:
		mm, cmd := m.resumeJobs(msg.jobs)
		return mm.(Model), cmd, true
	case discardJobsMsg:
		return m, discardJobs(m.d.Ledger, msg.jobs), true
	case quitNowMsg:
		for _, r := range m.transfers.rows {
			m.stopRow(r, errPaused) // pausing keeps every journal entry: nothing to run
		}
		m.quitting = true
		return m, m.quitCmd(), true
	}
	return m, nil, false
}
