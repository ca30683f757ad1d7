package localpane

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Local marks name files by absolute path, pinned to the file's identity
// when it was marked. They stay across directories, filters and hidden
// files, so the footer counts the ones the list does not show, and every
// action that would act on them says so first. A mark goes when its file
// does: an operation of fsdeck removes it as it removes the file, and a
// listing (or the check before every action on marks) drops marks whose
// file vanished or was replaced by another one at the same path.

// markAction is what waits for the check of the marks.
type markAction int

const (
	actNone markAction = iota
	actTrash
	actDelete
	actYank
	actCut
	actUpload
	actUploadTo
)

// goneMark is a mark whose file is no longer the one marked.
type goneMark struct {
	path string
	seq  uint64
	why  string
}

// marksCheckedMsg is the result of checking marks on disk; act, when set,
// runs on what is left (id: only the newest action's check acts). Before
// an action, a marked file that merely vanished stays in vanished: the
// action names it as failed where the person looks (its row, its
// outcome) and unmarks it with the rest.
type marksCheckedMsg struct {
	id       int
	gone     []goneMark
	vanished []string
	act      markAction
}

// localUnmarkMsg unmarks paths once a confirmed action has used them (a
// cancelled one keeps them); upload, when set, is the confirmed upload to
// send next.
type localUnmarkMsg struct {
	paths  []string
	upload *uikit.UploadRequestMsg
}

// entryAt is the path and identity of the i-th visible row, what a mark
// pins.
func (p *Pane) entryAt(i int) (string, uikit.FileID) {
	e := p.all[p.order[i]]
	return e.Path, e.ID
}

// recountShown counts the marks on rows the list shows (the footer says
// how many are not shown). It runs when the rows or many marks change.
func (p *Pane) recountShown() {
	p.shownMarks = 0
	defer p.sumMarks()
	if p.marks.Len() == 0 {
		return
	}
	for _, j := range p.order {
		if e := p.all[j]; p.marks.Has(e.Path) {
			p.shownMarks++
			p.noteMarkSize(e)
		}
	}
}

// notShown lists the marked paths the list does not show (another
// directory, the filter, hidden files), sorted.
func (p *Pane) notShown() []string {
	if p.marks.Len() == p.shownMarks {
		return nil
	}
	shown := make(map[string]bool, p.shownMarks)
	for _, j := range p.order {
		if path := p.all[j].Path; p.marks.Has(path) {
			shown[path] = true
		}
	}
	var out []string
	for path := range p.marks.Pins() {
		if !shown[path] {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out
}

// unmark removes the marks of paths and of everything under them (a
// directory taken away takes its contents).
func (p *Pane) unmark(paths []string) {
	if p.marks.Len() == 0 || len(paths) == 0 {
		return
	}
	set := make(map[string]bool, len(paths))
	for _, path := range paths {
		set[filepath.Clean(path)] = true
	}
	for m := range p.marks.Pins() {
		for a := m; ; {
			if set[a] {
				p.marks.Delete(m)
				break
			}
			up := filepath.Dir(a)
			if up == a {
				break
			}
			a = up
		}
	}
	p.recountShown()
}

// followMove applies a rename or move to the marks: a rename in the same
// directory takes the marks along (the item and what is under it); a
// move to another directory takes them away.
func (p *Pane) followMove(from, to string) {
	if p.marks.Len() == 0 {
		return
	}
	if filepath.Dir(from) != filepath.Dir(to) {
		p.unmark([]string{from})
		return
	}
	prefix := from + string(filepath.Separator)
	for m, pin := range p.marks.Pins() {
		switch {
		case m == from:
			p.marks.Delete(m)
			p.marks.SetPin(to, pin)
		case strings.HasPrefix(m, prefix):
			p.marks.Delete(m)
			p.marks.SetPin(filepath.Join(to, m[len(prefix):]), pin)
		}
	}
	p.recountShown()
}

// pruneListed drops the marks in dir whose file the listing no longer has,
// or has as another file (same name, another identity). A hidden name not
// listed because hidden files are off is left to checkMarks.
func (p *Pane) pruneListed(dir string, entries []uikit.LocalEntry) []goneMark {
	var in []string
	for m := range p.marks.Pins() {
		if filepath.Dir(m) == dir {
			in = append(in, m)
		}
	}
	if len(in) == 0 {
		return nil
	}
	ids := make(map[string]uikit.FileID, len(entries))
	for _, e := range entries {
		ids[e.Path] = e.ID
	}
	var gone []goneMark
	for _, m := range in {
		pin, _ := p.marks.Pin(m)
		id, listed := ids[m]
		switch {
		case !listed && !p.hidden && strings.HasPrefix(filepath.Base(m), "."):
		case !listed:
			gone = append(gone, goneMark{path: m, seq: pin.Seq, why: "no longer exists"})
		case pin.ID.Differs(id):
			gone = append(gone, goneMark{path: m, seq: pin.Seq, why: "replaced by another file"})
		}
	}
	return gone
}

// checkMarks looks at marked files on disk in a command: one that is gone,
// or is another file now, comes back in gone. skipDir's marks were just
// checked against its listing (except hidden names not listed).
func checkMarks(id int, marks map[string]uikit.MarkPin, skipDir string, hiddenListed bool, act markAction) tea.Cmd {
	return func() tea.Msg {
		out := marksCheckedMsg{id: id, act: act}
		for path, pin := range marks {
			if filepath.Dir(path) == skipDir && (hiddenListed || !strings.HasPrefix(filepath.Base(path), ".")) {
				continue
			}
			fid, err := uikit.LstatID(path)
			switch {
			case (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) && act != actNone:
				out.vanished = append(out.vanished, path)
			case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
				out.gone = append(out.gone, goneMark{path: path, seq: pin.Seq, why: "no longer exists"})
			case err != nil:
				// Unreadable (permission): kept; acting on it says why.
			case pin.ID.Differs(fid):
				out.gone = append(out.gone, goneMark{path: path, seq: pin.Seq, why: "replaced by another file"})
			}
		}
		return out
	}
}

// checkAfterListing checks the marks the listing of dir could not see.
func (p *Pane) checkAfterListing(dir string) tea.Cmd {
	if p.marks.Len() == p.shownMarks && !p.hiddenMarksIn(dir) {
		return nil
	}
	p.markCheckID++
	return checkMarks(p.markCheckID, p.marks.Pins(), dir, p.hidden, actNone)
}

// hiddenMarksIn reports marks on hidden names in dir while hidden files
// are off (the listing cannot tell whether they still exist).
func (p *Pane) hiddenMarksIn(dir string) bool {
	if p.hidden {
		return false
	}
	for m := range p.marks.Pins() {
		if filepath.Dir(m) == dir && strings.HasPrefix(filepath.Base(m), ".") {
			return true
		}
	}
	return false
}

// dropGone removes the marks found gone (unless marked again since) and
// says which.
func (p *Pane) dropGone(gone []goneMark) tea.Cmd {
	var said []string
	for _, g := range gone {
		if pin, ok := p.marks.Pin(g.path); ok && pin.Seq == g.seq {
			p.marks.Delete(g.path)
			said = append(said, p.relName(g.path)+" ("+g.why+")")
		}
	}
	if len(said) == 0 {
		return nil
	}
	p.recountShown()
	sort.Strings(said)
	return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "unmarked " + uikit.ListSome(said, 5)})
}

