package localpane

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// globMarkMsg marks (or unmarks) the names shown that match pattern.
type globMarkMsg struct {
	pattern string
	mark    bool
}

// dirSizesMsg carries the sizes of directories, added up in a command.
type dirSizesMsg struct {
	sizes map[string]int64
	files int
	// failed names what could not be read in full (its size is then a
	// lower bound and not shown).
	failed []string
}

// onFindKey handles find, select by glob and directory sizes.
func (p *Pane) onFindKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.Find):
		f, cmd := newFinder(p.env, p.dir, p.hidden, &p.findSeq)
		p.find = f
		return tea.Batch(uikit.Open(f), cmd), true
	case key.Matches(msg, k.MarkGlob):
		return uikit.Open(p.globPrompt(true)), true
	case key.Matches(msg, k.UnmarkGlob):
		return uikit.Open(p.globPrompt(false)), true
	case key.Matches(msg, k.DirSizes):
		return p.sizeDirs(), true
	}
	return nil, false
}

func (p *Pane) globPrompt(mark bool) uikit.Input {
	title, verb := "Mark matching", "mark"
	if !mark {
		title, verb = "Unmark matching", "unmark"
	}
	hint := "files shown whose name matches (case ignored): * any text, ? one character, [a-z] a class; end with / to " + verb + " directories instead"
	return uikit.NewInput(p.env, title, hint, "*.jpg", false, func(s string) tea.Cmd {
		if s == "" {
			return nil
		}
		return uikit.Emit(globMarkMsg{pattern: s, mark: mark})
	})
}

// onGlobMark marks or unmarks the rows shown whose names match.
func (p *Pane) onGlobMark(msg globMarkMsg) tea.Cmd {
	pattern, dirs := strings.CutSuffix(msg.pattern, "/")
	pattern = strings.ToLower(pattern)
	if _, err := filepath.Match(pattern, ""); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "not a pattern: " + text.Sanitize(msg.pattern)})
	}
	n := 0
	for _, j := range p.order {
		e := p.all[j]
		if e.IsDir != dirs || e.Err != "" {
			continue
		}
		if ok, _ := filepath.Match(pattern, strings.ToLower(e.Name)); !ok || p.marks.Has(e.Path) == msg.mark {
			continue
		}
		if msg.mark {
			p.marks.Add(e.Path, e.ID)
		} else {
			p.marks.Delete(e.Path)
		}
		n++
	}
	p.recountShown()
	what := "file"
	if dirs {
		what = "directory"
	}
	if n == 0 {
		if msg.mark {
			return uikit.Info(fmt.Sprintf("no unmarked %s shown here matches %s", what, text.Sanitize(msg.pattern)))
		}
		return uikit.Info(fmt.Sprintf("no marked %s shown here matches %s", what, text.Sanitize(msg.pattern)))
	}
	if !msg.mark {
		return uikit.Info(fmt.Sprintf("unmarked %d %s matching %s", n, plural(n, what), text.Sanitize(msg.pattern)))
	}
	return tea.Batch(uikit.Info(fmt.Sprintf("marked %d %s matching %s", n, plural(n, what), text.Sanitize(msg.pattern))), p.pinMarks())
}

// sizeDirs adds up the marked directories (or the one under the cursor,
// when none is marked) in a command.
func (p *Pane) sizeDirs() tea.Cmd {
	var dirs []string
	for _, path := range p.Selected() {
		if info, ok := p.shownEntry(path); !ok || info.IsDir {
			dirs = append(dirs, path)
		}
	}
	if e, ok := p.current(); ok && e.IsDir && len(dirs) == 0 {
		dirs = []string{e.Path} // only files are marked
	}
	if len(dirs) == 0 {
		return uikit.Info("no directory to size: mark directories or put the cursor on one")
	}
	return tea.Batch(uikit.Info(fmt.Sprintf("adding up %d %s…", len(dirs), text.Plural(len(dirs), "directory", "directories"))), sumDirs(dirs))
}

// shownEntry is the entry of path in the listing shown.
func (p *Pane) shownEntry(path string) (uikit.LocalEntry, bool) {
	if filepath.Dir(path) != p.dir {
		return uikit.LocalEntry{}, false
	}
	for _, e := range p.all {
		if e.Path == path {
			return e, true
		}
	}
	return uikit.LocalEntry{}, false
}

