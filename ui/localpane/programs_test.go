package localpane

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// fakePrograms records what the pane starts. A terminal program is
// term, run in the command instead of on a real terminal.
type fakePrograms struct {
	mu      sync.Mutex
	runs    [][]string
	runDirs []string
	terms   [][]string
	termDir []string
	missing map[string]bool
	out     string
	err     error
	term    func(argv []string) error
}

func (f *fakePrograms) Run(_ context.Context, argv []string, dir string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs = append(f.runs, argv)
	f.runDirs = append(f.runDirs, dir)
	return []byte(f.out), f.err
}

func (f *fakePrograms) Terminal(argv []string, dir string, done func(error) tea.Msg) tea.Cmd {
	return func() tea.Msg {
		f.mu.Lock()
		f.terms = append(f.terms, argv)
		f.termDir = append(f.termDir, dir)
		term := f.term
		f.mu.Unlock()
		var err error
		if term != nil {
			err = term(argv)
		}
		return done(err)
	}
}

func (f *fakePrograms) LookPath(name string) (string, error) {
	if f.missing[name] {
		return "", exec.ErrNotFound
	}
	return name, nil
}

// programScreen is a pane over dir whose programs are f, on goos, with
// env as its process environment and openers as config.toml's rules.
func programScreen(t *testing.T, dir string, f uikit.Programs, goos string, env map[string]string, openers ...uikit.Opener) *screen {
	t.Helper()
	s := uikit.DefaultSettings()
	s.Openers = openers
	e := uikit.NewEnv(uikit.EnvOptions{Settings: s, Now: func() time.Time { return fixedNow },
		Getenv: func(k string) string { return env[k] }, Programs: f, GOOS: goos})
	p := New(e, testTargets(), Options{Dir: dir, NoWatch: true})
	p.SetSize(80, 20)
	p.Focus()
	sc := &screen{t: t, p: p}
	sc.run(p.Init())
	return sc
}

// statusOf runs cmd's tree and returns the last status message in it.
func lastStatus(t *testing.T, s *screen, keys ...tea.KeyMsg) uikit.StatusMsg {
	t.Helper()
	var got uikit.StatusMsg
	for _, k := range keys {
		var cmd tea.Cmd
		if s.o != nil {
			s.o, cmd = s.o.Update(k)
		} else {
			cmd = s.p.Update(k)
		}
		queue := []tea.Cmd{cmd}
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if c == nil {
				continue
			}
			switch msg := runFor(t, c, 20*time.Second).(type) {
			case tea.BatchMsg:
				queue = append(queue, msg...)
			case uikit.StatusMsg:
				got = msg
			case uikit.OpenMsg:
				s.o, _ = msg.Overlay.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
			case nil:
			default:
				queue = append(queue, s.p.Update(msg))
			}
		}
	}
	return got
}

// o opens the entry under the cursor with the system's opener of the
// platform, beside the interface, and says so.
func TestOpenWithSystemOpener(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	for goos, want := range map[string][]string{"linux": {"xdg-open"}, "freebsd": {"xdg-open"}, "darwin": {"open"},
		"windows": {"cmd", "/c", "start", ""}} {
		f := &fakePrograms{}
		s := programScreen(t, dir, f, goos, nil)
		st := lastStatus(t, s, keyRunes("o"))
		wantArgv := append(want, filepath.Join(dir, "a.txt"))
		if len(f.runs) != 1 || !slices.Equal(f.runs[0], wantArgv) || f.runDirs[0] != dir {
			t.Fatalf("%s: ran %q in %q, want %q", goos, f.runs, f.runDirs, wantArgv)
		}
		if st.Kind != uikit.StatusOK || st.Text != "opened a.txt with "+filepath.Base(want[0]) {
			t.Fatalf("%s: status %+v", goos, st)
		}
		if len(f.terms) != 0 {
			t.Fatalf("%s: the system opener took the terminal", goos)
		}
	}
}

