package localpane

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/fsops"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Bulk rename, as vidir and yazi do it: R writes the names of the marked
// entries (or the one under the cursor) to a temporary file, one a line,
// opens it in the editor, and turns the edited lines into a plan, shown
// before anything is renamed. A name a line cannot hold (a line break,
// another control character, bytes that are not UTF-8, a leading quote)
// is written as a Go string ("a\nb"), and read back the same way. The
// plan renames through temporary names, so swaps and cycles work, never
// replaces a file, and is undone (all of it) by z.

type (
	// bulkEditMsg is the temporary file written, ready for the editor.
	bulkEditMsg struct {
		tmp   string
		paths []string
		rels  []string
		argv  []string
	}
	// bulkEditedMsg is the editor gone: the file is read in a command.
	bulkEditedMsg struct {
		tmp   string
		paths []string
		rels  []string
		prog  string
		err   error
	}
	// bulkPlanMsg is the plan made of the edited file (or why none).
	bulkPlanMsg struct {
		plan     []fsops.Moved
		problems []string
		prog     string
	}
)

func (bulkEditMsg) program()   {}
func (bulkEditedMsg) program() {}
func (bulkPlanMsg) program()   {}

// bulkTempPrefix starts the temporary names a plan renames through.
const bulkTempPrefix = ".fsdeck-rename-"

// bulkRename writes the selection's names and hands them to the editor.
func (p *Pane) bulkRename() tea.Cmd {
	paths := topLevel(p.Selected())
	if len(paths) == 0 {
		return nil
	}
	argv, err := uikit.EditorArgv(p.env.Getenv)
	if err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot rename in the editor: " + err.Error() +
			" (export EDITOR=vim, for example, before starting fsdeck)"})
	}
	rels := make([]string, len(paths))
	for i, path := range paths {
		rels[i] = p.rawRel(path)
	}
	return func() tea.Msg {
		f, err := os.CreateTemp("", "fsdeck-rename-*.txt")
		if err == nil {
			_, err = f.WriteString(EncodeNames(rels))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot rename in the editor: the list of names could not be written: " + text.FSError(err, false)}
		}
		return bulkEditMsg{tmp: f.Name(), paths: paths, rels: rels, argv: append(argv, f.Name())}
	}
}

// rawRel is path relative to the directory shown (unsanitised: it is
// written to a file and compared, never drawn).
func (p *Pane) rawRel(path string) string {
	if rel, err := filepath.Rel(p.dir, path); err == nil {
		return rel
	}
	return path
}

// onBulk takes the steps of a bulk rename.
func (p *Pane) onBulk(msg programMsg) tea.Cmd {
	switch msg := msg.(type) {
	case bulkEditMsg:
		prog := text.Sanitize(filepath.Base(msg.argv[0]))
		if _, err := p.env.Programs().LookPath(msg.argv[0]); err != nil {
			os.Remove(msg.tmp)
			return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot rename in the editor: " + prog + " is not installed or not in $PATH"})
		}
		return p.env.Programs().Terminal(msg.argv, p.dir, func(err error) tea.Msg {
			return bulkEditedMsg{tmp: msg.tmp, paths: msg.paths, rels: msg.rels, prog: prog, err: err}
		})
	case bulkEditedMsg:
		dir := p.dir
		return func() tea.Msg {
			defer os.Remove(msg.tmp)
			if msg.err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "nothing renamed: " + msg.prog + " " + exitText(msg.err)}
			}
			b, err := os.ReadFile(msg.tmp)
			if err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "nothing renamed: the edited names could not be read: " + text.FSError(err, false)}
			}
			plan, problems := PlanBulkRename(dir, msg.paths, msg.rels, string(b))
			return bulkPlanMsg{plan: plan, problems: problems, prog: msg.prog}
		}
	case bulkPlanMsg:
		return p.askBulk(msg)
	}
	return nil
}