// onMarksChecked drops what the check found gone, then runs the action
// that waited for it, on the marks left.
func (p *Pane) onMarksChecked(msg marksCheckedMsg) tea.Cmd {
	said := p.dropGone(msg.gone)
	if msg.act == actNone || msg.id != p.markCheckID {
		return said
	}
	if p.marks.Len() == 0 {
		// Every mark was gone: acting on the cursor instead would be a
		// surprise.
		return tea.Batch(said, uikit.Info("nothing left marked: nothing done"))
	}
	sort.Strings(msg.vanished)
	cmd := p.actOnSelection(msg.act, msg.vanished)
	return tea.Batch(said, cmd)
}

// withMarksChecked runs act on the selection: at once on the cursor's
// entry when nothing is marked, else after checking the marks on disk.
func (p *Pane) withMarksChecked(act markAction) tea.Cmd {
	if p.marks.Len() == 0 {
		return p.actOnSelection(act, nil)
	}
	p.markCheckID++
	return checkMarks(p.markCheckID, p.marks.Pins(), "", true, act)
}

// relName is path as the person finds it from the directory shown:
// "a.txt" here, "scratch/a.txt" below, "../other/b.txt" elsewhere
// (sanitised).
func (p *Pane) relName(path string) string {
	rel, err := filepath.Rel(p.dir, path)
	if err != nil || strings.Count(rel, ".."+string(filepath.Separator)) > 2 {
		rel = path
	}
	return text.Sanitize(rel)
}

// relNames is relName of each path.
func (p *Pane) relNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, path := range paths {
		out[i] = p.relName(path)
	}
	return out
}

// notShownNote is the sentence a confirmation adds when it acts on marks
// the list does not show (another directory, the filter, hidden files):
// how many and which, relative to the directory shown; and, when no mark
// is shown, that the entry under the cursor is not what is meant.
func (p *Pane) notShownNote(selected []string) string {
	hidden := p.notShown()
	if len(hidden) == 0 || len(selected) == 0 {
		return ""
	}
	var s string
	switch {
	case len(selected) == 1:
		s = " It is not shown here."
	case len(hidden) == len(selected):
		s = " None of them is shown here."
	default:
		s = fmt.Sprintf(" %d of them %s not shown here: %s.", len(hidden), text.Plural(len(hidden), "is", "are"),
			uikit.ListSome(p.relNames(hidden), 5))
	}
	if p.shownMarks == 0 {
		clears := " clears the marks)."
		if p.filter != "" {
			clears = " clears the filter, then the marks)."
		}
		s += " These are marks, not the entry under the cursor (" + p.keys.Close.Help().Key + clears
	}
	return s
}

// topLevel drops the paths that are inside another of paths: a marked
// directory takes what is in it along (trashed, deleted, copied or
// uploaded once, not a second time on its own).
func topLevel(paths []string) []string {
	set := make(map[string]bool, len(paths))
	for _, path := range paths {
		set[path] = true
	}
	out := paths[:0:0]
	for _, path := range paths {
		inside := false
		for a := filepath.Dir(path); !inside; a = filepath.Dir(a) {
			inside = set[a]
			if a == filepath.Dir(a) {
				break
			}
		}
		if !inside {
			out = append(out, path)
		}
	}
	return out
}
