package localpane

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Handing files to other programs: o opens the entry under the cursor
// with its [opener] rule or the system's opener, e edits the selection in
// $VISUAL/$EDITOR, ! runs a command line on it, S starts a shell in the
// directory shown, R renames it in the editor (bulkrename.go). Editors
// and shells take the terminal: the interface suspends until they exit,
// then lists the directory again.

// programMsg is a message of this file's commands (one case in Update).
type programMsg interface{ program() }

type (
	// terminalMsg asks to run argv on the terminal (a blocking opener,
	// chosen in a command that read the file's type); then says what
	// ran on what.
	terminalMsg struct {
		argv  []string
		what  string
		files []string
	}
	// returnedMsg is a terminal program that exited: how, and the
	// files it was given with their state before, to say what changed.
	returnedMsg struct {
		prog   string
		what   string
		err    error
		before []fileState
	}
	// commandDoneMsg is a command line of ! that ended.
	commandDoneMsg struct {
		line   string
		output []byte
		err    error
	}
)

func (terminalMsg) program()    {}
func (returnedMsg) program()    {}
func (commandDoneMsg) program() {}

// fileState is what tells whether an editor saved a file.
type fileState struct {
	path string
	size int64
	mod  int64
	ok   bool
}

func statFiles(paths []string) []fileState {
	out := make([]fileState, len(paths))
	for i, p := range paths {
		out[i].path = p
		if info, err := os.Stat(p); err == nil {
			out[i].size, out[i].mod, out[i].ok = info.Size(), info.ModTime().UnixNano(), true
		}
	}
	return out
}

// onProgramKey handles o, e, !, S and R; ok is false for other keys.
func (p *Pane) onProgramKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.keys
	switch {
	case key.Matches(msg, k.OpenFile):
		if e, ok := p.current(); ok {
			return p.openWith(e), true
		}
	case key.Matches(msg, k.Edit):
		return p.edit(), true
	case key.Matches(msg, k.Command):
		return uikit.Open(p.commandPrompt()), true
	case key.Matches(msg, k.BulkRename):
		return p.bulkRename(), true
	case key.Matches(msg, k.Shell):
		argv := uikit.ShellArgv(p.env.Getenv, p.env.GOOS())
		return p.onTerminal(terminalMsg{argv: argv, what: "the shell in " + text.Sanitize(p.dir)}), true
	default:
		return nil, false
	}
	return nil, true
}

// onProgram takes the answers of this file's commands.
func (p *Pane) onProgram(msg programMsg) tea.Cmd {
	switch msg := msg.(type) {
	case terminalMsg:
		return p.onTerminal(msg)
	case returnedMsg:
		return p.onReturned(msg)
	case commandDoneMsg:
		return p.onCommandDone(msg)
	}
	return p.onBulk(msg)
}

// openWith opens e with the first [opener] rule that matches its name or
// type (read in a command), else with the system's opener, which runs
// beside the interface; a rule with block = true takes the terminal.
func (p *Pane) openWith(e uikit.LocalEntry) tea.Cmd {
	rules, progs, ctx, dir := p.env.Settings().Openers, p.env.Programs(), p.env.Context(), p.dir
	system := uikit.SystemOpener(p.env.GOOS())
	name := text.Sanitize(e.Name)
	return func() tea.Msg {
		mime := ""
		if needsMIME(rules) && !e.IsDir {
			if mime = sniffLocal(e.Path); strings.HasPrefix(mime, "(") {
				mime = "" // unreadable: the rules on names still apply
			}
		}
		argv, block := system, false
		if r, ok := uikit.MatchOpener(rules, e.Name, mime); ok {
			argv, block = r.Run, r.Block
		}
		argv = uikit.OpenerArgv(argv, e.Path)
		if block {
			return terminalMsg{argv: argv, what: name, files: []string{e.Path}}
		}
		prog := filepath.Base(argv[0])
		if _, err := progs.LookPath(argv[0]); err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot open " + name + ": " + text.Sanitize(prog) +
				" is not installed (an [opener] rule in config.toml can name another program)"}
		}
		out, err := progs.Run(ctx, argv, dir)
		if err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusErr, Text: text.Sanitize(prog) + " could not open " + name + ": " +
				exitText(err) + firstLine(out)}
		}
		return uikit.StatusMsg{Kind: uikit.StatusOK, Text: "opened " + name + " with " + text.Sanitize(prog)}
	}
}

