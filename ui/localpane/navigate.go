package localpane

import (
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// recentMax is how many directories the recent list keeps.
const recentMax = 20

// onNavKey handles the preview toggle and the navigation keys: the path
// prompt, home, the previous directory and the recent list.
func (p *Pane) onNavKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Preview):
		p.previewOn = !p.previewOn
		return p.saveView(), true
	case key.Matches(msg, k.GoToPath):
		return uikit.Open(newPathPrompt(p.env, p.dir)), true
	case key.Matches(msg, k.HomeDir):
		home := homeDir(p.env.Getenv)
		if home == "" {
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "no home directory is set"}), true
		}
		return p.load(home), true
	case key.Matches(msg, k.PreviousDir):
		if p.lastDir == "" {
			return uikit.Info("no previous directory yet"), true
		}
		return p.load(p.lastDir), true
	case key.Matches(msg, k.RecentDirs):
		return checkRecent(slices.Clone(p.recent)), true
	}
	return nil, false
}

// homeDir is $HOME (the UI's environment first, for tests), else the OS's
// idea of it.
func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// noteVisit records a directory just listed: the one shown before becomes
// the previous directory (so - toggles like cd -), and it goes to the top
// of the recent list, which is saved.
func (p *Pane) noteVisit(dir string) tea.Cmd {
	if dir == p.shownDir {
		return nil
	}
	if p.shownDir != "" {
		p.lastDir = p.shownDir
	}
	p.shownDir = dir
	p.recent = pushRecent(p.recent, dir, recentMax)
	return p.saveView()
}

// pushRecent puts dir first, without duplicates, at most n long.
func pushRecent(list []string, dir string, n int) []string {
	out := make([]string, 0, min(len(list)+1, n))
	out = append(out, dir)
	for _, d := range list {
		if d != dir && len(out) < n {
			out = append(out, d)
		}
	}
	return out
}

// recentCheckedMsg carries the recent directories that still exist.
type recentCheckedMsg struct{ live, gone []string }

// checkRecent stats the recent directories (in a command): vanished ones
// are dropped from the menu and the list.
func checkRecent(dirs []string) tea.Cmd {
	return func() tea.Msg {
		var msg recentCheckedMsg
		for _, d := range dirs {
			if info, err := os.Stat(d); err == nil && info.IsDir() {
				msg.live = append(msg.live, d)
			} else {
				msg.gone = append(msg.gone, d)
			}
		}
		return msg
	}
}

// recentMenu offers the recent directories, most recent first, without
// the one shown.
func (p *Pane) recentMenu(msg recentCheckedMsg) tea.Cmd {
	var save tea.Cmd
	if len(msg.gone) > 0 {
		p.recent = slices.DeleteFunc(slices.Clone(p.recent), func(d string) bool { return slices.Contains(msg.gone, d) })
		save = p.saveView()
	}
	var items []uikit.MenuItem
	for _, d := range msg.live {
		if d == p.dir {
			continue
		}
		// 1-9 then a-i: j and k move the menu's cursor.
		k := ""
		switch n := len(items); {
		case n < 9:
			k = strconv.Itoa(n + 1)
		case n < 18:
			k = string(rune('a' + n - 9))
		}
		items = append(items, uikit.MenuItem{Key: k, Label: d, Cmd: uikit.Emit(gotoDirMsg{dir: d})})
	}
	if len(items) == 0 {
		return tea.Batch(save, uikit.Info("no other directory visited yet"))
	}
	return tea.Batch(save, uikit.Open(uikit.NewMenu(p.env, "Recent directories", items)))
}

// viewSaver writes view.json one save at a time and never lets an older
// state overwrite a newer one (saves run in concurrent commands).
type viewSaver struct {
	mu   sync.Mutex
	last int
}

func (s *viewSaver) save(seq int, v store.ViewState, save func(store.ViewState) error) tea.Cmd {
	return func() tea.Msg {
		s.mu.Lock()
		defer s.mu.Unlock()
		if seq <= s.last {
			return nil
		}
		s.last = seq
		if err := save(v); err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not remember the view for next time: " + err.Error()}
		}
		return nil
	}
}
