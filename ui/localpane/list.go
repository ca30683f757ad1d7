package localpane

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// listLocalDir reads a directory in a command: entries are stat'ed, links
// followed for their kind, and sorted. Unreadable entries are kept with
// their error so a person sees them. Marked entries (marked, by path) get
// their whole identity (birth time too), to compare with their marks.
func listLocalDir(id int, dir string, hidden bool, by sortKey, desc bool, marked map[string]bool) tea.Cmd {
	return func() tea.Msg {
		des, err := os.ReadDir(dir)
		if err != nil && len(des) == 0 {
			return localListedMsg{id: id, dir: dir, err: err}
		}
		out := make([]uikit.LocalEntry, 0, len(des))
		for _, de := range des {
			name := de.Name()
			if !hidden && strings.HasPrefix(name, ".") {
				continue
			}
			e := uikit.LocalEntry{Name: name, Path: filepath.Join(dir, name), IsDir: de.IsDir()}
			info, ierr := de.Info()
			if ierr != nil {
				e.Err = ierr.Error()
				out = append(out, e)
				continue
			}
			e.Size, e.ModTime, e.ID = info.Size(), info.ModTime(), uikit.FileIDOf(info)
			if marked[e.Path] {
				if fid, err := uikit.LstatID(e.Path); err == nil {
					e.ID = fid
				}
			}
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

func sortEntries(es []uikit.LocalEntry, by sortKey, desc bool) {
	less := func(a, b uikit.LocalEntry) bool {
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
		if by == sortPlain {
			return lessPlain(a, b)
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

// lessName orders by name naturally (file_2 before file_10).
func lessName(a, b uikit.LocalEntry) bool { return uikit.NaturalCompare(a.Name, b.Name) < 0 }

// lessPlain orders by name, case-insensitively first, digits as
// characters (the sort menu's plain).
func lessPlain(a, b uikit.LocalEntry) bool {
	la, lb := strings.ToLower(a.Name), strings.ToLower(b.Name)
	if la != lb {
		return la < lb
	}
	return a.Name < b.Name
}

// filterLocal computes the visible order in a command (fuzzy, best first);
// refilter says it is the same filter over a new listing.
func filterLocal(id int, all []uikit.LocalEntry, pattern string, refilter bool) tea.Cmd {
	return func() tea.Msg {
		return localViewMsg{id: id, order: uikit.FuzzyOrder(len(all), func(i int) string { return all[i].Name }, pattern), refilter: refilter}
	}
}

// keptOrder is the order shown over old, mapped onto the new listing by
// path: the entries still there, in the order they were shown.
func keptOrder(old []uikit.LocalEntry, order []int, entries []uikit.LocalEntry) []int {
	at := make(map[string]int, len(entries))
	for i, e := range entries {
		at[e.Path] = i
	}
	kept := make([]int, 0, len(order))
	for _, j := range order {
		if i, ok := at[old[j].Path]; ok {
			kept = append(kept, i)
		}
	}
	return kept
}