// needsMIME reports whether a rule matches on type (the file is read
// only then).
func needsMIME(rules []uikit.Opener) bool {
	for _, r := range rules {
		if uikit.IsMIMEPattern(r.Pattern) {
			return true
		}
	}
	return false
}

// edit opens the marked files, or the one under the cursor, in the
// editor; directories are not editor material.
func (p *Pane) edit() tea.Cmd {
	var files []string
	var dirs int
	for _, path := range p.Selected() {
		if p.isDir(path) {
			dirs++
			continue
		}
		files = append(files, path)
	}
	if len(files) == 0 {
		if dirs > 0 {
			return uikit.Info("nothing to edit: " + p.keys.Edit.Help().Key + " edits files, and only directories are selected")
		}
		return nil
	}
	argv, err := uikit.EditorArgv(p.env.Getenv, files...)
	if err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot edit: " + err.Error() +
			" (export EDITOR=vim, for example, before starting fsdeck)"})
	}
	what, _ := namesIn(files)
	return p.onTerminal(terminalMsg{argv: argv, what: what, files: files})
}

// isDir reports whether path is a directory as listed (marks elsewhere
// count as files; the editor says if one is not).
func (p *Pane) isDir(path string) bool {
	for _, e := range p.all {
		if e.Path == path {
			return e.IsDir
		}
	}
	return false
}

// onTerminal runs a program on the terminal, after noting the state of
// the files it is given.
func (p *Pane) onTerminal(msg terminalMsg) tea.Cmd {
	progs := p.env.Programs()
	prog := text.Sanitize(filepath.Base(msg.argv[0]))
	if _, err := progs.LookPath(msg.argv[0]); err != nil {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "cannot run " + prog + " for " + msg.what + ": " +
			prog + " is not installed or not in $PATH"})
	}
	before := statFiles(msg.files)
	return progs.Terminal(msg.argv, p.dir, func(err error) tea.Msg {
		return returnedMsg{prog: prog, what: msg.what, err: err, before: before}
	})
}

// onReturned says how a terminal program ended and what it changed, and
// lists the directory again (it may have made or removed files).
func (p *Pane) onReturned(msg returnedMsg) tea.Cmd {
	if e, ok := p.current(); ok {
		p.wantName = e.Name
	}
	before := msg.before
	say := func() tea.Msg {
		if msg.err != nil {
			return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: msg.prog + " (" + msg.what + ") " + exitText(msg.err)}
		}
		if len(before) == 0 {
			return uikit.StatusMsg{Kind: uikit.StatusInfo, Text: "back from " + msg.prog}
		}
		var changed []string
		after := statFiles(pathsOf(before))
		for i, b := range before {
			if after[i] != b {
				changed = append(changed, b.path)
			}
		}
		if len(changed) == 0 {
			return uikit.StatusMsg{Kind: uikit.StatusInfo, Text: msg.prog + ": " + msg.what + text.Plural(len(before), " is", " are") + " unchanged"}
		}
		what, _ := namesIn(changed)
		return uikit.StatusMsg{Kind: uikit.StatusOK, Text: msg.prog + ": saved " + what}
	}
	return tea.Batch(p.load(p.dir), say)
}

func pathsOf(fs []fileState) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.path
	}
	return out
}

