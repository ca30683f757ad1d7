package localpane

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// pathPrompt is the :cd-style prompt: a path (absolute, relative to the
// pane's directory, or from ~), tab completing directories, enter going
// there. An error keeps the prompt open with the text as typed.
type pathPrompt struct {
	uikit.Dialog
	input      textinput.Model
	base, home string
	errText    string
	// seq drops a completion or check answered for older text.
	seq int
	// Completion: the candidates for the text before the last separator
	// (candDir); tab cycles through them while the text is the one the
	// last tab put there.
	cands   []string
	candDir string
	cycle   int
	shown   string
}

// pathCompletedMsg carries the directories matching a prefix;
// pathCheckedMsg whether the path entered can be opened.
type (
	pathCompletedMsg struct {
		seq   int
		cands []string
		err   string
		// untypable counts matching directories left out because their
		// names hold control characters, which the field cannot show.
		untypable int
	}
	pathCheckedMsg struct {
		seq       int
		dir, err  string
		requested string
		// name is the file the path named (it goes to the file's
		// directory with the file under the cursor).
		name string
	}
)

var pathTab = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete"))

func newPathPrompt(e *uikit.Env, base string) *pathPrompt {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 4096
	ti.Focus()
	return &pathPrompt{Dialog: uikit.NewDialog(e), input: ti, base: base, home: homeDir(e.Getenv)}
}

// Update edits the line; tab completes, enter checks the path (in a
// command) and goes there, esc cancels.
func (o *pathPrompt) Update(msg tea.Msg) (uikit.Overlay, tea.Cmd) {
	if o.Resized(msg) {
		return o, nil
	}
	switch msg := msg.(type) {
	case pathCompletedMsg:
		if msg.seq == o.seq {
			o.completed(msg)
		}
		return o, nil
	case pathCheckedMsg:
		if msg.seq != o.seq {
			return o, nil
		}
		if msg.err != "" {
			o.errText = msg.err + ": " + text.Sanitize(msg.requested)
			return o, nil
		}
		return nil, uikit.Emit(gotoDirMsg{dir: msg.dir, name: msg.name})
	case tea.KeyMsg:
		return o.onKey(msg)
	}
	return o, nil
}

func (o *pathPrompt) onKey(km tea.KeyMsg) (uikit.Overlay, tea.Cmd) {
	switch {
	case key.Matches(km, o.KeyMap().Close):
		return nil, nil
	case key.Matches(km, o.KeyMap().Choose):
		text := strings.TrimSpace(o.input.Value())
		if text == "" {
			return nil, nil
		}
		o.seq++
		return o, checkDir(o.seq, resolvePath(text, o.base, o.home), text)
	case key.Matches(km, pathTab):
		return o, o.tab()
	}
	o.seq++
	o.cands, o.errText = nil, ""
	var cmd tea.Cmd
	o.input, cmd = o.input.Update(km)
	return o, cmd
}

// tab cycles to the next candidate when the last tab left the text as it
// is, else asks for the candidates of the text. Completions end in "/",
// which every platform's paths accept.
func (o *pathPrompt) tab() tea.Cmd {
	text := o.input.Value()
	if len(o.cands) > 1 && text == o.shown {
		o.cycle = (o.cycle + 1) % len(o.cands)
		o.setText(o.candDir + o.cands[o.cycle] + "/")
		return nil
	}
	if text == "~" {
		text = "~/"
		o.setText(text)
	}
	o.seq++
	o.errText = ""
	textDir, dir, prefix := splitPath(text, o.base, o.home)
	o.candDir = textDir
	return completeDirs(o.seq, dir, prefix)
}

// completed applies candidates: one is taken whole, several extend the
// text to their common prefix, or (when it cannot grow) start cycling.
func (o *pathPrompt) completed(msg pathCompletedMsg) {
	o.cands, o.cycle = msg.cands, -1
	_, _, prefix := splitPath(o.input.Value(), o.base, o.home)
	switch {
	case msg.err != "":
		o.errText = msg.err
	case len(msg.cands) == 0 && msg.untypable > 0:
		o.errText = fmt.Sprintf("%s starting with %s %s control characters, which cannot be typed here: open %s from the list",
			text.CountOf(msg.untypable, "directory"), text.Sanitize(prefix), text.Plural(msg.untypable, "has", "have"), text.Plural(msg.untypable, "it", "them"))
	case len(msg.cands) == 0:
		o.errText = "no directory starts with " + text.Sanitize(prefix)
	case len(msg.cands) == 1:
		o.setText(o.candDir + msg.cands[0] + "/")
		o.cands = nil
	default:
		if lcp := commonPrefix(msg.cands); len(lcp) > len(prefix) {
			o.setText(o.candDir + lcp)
			return
		}
		o.cycle = 0
		o.setText(o.candDir + msg.cands[0] + "/")
	}
}

// typed is the text in the field.
func (o *pathPrompt) typed() string { return o.input.Value() }

// problem is why the last completion or check failed ("" when none did).
func (o *pathPrompt) problem() string { return o.errText }

func (o *pathPrompt) setText(s string) {
	o.input.SetValue(s)
	o.input.CursorEnd()
	o.shown = s
}