// A missing opener and one that fails are said, naming the program and
// the file; nothing claims the file was opened.
func TestOpenMissingOrFailingOpener(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	f := &fakePrograms{missing: map[string]bool{"xdg-open": true}}
	st := lastStatus(t, programScreen(t, dir, f, "linux", nil), keyRunes("o"))
	if st.Kind != uikit.StatusErr || !strings.Contains(st.Text, "cannot open a.txt: xdg-open is not installed") || len(f.runs) != 0 {
		t.Fatalf("missing opener: %+v (ran %q)", st, f.runs)
	}
	f = &fakePrograms{err: errors.New("boom"), out: "no method available for opening 'a.txt'\n\x1b[31mmore\n"}
	st = lastStatus(t, programScreen(t, dir, f, "linux", nil), keyRunes("o"))
	if st.Kind != uikit.StatusErr || st.Text != "xdg-open could not open a.txt: could not run: boom (no method available for opening 'a.txt')" {
		t.Fatalf("failing opener: %+v", st)
	}
}

// [opener] rules pick the program by extension or MIME type, first match
// first; a block rule takes the terminal.
func TestOpenerRules(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "doc.PDF")
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# plain text\n"), 0o600)
	rules := []uikit.Opener{{Pattern: ".pdf", Run: []string{"zathura", "--fork"}},
		{Pattern: "text/*", Run: []string{"less", "-R", "%s", "+G"}, Block: true}}
	f := &fakePrograms{}
	s := programScreen(t, dir, f, "linux", nil, rules...)
	st := lastStatus(t, s, keyRunes("o"))
	if len(f.runs) != 1 || !slices.Equal(f.runs[0], []string{"zathura", "--fork", filepath.Join(dir, "doc.PDF")}) || st.Text != "opened doc.PDF with zathura" {
		t.Fatalf("by extension: ran %q, said %+v", f.runs, st)
	}
	st = lastStatus(t, s, keyRunes("j"), keyRunes("o"))
	if len(f.terms) != 1 || !slices.Equal(f.terms[0], []string{"less", "-R", filepath.Join(dir, "notes.md"), "+G"}) {
		t.Fatalf("by type, blocking: terminal ran %q (runs %q)", f.terms, f.runs)
	}
	if st.Text != "less: notes.md is unchanged" {
		t.Fatalf("after less: %+v", st)
	}
}

// e edits the file under the cursor (the marked ones when there are
// marks) in $VISUAL, else $EDITOR, on the terminal; the pane says whether
// the editor saved, and lists the directory again.
func TestEditInEditor(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	writeFile(t, dir, "b.txt")
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	f := &fakePrograms{term: func(argv []string) error {
		// The editor saves its last file and leaves a swap file.
		os.WriteFile(filepath.Join(dir, "new.swp"), nil, 0o600)
		return os.WriteFile(argv[len(argv)-1], []byte("edited"), 0o600)
	}}
	s := programScreen(t, dir, f, "linux", map[string]string{"EDITOR": "vi", "VISUAL": "code -w"})
	s.press(keyRunes("j"))
	st := lastStatus(t, s, keyRunes("e"))
	if len(f.terms) != 1 || !slices.Equal(f.terms[0], []string{"code", "-w", filepath.Join(dir, "a.txt")}) || f.termDir[0] != dir {
		t.Fatalf("editor ran %q in %q", f.terms, f.termDir)
	}
	if st.Kind != uikit.StatusOK || st.Text != "code: saved a.txt" {
		t.Fatalf("after the editor: %+v", st)
	}
	if !slices.Contains(rowNames(s.p), "new.swp") {
		t.Fatalf("not listed again after the editor: %v", rowNames(s.p))
	}
	// Marks: every marked file, directories left out.
	f.term = func([]string) error { return nil }
	s.press(keyRunes("g"), key1("space"), key1("space"), key1("space"))
	st = lastStatus(t, s, keyRunes("e"))
	if len(f.terms) != 2 || !slices.Equal(f.terms[1], []string{"code", "-w", filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}) {
		t.Fatalf("marked: editor ran %q", f.terms)
	}
	if st.Text != "code: 2 items (a.txt, b.txt) are unchanged" {
		t.Fatalf("unchanged: %+v", st)
	}
}

// No editor set, or one not installed: a clear message, nothing runs.
func TestEditWithoutEditor(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	f := &fakePrograms{}
	st := lastStatus(t, programScreen(t, dir, f, "linux", nil), keyRunes("e"))
	if st.Kind != uikit.StatusErr || !strings.Contains(st.Text, "neither $VISUAL nor $EDITOR is set") || len(f.terms) != 0 {
		t.Fatalf("no editor: %+v", st)
	}
	f = &fakePrograms{missing: map[string]bool{"nvim": true}}
	st = lastStatus(t, programScreen(t, dir, f, "linux", map[string]string{"EDITOR": "nvim"}), keyRunes("e"))
	if st.Kind != uikit.StatusErr || st.Text != "cannot run nvim for a.txt: nvim is not installed or not in $PATH" || len(f.terms) != 0 {
		t.Fatalf("editor not installed: %+v", st)
	}
}