// commandPrompt asks for the command line ! runs.
func (p *Pane) commandPrompt() uikit.Overlay {
	files := p.Selected()
	hint := fmt.Sprintf("Runs in %s with %s as $@ (or where %%s is); its output and exit status are shown.",
		text.Sanitize(p.dir), someNames(p.relNames(files)))
	if len(files) == 0 {
		hint = "Runs in " + text.Sanitize(p.dir) + "; its output and exit status are shown."
	}
	dir, goos, progs, ctx := p.dir, p.env.GOOS(), p.env.Programs(), p.env.Context()
	return uikit.NewInput(p.env, "Run a command", hint, "command line", false, func(line string) tea.Cmd {
		if line == "" {
			return uikit.Info("no command run: the line was empty")
		}
		argv := CommandArgv(goos, line, files)
		return tea.Batch(uikit.Info("running "+text.Sanitize(line)+"…"), func() tea.Msg {
			out, err := progs.Run(ctx, argv, dir)
			return commandDoneMsg{line: line, output: out, err: err}
		})
	})
}

// CommandArgv is how ! runs line on files: sh -c with the files as $@,
// and a word %s replaced by them quoted (cmd /c on Windows, %s only). Only
// %s standing alone is replaced: printf '%s\n' keeps its own.
func CommandArgv(goos, line string, files []string) []string {
	q := make([]string, len(files))
	for i, f := range files {
		if goos == "windows" {
			q[i] = `"` + f + `"`
		} else {
			q[i] = text.ShellQuote(f)
		}
	}
	line = replaceWordS(line, strings.Join(q, " "))
	if goos == "windows" {
		return []string{"cmd", "/c", line}
	}
	return append([]string{"sh", "-c", line, "fsdeck"}, files...)
}

// replaceWordS replaces each %s that stands as a word of its own (white
// space or the line's ends around it, or ; | & > < after it) by files.
func replaceWordS(line, files string) string {
	var b strings.Builder
	for i := 0; i < len(line); {
		if strings.HasPrefix(line[i:], "%s") && (i == 0 || isSpace(line[i-1])) &&
			(i+2 == len(line) || isSpace(line[i+2]) || strings.IndexByte(";|&<>)", line[i+2]) >= 0) {
			b.WriteString(files)
			i += 2
			continue
		}
		b.WriteByte(line[i])
		i++
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// onCommandDone shows what a command wrote and how it ended, and lists
// the directory again.
func (p *Pane) onCommandDone(msg commandDoneMsg) tea.Cmd {
	if e, ok := p.current(); ok {
		p.wantName = e.Name
	}
	out := strings.ReplaceAll(strings.TrimRight(string(msg.output), "\n"), "\t", "    ")
	var lines []string
	if out != "" {
		for _, l := range strings.Split(out, "\n") {
			lines = append(lines, text.Sanitize(strings.TrimSuffix(l, "\r")))
		}
	} else {
		lines = append(lines, "(no output)")
	}
	if len(msg.output) >= uikit.MaxProgramOutput {
		lines = append(lines, fmt.Sprintf("(output cut after %s)", uikit.FormatSize(uikit.MaxProgramOutput)))
	}
	status := uikit.StatusMsg{Kind: uikit.StatusOK, Text: "command ended: exit status 0"}
	if msg.err != nil {
		status = uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "command " + exitText(msg.err)}
	}
	lines = append(lines, "", status.Text)
	title := "$ " + text.Cut(text.Sanitize(msg.line), 60)
	return tea.Batch(p.load(p.dir), uikit.Emit(status), uikit.Open(uikit.NewText(p.env, title, lines)))
}

// exitText says how a program ended: "ended: exit status 2", or why it
// could not run.
func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() >= 0 {
			return fmt.Sprintf("ended: exit status %d", ee.ExitCode())
		}
		return "ended: " + text.Sanitize(ee.String())
	}
	if errors.Is(err, exec.ErrNotFound) {
		return "could not start: not found"
	}
	return "could not run: " + text.Sanitize(err.Error())
}

// firstLine is a program's first line of output as " (…)", for a status
// line ("" when it wrote nothing).
func firstLine(out []byte) string {
	l, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if l = strings.TrimSpace(l); l == "" {
		return ""
	}
	return " (" + text.Reply(l) + ")"
}
