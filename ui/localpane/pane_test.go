package localpane

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

func newTestLocal(t *testing.T, dir string) *Pane {
	t.Helper()
	p := New(testEnv(nil), testTargets(), Options{Dir: dir, NoWatch: true})
	p.SetSize(60, 20)
	p.Focus()
	p.Update(p.Init()())
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
func send(p *Pane, k string) tea.Msg {
	cmd := p.Update(key1(k))
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch msg.(type) {
	case localListedMsg, localViewMsg:
		p.Update(msg)
		return nil
	}
	return msg
}

func TestLocalPaneNavigationAndMarks(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	for _, n := range []string{"b.txt", "a.txt", ".hidden", "c.log"} {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "sub", "inner.txt"), []byte("x"), 0o600)
	p := newTestLocal(t, dir)
	names := func() string { return strings.Join(rowNames(p), ",") }
	if names() != "sub,a.txt,b.txt,c.log" {
		t.Fatalf("order %s (directories first, hidden off)", names())
	}
	send(p, ".")
	if !strings.Contains(names(), ".hidden") {
		t.Fatalf("hidden toggle: %s", names())
	}
	send(p, ".")
	send(p, "j")
	send(p, "space") // marks a.txt, moves to b.txt
	send(p, "j")
	send(p, "v") // range from a.txt to c.log
	sel := p.Selected()
	if len(sel) != 3 || filepath.Base(sel[0]) != "a.txt" || filepath.Base(sel[2]) != "c.log" {
		t.Fatalf("range marks: %v", sel)
	}
	send(p, "g")
	send(p, "enter") // into sub: marks persist
	if filepath.Base(p.Dir()) != "sub" || len(p.Selected()) != 3 {
		t.Fatalf("dir %s, %d marks", p.Dir(), len(p.Selected()))
	}
	send(p, "backspace")
	if cur, _ := p.Current(); p.Dir() != dir || cur.Name != "sub" {
		t.Fatalf("back to parent with the cursor on sub: %s", p.Dir())
	}
	send(p, "ctrl+a")
	if len(p.Selected()) != 4 {
		t.Fatalf("mark all: %d", len(p.Selected()))
	}
	send(p, "ctrl+a")
	if len(p.Selected()) != 1 { // none marked: the cursor item
		t.Fatalf("unmark all: %v", p.Selected())
	}
	msg := send(p, "u")
	if s, ok := msg.(uikit.StepMsg); ok { // counted while it is on its way (uikit.Steps)
		msg = s.Msg
	}
	if req, ok := msg.(uikit.UploadRequestMsg); !ok || len(req.Paths) != 1 || req.Base != dir {
		t.Fatalf("upload intent: %#v", msg)
	}
	cmd := p.SetFilter("cl")
	p.Update(cmd())
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
	p.Update(key1("enter"))
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
	cmd := p.Update(gotoDirMsg{dir: filepath.Join(dir, "missing")})
	if !strings.Contains(p.View(), "loading") {
		t.Fatalf("no loading state:\n%s", p.View())
	}
	next := p.Update(cmd())
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

// The same in the local pane, whose filter runs in a command.
func TestLocalFilterCursor(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"alpha.txt", "beta.txt", "gamma.txt", "zeta-notes.md", "zz.txt"} {
		writeFile(t, dir, n)
	}
	p := newTestLocal(t, dir)
	p.Update(key1("G"))
	for _, k := range []string{"/", "n", "o", "t"} {
		if cmd := p.Update(key1(k)); cmd != nil {
			p.Update(cmd())
		}
	}
	if cur, _ := p.Current(); cur.Name != "zeta-notes.md" || rowNames(p)[0] != cur.Name {
		t.Fatalf("cursor on %s, rows %q", cur.Name, rowNames(p))
	}
	p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	cmd := p.Update(tea.KeyMsg{Type: tea.KeyEsc})
	p.Update(cmd())
	if cur, _ := p.Current(); strings.Contains(p.View(), "match /") || len(rowNames(p)) != 5 || cur.Name != "zeta-notes.md" {
		t.Fatalf("after esc: rows %q, cursor on %s:\n%s", rowNames(p), cur.Name, p.View())
	}
}

// A size sort keeps directories first, in name order either way.
func TestSortBySizeWithDirectories(t *testing.T) {
	es := []uikit.LocalEntry{{Name: "b", IsDir: true, Size: 4096}, {Name: "small", Size: 1}, {Name: "a", IsDir: true, Size: 12288},
		{Name: "big", Size: 100}, {Name: "c", IsDir: true, Size: 64}}
	for _, desc := range []bool{false, true} {
		sortEntries(es, sortSize, desc)
		var got []string
		for _, e := range es {
			got = append(got, e.Name)
		}
		want := "a b c small big"
		if desc {
			want = "a b c big small"
		}
		if strings.Join(got, " ") != want {
			t.Fatalf("desc %v: %v", desc, got)
		}
	}
}