// sumDirs adds up the sizes of the files below each of dirs (links are
// counted as links, never followed); what is not a directory is skipped.
func sumDirs(dirs []string) tea.Cmd {
	return func() tea.Msg {
		out := dirSizesMsg{sizes: map[string]int64{}}
		for _, d := range dirs {
			if info, err := os.Lstat(d); err != nil || !info.IsDir() {
				continue
			}
			var total int64
			complete := true
			_ = filepath.WalkDir(d, func(_ string, de fs.DirEntry, err error) error {
				if err != nil {
					complete = false
					return nil
				}
				if de.IsDir() {
					return nil
				}
				if info, err := de.Info(); err == nil {
					total += info.Size()
					out.files++
				}
				return nil
			})
			if !complete {
				out.failed = append(out.failed, d)
				continue
			}
			out.sizes[d] = total
		}
		return out
	}
}

// onDirSizes keeps the sizes for the rows and the footer and says them.
func (p *Pane) onDirSizes(msg dirSizesMsg) tea.Cmd {
	if p.dirSizes == nil {
		p.dirSizes = map[string]int64{}
	}
	var parts []string
	for d, n := range msg.sizes {
		p.dirSizes[d] = n
		parts = append(parts, text.Sanitize(filepath.Base(d))+"/ "+uikit.FormatSize(n))
	}
	p.recountShown()
	if len(msg.failed) > 0 {
		names := make([]string, len(msg.failed))
		for i, d := range msg.failed {
			names[i] = text.Sanitize(filepath.Base(d)) + "/"
		}
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not read all of " + uikit.ListSome(names, 3) + ": no size shown for it"})
	}
	if len(parts) == 1 {
		return uikit.Info(parts[0] + " (" + text.CountOf(msg.files, "file") + ")")
	}
	var total int64
	for _, n := range msg.sizes {
		total += n
	}
	return uikit.Info(fmt.Sprintf("%d %s, %s: %s", len(msg.sizes), text.Plural(len(msg.sizes), "directory", "directories"), text.CountOf(msg.files, "file"), uikit.FormatSize(total)))
}

// sizeOf is what a row's size column and the selection total count for
// e: a directory's contents only once they were added up.
func (p *Pane) sizeOf(e uikit.LocalEntry) (int64, bool) {
	if !e.IsDir {
		return e.Size, e.Err == ""
	}
	n, ok := p.dirSizes[e.Path]
	return n, ok
}

// noteMarkSize records what a mark on e weighs, for the footer's total.
func (p *Pane) noteMarkSize(e uikit.LocalEntry) {
	if p.markSize == nil {
		p.markSize = map[string]int64{}
	}
	if n, ok := p.sizeOf(e); ok {
		p.markSize[e.Path] = n
	} else {
		p.markSize[e.Path] = -1
	}
}

// sumMarks adds up the selection for the footer: the files' sizes and
// the directories that were sized; unsized counts the rest.
func (p *Pane) sumMarks() {
	p.markBytes, p.markUnsized = 0, 0
	if p.marks.Len() == 0 {
		p.markSize = nil
		return
	}
	kept := make(map[string]int64, p.marks.Len())
	for path := range p.marks.Pins() {
		n, ok := p.markSize[path]
		if d, sized := p.dirSizes[path]; sized {
			n, ok = d, true
		}
		kept[path] = n
		if !ok || n < 0 {
			p.markUnsized++
			continue
		}
		p.markBytes += n
	}
	p.markSize = kept
}

// selectionHint is the footer's total of the marks ("· 12.0 MiB", "+ 2
// dirs not sized" when some were not added up).
func (p *Pane) selectionHint() string {
	if p.marks.Len() == 0 {
		return ""
	}
	s := " · " + uikit.FormatSize(p.markBytes)
	if p.markUnsized > 0 {
		s += fmt.Sprintf(" + %d not sized (%s)", p.markUnsized, p.keys.DirSizes.Help().Key)
	}
	return s
}

// keepSized is what stays of the directory sizes on leaving a directory:
// those of marked directories (the footer's total counts them).
func keepSized(sizes map[string]int64, marks uikit.MarkSet) map[string]int64 {
	var out map[string]int64
	for d, n := range sizes {
		if marks.Has(d) {
			if out == nil {
				out = map[string]int64{}
			}
			out[d] = n
		}
	}
	return out
}

// plural is a file or directory noun for n of them.
func plural(n int, noun string) string {
	if noun == "directory" {
		return text.Plural(n, "directory", "directories")
	}
	return text.Plural(n, noun, noun+"s")
}
