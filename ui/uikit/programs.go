package uikit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// Programs starts the programs fsdeck hands files to: openers, which run
// beside the interface (waited for in a command), and editors and shells,
// which take the terminal while the interface is suspended (as on
// ctrl+z). Tests give a fake; the program uses SystemPrograms.
type Programs interface {
	// Run runs argv in dir beside the interface, its input empty, and
	// returns what it wrote (standard output and error together, the
	// first maxOutput bytes) and how it ended.
	Run(ctx context.Context, argv []string, dir string) (output []byte, err error)
	// Terminal runs argv in dir on the terminal, the interface suspended
	// until it exits; done turns how it ended into the message that
	// follows.
	Terminal(argv []string, dir string, done func(error) tea.Msg) tea.Cmd
	// LookPath finds a program as exec.LookPath does.
	LookPath(name string) (string, error)
}

// MaxProgramOutput bounds what Run keeps of a program's output.
const MaxProgramOutput = 1 << 20

// SystemPrograms runs real programs (os/exec, tea.ExecProcess).
func SystemPrograms() Programs { return systemPrograms{} }

type systemPrograms struct{}

func (systemPrograms) Run(ctx context.Context, argv []string, dir string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	out := &capped{max: MaxProgramOutput}
	cmd.Stdout, cmd.Stderr = out, out
	err := cmd.Run()
	return out.buf.Bytes(), err
}

func (systemPrograms) Terminal(argv []string, dir string, done func(error) tea.Msg) tea.Cmd {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return done(err) })
}

func (systemPrograms) LookPath(name string) (string, error) { return exec.LookPath(name) }

// capped keeps the first max bytes written to it and drops the rest
// (the program is never blocked or failed for writing more).
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

var _ io.Writer = (*capped)(nil)

// SystemOpener is the command that opens a file with the desktop's
// default application on goos (the file's path follows it).
func SystemOpener(goos string) []string {
	switch goos {
	case "darwin":
		return []string{"open"}
	case "windows":
		// start's first quoted argument is a window title.
		return []string{"cmd", "/c", "start", ""}
	default:
		return []string{"xdg-open"}
	}
}

// HostOpener is SystemOpener for the system fsdeck runs on.
func HostOpener() []string { return SystemOpener(runtime.GOOS) }

// Opener is one [opener] rule of config.toml: files whose name matches
// Pattern (an extension such as ".pdf" or "*.pdf", or a glob on the
// name) or whose MIME type does ("image/*", "application/pdf") open with
// Run, the file's path appended or put where "%s" is. Block: the program
// takes the terminal (an editor, a pager) and the interface suspends
// while it runs.
type Opener struct {
	Pattern string
	Run     []string
	Block   bool
}

// IsMIMEPattern reports whether an [opener] pattern names MIME types.
func IsMIMEPattern(p string) bool { return strings.Contains(p, "/") }

// MatchOpener is the first rule for a file named name of MIME type mime
// ("" when not known); false when none applies.
func MatchOpener(rules []Opener, name, mime string) (Opener, bool) {
	lower := strings.ToLower(name)
	for _, r := range rules {
		p := strings.ToLower(r.Pattern)
		if IsMIMEPattern(p) {
			if mime == "" {
				continue
			}
			base, _, _ := strings.Cut(strings.ToLower(mime), ";")
			if ok, _ := path.Match(p, strings.TrimSpace(base)); ok {
				return r, true
			}
			continue
		}
		if strings.HasPrefix(p, ".") {
			p = "*" + p
		}
		if ok, _ := filepath.Match(p, lower); ok {
			return r, true
		}
	}
	return Opener{}, false
}

// OpenerArgv is the command line of rule run on file: the path replaces
// each "%s" word, or follows the words when none is "%s".
func OpenerArgv(run []string, file string) []string {
	out := make([]string, 0, len(run)+1)
	put := false
	for _, w := range run {
		if w == "%s" {
			out = append(out, file)
			put = true
			continue
		}
		out = append(out, w)
	}
	if !put {
		out = append(out, file)
	}
	return out
}

// ErrNoEditor says neither $VISUAL nor $EDITOR is set.
var ErrNoEditor = errors.New("neither $VISUAL nor $EDITOR is set")

// EditorArgv is the editor command line for files: $VISUAL, else $EDITOR,
// split into words as a shell would split a plain line ("code -w" is
// code with -w), the files after it.
func EditorArgv(getenv func(string) string, files ...string) ([]string, error) {
	ed := strings.TrimSpace(getenv("VISUAL"))
	if ed == "" {
		ed = strings.TrimSpace(getenv("EDITOR"))
	}
	if ed == "" {
		return nil, ErrNoEditor
	}
	return append(strings.Fields(ed), files...), nil
}

// ShellArgv is the interactive shell: $SHELL, else sh (cmd on Windows,
// or %ComSpec%).
func ShellArgv(getenv func(string) string, goos string) []string {
	if goos == "windows" {
		if c := getenv("ComSpec"); c != "" {
			return []string{c}
		}
		return []string{"cmd"}
	}
	if s := strings.TrimSpace(getenv("SHELL")); s != "" {
		return []string{s}
	}
	return []string{"sh"}
}