// askBulk shows the plan and asks before renaming, or says why there is
// none.
func (p *Pane) askBulk(msg bulkPlanMsg) tea.Cmd {
	if len(msg.problems) > 0 {
		lines := append([]string{"Nothing was renamed:"}, msg.problems...)
		return uikit.Open(uikit.NewText(p.env, "Bulk rename", lines))
	}
	if len(msg.plan) == 0 {
		return uikit.Info("bulk rename: no name changed")
	}
	var lines []string
	for i, m := range msg.plan {
		if i == 12 && len(msg.plan) > 13 {
			lines = append(lines, fmt.Sprintf("  … and %d more", len(msg.plan)-i))
			break
		}
		lines = append(lines, "  "+text.Sanitize(p.rawRel(m.From))+" → "+text.Sanitize(filepath.Base(m.To)))
	}
	q := fmt.Sprintf("Rename %s?\n%s\nNothing is replaced; %s undoes.", text.CountOf(len(msg.plan), "item"), strings.Join(lines, "\n"), p.keys.Undo.Help().Key)
	return uikit.Open(uikit.NewConfirm(p.env, "Bulk rename", q, applyBulk(msg.plan)))
}

// EncodeNames is the editor's file: one name a line; a name a line
// cannot hold as it is, as a Go string.
func EncodeNames(names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(encodeName(n))
		b.WriteByte('\n')
	}
	return b.String()
}

func encodeName(n string) string {
	if strings.HasPrefix(n, `"`) || !utf8.ValidString(n) || strings.ContainsFunc(n, text.IsControl) ||
		strings.TrimSpace(n) != n {
		return strconv.Quote(n)
	}
	return n
}

// decodeNames reads the edited file back: its lines (a last empty line
// and a carriage return before each line break dropped), quoted ones
// unquoted.
func decodeNames(s string) ([]string, []string) {
	s = strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var names, problems []string
	for i, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, `"`) {
			u, err := strconv.Unquote(strings.TrimRight(l, " \t"))
			if err != nil {
				problems = append(problems, fmt.Sprintf("line %d: %s is not a complete quoted name (\"a\\nb\")", i+1, text.Sanitize(l)))
				continue
			}
			l = u
		}
		names = append(names, l)
	}
	return names, problems
}