// S starts $SHELL in the directory shown, on the terminal; coming back
// lists the directory again.
func TestShellHere(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	f := &fakePrograms{term: func([]string) error {
		return os.WriteFile(filepath.Join(dir, "made-in-shell"), nil, 0o600)
	}}
	s := programScreen(t, dir, f, "linux", map[string]string{"SHELL": "/bin/zsh"})
	st := lastStatus(t, s, keyRunes("S"))
	if len(f.terms) != 1 || !slices.Equal(f.terms[0], []string{"/bin/zsh"}) || f.termDir[0] != dir {
		t.Fatalf("shell ran %q in %q", f.terms, f.termDir)
	}
	if st.Text != "back from zsh" || !slices.Contains(rowNames(s.p), "made-in-shell") {
		t.Fatalf("after the shell: %+v, rows %v", st, rowNames(s.p))
	}
	f = &fakePrograms{}
	lastStatus(t, programScreen(t, dir, f, "linux", nil), keyRunes("S"))
	if len(f.terms) != 1 || !slices.Equal(f.terms[0], []string{"sh"}) {
		t.Fatalf("no $SHELL: ran %q, want sh", f.terms)
	}
}

// ! runs a command line with sh in the directory shown, the selection as
// $@ and in place of %s; its output (sanitised) and exit status are
// shown, and the pane lists the directory again.
func TestRunCommandLine(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("sh")
	}
	dir := t.TempDir()
	writeFile(t, dir, "a b.txt")
	writeFile(t, dir, "it's.txt")
	s := programScreen(t, dir, uikit.SystemPrograms(), runtime.GOOS, nil)
	s.press(key1("space"), key1("space"))
	line := `printf '[%s]\n' "$@"; ls %s > listed; printf 'esc:\033[2J\n'; exit 3`
	keys := []tea.KeyMsg{keyRunes("!"), {Type: tea.KeyRunes, Runes: []rune(line), Paste: true}, {Type: tea.KeyEnter}}
	st := lastStatus(t, s, keys...)
	if st.Kind != uikit.StatusWarn || st.Text != "command ended: exit status 3" {
		t.Fatalf("status %+v", st)
	}
	txt, ok := s.o.(uikit.Text)
	if !ok {
		t.Fatalf("no output dialog: %T", s.o)
	}
	got := strings.Join(txt.Lines(), "\n")
	want := "[" + filepath.Join(dir, "a b.txt") + "]\n[" + filepath.Join(dir, "it's.txt") + "]\nesc:␛[2J\n\ncommand ended: exit status 3"
	if got != want {
		t.Fatalf("output dialog:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(ansi.Strip(txt.View()), "\x1b[2J") {
		t.Fatal("the command's escape sequence reached the view")
	}
	listed, err := os.ReadFile(filepath.Join(dir, "listed"))
	if err != nil || string(listed) != filepath.Join(dir, "a b.txt")+"\n"+filepath.Join(dir, "it's.txt")+"\n" {
		t.Fatalf("%%s: listed %q, %v", listed, err)
	}
	if !slices.Contains(rowNames(s.p), "listed") {
		t.Fatalf("not listed again: %v", rowNames(s.p))
	}
}

// The command line's words per platform: sh -c with the files after $0,
// cmd /c with %s replaced on Windows.
func TestCommandArgv(t *testing.T) {
	got := CommandArgv("linux", "wc -l %s", []string{"/d/a b", "/d/it's"})
	want := []string{"sh", "-c", `wc -l '/d/a b' '/d/it'\''s'`, "fsdeck", "/d/a b", "/d/it's"}
	if !slices.Equal(got, want) {
		t.Fatalf("linux: %q", got)
	}
	if got := CommandArgv("linux", "printf '%s\\n' %s;echo %s%s", []string{"/a"}); got[2] != `printf '%s\n' '/a';echo %s%s` {
		t.Fatalf("%%s inside a word was replaced: %q", got[2])
	}
	if got := CommandArgv("windows", "type %s", []string{`C:\a b.txt`}); !slices.Equal(got, []string{"cmd", "/c", `type "C:\a b.txt"`}) {
		t.Fatalf("windows: %q", got)
	}
}