// After a mark, the rows v would mark are drawn and the footer says so.
func TestRangeIndicator(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a", "b", "c", "d"} {
		writeFile(t, dir, n)
	}
	p := newTestLocal(t, dir)
	p.Update(key1("space"))
	p.Update(key1("j"))
	v := p.View()
	if !strings.Contains(v, "v marks 3 (┆)") || strings.Count(v, "┆") != 3 {
		t.Fatalf("no range shown:\n%s", v)
	}
	p.Update(key1("v"))
	if v := p.View(); strings.Contains(v, "┆") || !strings.Contains(v, "3 marked") {
		t.Fatalf("after v:\n%s", v)
	}
}

// A new listing of the directory (a transfer's reload, a change on disk)
// while a filter is applied keeps showing the filtered rows and the cursor
// on its entry, also in the moment before the filter's new order comes:
// a key pressed then acts on the entry the user sees. (The pane used to
// show the unfiltered list with the cursor on its first row until then,
// and to move the cursor to the first match after.)
func TestRelistKeepsFilterAndCursor(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a-other.bin", "b-note-1.txt", "c-note-2.txt", "d-other.bin"} {
		writeFile(t, dir, n)
	}
	p := newTestLocal(t, dir)
	for _, k := range []string{"/", "n", "o", "t", "e"} {
		if cmd := p.Update(key1(k)); cmd != nil {
			p.Update(cmd())
		}
	}
	p.Update(tea.KeyMsg{Type: tea.KeyEnter})
	p.Update(key1("j"))
	if cur, _ := p.Current(); cur.Name != "c-note-2.txt" {
		t.Fatalf("cursor on %q, rows %q", cur.Name, rowNames(p))
	}
	writeFile(t, dir, "0-new.bin")
	listed := p.Update(uikit.LocalReloadMsg{})()
	refilter := p.Update(listed)
	// The filter's new order has not come yet.
	if cur, _ := p.Current(); cur.Name != "c-note-2.txt" || strings.Join(rowNames(p), " ") != "b-note-1.txt c-note-2.txt" {
		t.Fatalf("before the new order: cursor on %q, rows %q", cur.Name, rowNames(p))
	}
	if got := p.Selected(); len(got) != 1 || filepath.Base(got[0]) != "c-note-2.txt" {
		t.Fatalf("a key now would act on %q", got)
	}
	for _, m := range drainBatch(refilter) {
		p.Update(m)
	}
	if cur, _ := p.Current(); cur.Name != "c-note-2.txt" || strings.Join(rowNames(p), " ") != "b-note-1.txt c-note-2.txt" {
		t.Fatalf("after the new order: cursor on %q, rows %q", cur.Name, rowNames(p))
	}
}

// drainBatch runs cmd and the commands of any batch it returns, skipping
// the directory watch and other long waits, and returns their messages.
func drainBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			if c == nil {
				continue
			}
			if m := c(); m != nil {
				if _, ok := m.(localViewMsg); ok {
					out = append(out, m)
				}
			}
		}
		return out
	}
	return []tea.Msg{msg}
}

// Names sort naturally by default (file_2 before file_10); the sort
// menu's plain keeps the order digits had as text.
func TestNaturalSortByDefault(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"file_10.txt", "file_2.txt", "File_1.txt", "file_20.txt"} {
		writeFile(t, dir, n)
	}
	s := newScreen(t, dir)
	if got := strings.Join(rowNames(s.p), ","); got != "File_1.txt,file_2.txt,file_10.txt,file_20.txt" {
		t.Fatalf("default order: %s", got)
	}
	s.press(keyRunes("s"))
	if v := s.o.View(); !strings.Contains(v, "by name (file_2 before file_10)") || !strings.Contains(v, "digits as text") {
		t.Fatalf("sort menu:\n%s", v)
	}
	s.press(keyRunes("p"))
	if got := strings.Join(rowNames(s.p), ","); got != "File_1.txt,file_10.txt,file_2.txt,file_20.txt" {
		t.Fatalf("plain order: %s", got)
	}
	if !strings.Contains(s.p.View(), "plain↑") {
		t.Fatalf("footer does not name the order:\n%s", s.p.View())
	}
}