// PlanBulkRename turns the edited file into renames (from → to, in the
// order of paths), or the problems that stop it: lines added or removed,
// an empty or invalid name, a name moved to another directory, two
// entries given one name, a name taken by a file the plan does not
// rename away. rels are the names as written.
func PlanBulkRename(dir string, paths, rels []string, edited string) ([]fsops.Moved, []string) {
	names, problems := decodeNames(edited)
	if len(problems) > 0 {
		return nil, problems
	}
	if len(names) != len(paths) {
		return nil, []string{fmt.Sprintf("the file has %s for %s: lines may be changed, not added or removed",
			text.CountOf(len(names), "line"), text.CountOf(len(paths), "name"))}
	}
	leaving := map[string]bool{}
	var plan []fsops.Moved
	for i, n := range names {
		if n == rels[i] {
			continue
		}
		line := fmt.Sprintf("line %d (%s): ", i+1, text.Sanitize(rels[i]))
		if strings.TrimSpace(n) == "" {
			problems = append(problems, line+"the name is empty")
			continue
		}
		if filepath.Dir(n) != filepath.Dir(rels[i]) {
			problems = append(problems, line+text.Sanitize(n)+" is in another directory: bulk rename renames, it does not move")
			continue
		}
		if err := fsops.ValidName(filepath.Base(n), false); err != nil || strings.HasPrefix(filepath.Base(n), bulkTempPrefix) {
			why := "its name is reserved"
			if err != nil {
				why = err.Error()
			}
			problems = append(problems, line+why)
			continue
		}
		to := filepath.Join(filepath.Dir(paths[i]), filepath.Base(n))
		plan = append(plan, fsops.Moved{From: paths[i], To: to})
		leaving[paths[i]] = true
	}
	taken := map[string]string{}
	for _, m := range plan {
		if other, ok := taken[m.To]; ok {
			problems = append(problems, text.Sanitize(other)+" and "+text.Sanitize(filepath.Base(m.From))+" would both be named "+text.Sanitize(filepath.Base(m.To)))
			continue
		}
		taken[m.To] = filepath.Base(m.From)
		if _, err := os.Lstat(m.To); err == nil && !leaving[m.To] && !sameFile(m.From, m.To) {
			problems = append(problems, text.Sanitize(filepath.Base(m.From))+": "+text.Sanitize(filepath.Base(m.To))+" already exists (it is not renamed)")
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			problems = append(problems, text.Sanitize(filepath.Base(m.To))+": "+text.FSError(err, false))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return plan, nil
}

// sameFile: a new name that differs only in case on a file system that
// ignores case finds the file itself.
func sameFile(a, b string) bool {
	ia, err1 := os.Lstat(a)
	ib, err2 := os.Lstat(b)
	return err1 == nil && err2 == nil && os.SameFile(ia, ib)
}

// applyBulk renames in two steps, every source to a temporary name
// beside it, then each to its new name, never replacing; a failure puts
// back what was done, so the plan happens whole or not at all. The steps
// are the undo step (z takes them back in reverse).
func applyBulk(plan []fsops.Moved) tea.Cmd {
	return func() tea.Msg {
		var done []fsops.Moved
		step := func(from, to string) error {
			if err := fsops.Rename(from, to); err != nil {
				return err
			}
			done = append(done, fsops.Moved{From: from, To: to})
			return nil
		}
		temps := make([]string, len(plan))
		var failed error
		var failedName string
		for i, m := range plan {
			temps[i] = filepath.Join(filepath.Dir(m.From), fmt.Sprintf("%s%d-%d", bulkTempPrefix, os.Getpid(), i))
			if failed = step(m.From, temps[i]); failed != nil {
				failedName = filepath.Base(m.From)
				break
			}
		}
		for i := 0; failed == nil && i < len(plan); i++ {
			if failed = step(temps[i], plan[i].To); failed != nil {
				failedName = filepath.Base(plan[i].From)
			}
		}
		if failed != nil {
			return bulkFailed(done, failedName, failed)
		}
		names := make([]string, len(plan))
		for i, m := range plan {
			names[i] = filepath.Base(m.To)
		}
		what, dir := namesIn(toPaths(plan))
		where := ""
		if dir != "" {
			where = " in " + dir
		}
		sel := ""
		if len(plan) > 0 {
			sel = filepath.Base(plan[0].To)
		}
		return opDoneMsg{text: "renamed " + what + where + " (z undoes)", selectName: sel,
			undo: &undoStep{what: "bulk rename", moved: done}, moved: done}
	}
}

func toPaths(plan []fsops.Moved) []string {
	out := make([]string, len(plan))
	for i, m := range plan {
		out[i] = m.To
	}
	return out
}

// bulkFailed puts back the renames done before a failure and says what
// happened: nothing renamed, or, if putting back failed too, where each
// file that could not go back now is.
func bulkFailed(done []fsops.Moved, name string, err error) tea.Msg {
	var stuck []string
	for i := len(done) - 1; i >= 0; i-- {
		if e := fsops.Rename(done[i].To, done[i].From); e != nil {
			stuck = append(stuck, text.Sanitize(done[i].From)+" is now "+text.Sanitize(done[i].To))
		}
	}
	why := "nothing renamed: " + text.Sanitize(name) + ": " + text.FSError(err, true)
	if len(stuck) > 0 {
		why = "bulk rename failed at " + text.Sanitize(name) + " (" + text.FSError(err, true) + ") and could not put everything back: " + strings.Join(stuck, "; ")
	}
	return opDoneMsg{errs: []string{why}}
}
