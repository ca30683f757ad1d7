package localpane

import (
	"context"
	"fmt"
	"os"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/gabriel-vasile/mimetype"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// sortMenu offers the local orders; choosing the current one again
// reverses it.
func (p *Pane) sortMenu() uikit.Overlay {
	var items []uikit.MenuItem
	for i, name := range sortNames {
		by := sortKey(i)
		desc := by == sortTime || by == sortSize
		if by == p.sortBy {
			desc = !p.desc
		}
		label := "by " + name
		switch by {
		case sortName:
			label = "by name (file_2 before file_10)"
		case sortPlain:
			label = "by name, digits as text (file_10 before file_2)"
		}
		items = append(items, uikit.MenuItem{Key: name[:1], Label: label + uikit.OrderHint(by == p.sortBy, desc),
			Cmd: uikit.Emit(localSortMsg{by: by, desc: desc})})
	}
	return uikit.NewMenu(p.env, "Sort local files (directories first)", items)
}

// localSortMsg applies a chosen order.
type localSortMsg struct {
	by   sortKey
	desc bool
}

// bookmarksLoadedMsg opens the bookmarks menu with what the ledger has.
type bookmarksLoadedMsg struct {
	paths []string
	err   error
}

func loadBookmarks(l uikit.Ledger) tea.Cmd {
	return func() tea.Msg {
		ps, err := l.Bookmarks(context.Background())
		return bookmarksLoadedMsg{paths: ps, err: err}
	}
}

// bookmarksMenu lists the bookmarks; the remove key deletes the one under
// the cursor.
func (p *Pane) bookmarksMenu(msg bookmarksLoadedMsg) tea.Cmd {
	if msg.err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "bookmarks: " + msg.err.Error()})
	}
	if len(msg.paths) == 0 {
		return uikit.Info("no bookmarks yet: press " + p.keys.Bookmark.Help().Key + " in a directory to add one")
	}
	items := make([]uikit.MenuItem, 0, len(msg.paths))
	for i, path := range msg.paths {
		k := strconv.Itoa(i + 1)
		if i >= 9 {
			k = string(rune('a' + i - 9))
		}
		items = append(items, uikit.MenuItem{Key: k, Label: path, Cmd: uikit.Emit(gotoDirMsg{dir: path}), Remove: removeBookmark(p.env.Ledger(), path)})
	}
	return uikit.Open(uikit.NewMenu(p.env, "Bookmarks", items))
}

// gotoDirMsg makes the local pane list a directory (with name, when set,
// under the cursor).
type gotoDirMsg struct{ dir, name string }

func addBookmark(l uikit.Ledger, dir string) tea.Cmd {
	return func() tea.Msg {
		if err := l.AddBookmark(context.Background(), dir); err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "bookmark: " + err.Error()}
		}
		return uikit.StatusMsg{Kind: uikit.StatusOK, Text: "bookmarked " + text.Sanitize(dir)}
	}
}

func removeBookmark(l uikit.Ledger, dir string) tea.Cmd {
	return func() tea.Msg {
		if err := l.RemoveBookmark(context.Background(), dir); err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "bookmark: " + err.Error()}
		}
		return uikit.StatusMsg{Kind: uikit.StatusOK, Text: "removed the bookmark " + text.Sanitize(dir)}
	}
}

// details hashes a local file in a command and looks it up in the ledger.
func (p *Pane) details(e uikit.LocalEntry) tea.Cmd {
	l, s, ev := p.env.Ledger(), p.targets.Root().Scope, p.env
	show := func(title string, lines []string) tea.Msg {
		return uikit.OpenMsg{Overlay: uikit.NewText(ev, title, lines)}
	}
	return func() tea.Msg {
		lines := []string{"Name      " + text.Sanitize(e.Name), "Path      " + text.Sanitize(e.Path)}
		if e.IsDir {
			return show("Local directory", append(lines, "Type      directory"))
		}
		lines = append(lines, fmt.Sprintf("Size      %s (%d bytes)", uikit.FormatSize(e.Size), e.Size),
			"Modified  "+e.ModTime.Format("2006-01-02 15:04:05"))
		if e.Err != "" {
			return show("Local file", append(lines, "Error     "+text.Sanitize(e.Err)))
		}
		// As in the preview, only regular files are opened: opening a
		// named pipe blocks until a writer comes, a device may never end.
		if info, err := os.Stat(e.Path); err != nil {
			return show("Local file", append(lines, "Error     "+text.FSError(err, true)))
		} else if !info.Mode().IsRegular() {
			return show("Local file", append(lines, "Type      "+uikit.SpecialKind(info.Mode())+" (not read)"))
		}
		lines = append(lines, "Type      "+sniffLocal(e.Path))
		sum, err := transfer.HashFile(context.Background(), e.Path)
		if err != nil {
			return show("Local file", append(lines, "SHA-256   (unreadable)"))
		}
		lines = append(lines, "SHA-256   "+sum)
		hits, err := l.FindBySHA256(context.Background(), s, sum)
		switch {
		case err != nil:
			lines = append(lines, "Ledger    "+text.Sanitize(err.Error()))
		case len(hits) == 0:
			lines = append(lines, "Ledger    not uploaded yet (no file with this content)")
		default:
			for _, h := range hits {
				lines = append(lines, "Ledger    already uploaded as "+h.Handle+" ("+text.Sanitize(h.Filename)+")")
			}
		}
		return show("Local file", lines)
	}
}

// sniffLocal reads the start of a file for its type (in a command).
func sniffLocal(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "(unreadable: " + text.FSError(err, true) + ")"
	}
	defer f.Close()
	t, err := mimetype.DetectReader(f)
	if err != nil {
		return "(unreadable)"
	}
	return t.String()
}

// rewatch moves the watch to the directory now listed.
func (p *Pane) rewatch() tea.Cmd {
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
func (p *Pane) StopWatch() {
	if p.watch != nil {
		p.watch.close()
	}
}

// onMouse: the wheel scrolls, a click selects the row, a double click
// opens it (a directory) or shows its details (a file).
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
	if e.IsDir {
		return p.load(e.Path)
	}
	return p.details(e)
}