// Keys: go, complete, cancel.
func (o *pathPrompt) Keys() uikit.KeyHelp {
	goKey := key.NewBinding(key.WithKeys(o.KeyMap().Choose.Keys()...), key.WithHelp(o.KeyMap().Choose.Help().Key, "go there"))
	bs := []key.Binding{goKey, pathTab, o.KeyMap().Close}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// View draws the field, the candidates (the current one reversed) and
// the last error.
func (o *pathPrompt) View() string {
	s := o.Styles()
	ow, _ := o.Size()
	w := min(ow-4, 80)
	o.input.Width = w - 8
	parts := []string{s.DialogTitle.Render("Go to directory"),
		s.Muted.Render(uikit.FitLeft("from "+text.Sanitize(o.base)+" · ~ is home", w-4)), "", o.input.View()}
	if len(o.cands) > 1 {
		parts = append(parts, o.candidateLine(w-4))
	}
	if o.errText != "" {
		parts = append(parts, s.Error.Render(lipgloss.NewStyle().Width(w-4).Render(o.errText)))
	}
	parts = append(parts, "", s.Muted.Render(uikit.Fit(uikit.FooterOf(o.Keys().Short), w-4)))
	return s.Dialog.Width(w - 2).Render(strings.Join(parts, "\n"))
}

// candidateLine lists the candidates on one line, as many as fit.
func (o *pathPrompt) candidateLine(w int) string {
	var b strings.Builder
	used := 0
	for i, c := range o.cands {
		label := text.Sanitize(c) + "/"
		if used+lipgloss.Width(label)+2 > w {
			b.WriteString("…")
			break
		}
		if i == o.cycle {
			b.WriteString(o.Styles().Cursor.Render(label))
		} else {
			b.WriteString(label)
		}
		b.WriteString("  ")
		used += lipgloss.Width(label) + 2
	}
	return b.String()
}

// resolvePath turns what was typed into an absolute, clean path.
func resolvePath(text, base, home string) string {
	switch {
	case text == "~":
		text = home
	case strings.HasPrefix(text, "~/"), strings.HasPrefix(text, "~"+string(filepath.Separator)):
		text = filepath.Join(home, text[2:])
	}
	if !filepath.IsAbs(text) {
		text = joinRelative(base, text)
	}
	return filepath.Clean(text)
}

// joinRelative resolves a path that is not absolute against base. On
// Windows two such forms are not relative to the directory: `\Users` is
// rooted on base's drive, and `D:notes` is relative to the drive's
// directory, taken as its root unless it is base's drive.
func joinRelative(base, text string) string {
	vol := filepath.VolumeName(text)
	rest := text[len(vol):]
	switch {
	case vol != "" && !strings.EqualFold(vol, filepath.VolumeName(base)):
		return vol + string(filepath.Separator) + rest
	case vol == "" && rest != "" && os.IsPathSeparator(rest[0]):
		return filepath.VolumeName(base) + rest
	}
	return filepath.Join(base, rest)
}

// splitPath splits typed text at its last separator: the text before it
// (kept as typed), the directory it names and the name prefix after it.
func splitPath(text, base, home string) (textDir, dir, prefix string) {
	i := strings.LastIndexAny(text, "/"+string(filepath.Separator))
	textDir, prefix = text[:i+1], text[i+1:]
	if textDir == "" {
		return "", base, prefix
	}
	return textDir, resolvePath(textDir, base, home), prefix
}

// commonPrefix is the longest prefix all names share (byte-wise, cut back
// to whole runes by the callers' names being valid UTF-8).
func commonPrefix(names []string) string {
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	return strings.ToValidUTF8(p, "")
}

// completeDirs lists the directories in dir starting with prefix (in a
// command). Hidden ones only when the prefix starts with a dot; names
// with control characters are left out, since they cannot be typed or
// shown in the field as they are.
func completeDirs(seq int, dir, prefix string) tea.Cmd {
	return func() tea.Msg {
		des, err := os.ReadDir(dir)
		if err != nil && len(des) == 0 {
			return pathCompletedMsg{seq: seq, err: "cannot complete: " + text.FSError(err, true)}
		}
		var out []string
		untypable := 0
		for _, de := range des {
			name := de.Name()
			if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
				continue
			}
			switch {
			case !isDirEntry(dir, de):
			case text.Sanitize(name) != name:
				untypable++
			default:
				out = append(out, name)
			}
		}
		sort.Strings(out)
		return pathCompletedMsg{seq: seq, cands: out, untypable: untypable}
	}
}

// isDirEntry reports whether de (in dir) is a directory or a link to one.
func isDirEntry(dir string, de fs.DirEntry) bool {
	if de.Type()&fs.ModeSymlink != 0 {
		info, err := os.Stat(filepath.Join(dir, de.Name()))
		return err == nil && info.IsDir()
	}
	return de.IsDir()
}

// checkDir says whether path is a directory fsdeck can list (for a file:
// its directory, and the file's name), and if not, why: no such path, not
// a directory, or permission denied.
func checkDir(seq int, path, requested string) tea.Cmd {
	return func() tea.Msg {
		fail := func(err string) tea.Msg { return pathCheckedMsg{seq: seq, err: err, requested: requested} }
		info, err := os.Stat(path)
		name := ""
		switch {
		case err != nil:
			return fail(text.FSError(err, false))
		case !info.IsDir():
			// A file: its directory, with the file selected.
			path, name = filepath.Dir(path), filepath.Base(path)
		}
		f, err := os.Open(path)
		if err != nil {
			return fail(text.FSError(err, true))
		}
		defer f.Close()
		if _, err := f.Readdirnames(1); err != nil && !errors.Is(err, io.EOF) {
			return fail(text.FSError(err, true))
		}
		return pathCheckedMsg{seq: seq, dir: path, requested: requested, name: name}
	}
}
