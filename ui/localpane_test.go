package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

func newTestLocal(t *testing.T, dir string) LocalPane {
	t.Helper()
	p := NewLocalPane(testEnvOf(Deps{}), dir, false)
	p.watcher = nil
	p.SetSize(60, 20)
	p.Focus()
	msg := p.Init()()
	p, _ = p.Update(msg)
	return p
}

func key1(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+a":
		return tea.KeyMsg{Type: tea.KeyCtrlA}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// send applies a key and runs (synchronously) the command it returns.
func send(p LocalPane, k string) (LocalPane, tea.Msg) {
	p, cmd := p.Update(key1(k))
	if cmd == nil {
		return p, nil
	}
	msg := cmd()
	switch msg.(type) {
	case localListedMsg, localViewMsg:
		p, _ = p.Update(msg)
		return p, nil
	}
	return p, msg
}

func TestLocalPaneNavigationAndMarks(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	for _, n := range []string{"b.txt", "a.txt", ".hidden", "c.log"} {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "sub", "inner.txt"), []byte("x"), 0o600)
	p := newTestLocal(t, dir)
	names := func() string {
		var out []string
		for _, i := range p.order {
			out = append(out, p.all[i].Name)
		}
		return strings.Join(out, ",")
	}
	if names() != "sub,a.txt,b.txt,c.log" {
		t.Fatalf("order %s (directories first, hidden off)", names())
	}
	p, _ = send(p, ".")
	if !strings.Contains(names(), ".hidden") {
		t.Fatalf("hidden toggle: %s", names())
	}
	p, _ = send(p, ".")
	p, _ = send(p, "j")
	p, _ = send(p, "space") // marks a.txt, moves to b.txt
	p, _ = send(p, "j")
	p, _ = send(p, "v") // range from a.txt to c.log
	sel := p.Selected()
	if len(sel) != 3 || filepath.Base(sel[0]) != "a.txt" || filepath.Base(sel[2]) != "c.log" {
		t.Fatalf("range marks: %v", sel)
	}
	p, _ = send(p, "g")
	p, _ = send(p, "enter") // into sub: marks persist
	if filepath.Base(p.Dir()) != "sub" || len(p.Selected()) != 3 {
		t.Fatalf("dir %s, %d marks", p.Dir(), len(p.Selected()))
	}
	p, _ = send(p, "backspace")
	if p.Dir() != dir || p.all[p.order[p.list.Cursor()]].Name != "sub" {
		t.Fatalf("back to parent with the cursor on sub: %s", p.Dir())
	}
	p, _ = send(p, "ctrl+a")
	if len(p.Selected()) != 4 {
		t.Fatalf("mark all: %d", len(p.Selected()))
	}
	p, _ = send(p, "ctrl+a")
	if len(p.Selected()) != 1 { // none marked: the cursor item
		t.Fatalf("unmark all: %v", p.Selected())
	}
	p, msg := send(p, "u")
	if s, ok := msg.(stepMsg); ok { // counted while it is on its way (preparing.go)
		msg = s.msg
	}
	if req, ok := msg.(uikit.UploadRequestMsg); !ok || len(req.Paths) != 1 || req.Base != dir {
		t.Fatalf("upload intent: %#v", msg)
	}
	cmd := p.SetFilter("cl")
	p, _ = p.Update(cmd())
	if names() != "c.log" {
		t.Fatalf("fuzzy filter: %s", names())
	}
	p.SetSort(sortSize, true)
}

func TestLocalPaneUnreadableDirectory(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getuid() == 0 {
		t.Skip("permissions do not stop root")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o000)
	defer os.Chmod(locked, 0o700)
	p := newTestLocal(t, dir)
	p, _ = p.Update(key1("enter"))
	if p.Dir() != locked {
		t.Fatal("pane should show the target while loading")
	}
}

// Opening a directory clears the pane at once ("loading…"), and a failure
// returns to the previous directory with a message.
func TestLocalPaneLoadingAndFailure(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "f"), nil, 0o600)
	p := newTestLocal(t, dir)
	p, cmd := p.Update(gotoDirMsg{dir: filepath.Join(dir, "missing")})
	if !strings.Contains(p.View(), "loading") {
		t.Fatalf("no loading state:\n%s", p.View())
	}
	p, next := p.Update(cmd())
	if p.Dir() != dir {
		t.Fatalf("after a failed open the pane shows %s", p.Dir())
	}
	var status string
	for _, m := range next().(tea.BatchMsg) {
		if s, ok := m().(uikit.StatusMsg); ok {
			status = s.Text
		}
	}
	if !strings.Contains(status, "cannot open") || !strings.Contains(status, "no longer exists") {
		t.Fatalf("status %q", status)
	}
}

// Hostile file names never put control bytes on the screen.
func TestLocalPaneHostileNames(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows forbids these names")
	}
	dir := t.TempDir()
	hostile := []string{"\x1b[2J\x1b[Hgotcha", "bell\a", "osc\x1b]52;c;aGk=\a", "nl\nname", "\u202eexe.txt", "\x9bc1"}
	for _, n := range hostile {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o600); err != nil {
			t.Skipf("filesystem refuses %q: %v", n, err)
		}
	}
	p := newTestLocal(t, dir)
	view := p.View()
	for _, r := range view {
		if r == 0x1b || r == '\a' || r == 0x9b || r == 0x202e {
			t.Fatalf("control %U reached the view:\n%q", r, view)
		}
	}
	if !strings.Contains(view, "␛[2J␛[Hgotcha") {
		t.Fatalf("name not shown visibly:\n%s", view)
	}
	if strings.Count(view, "\n") != 19 {
		t.Fatalf("a newline in a name broke the layout (%d lines)", strings.Count(view, "\n")+1)
	}
}
