package localpane

import (
	tea "github.com/charmbracelet/bubbletea"

	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

var (
	tabKey   = tea.KeyMsg{Type: tea.KeyTab}
	enterKey = tea.KeyMsg{Type: tea.KeyEnter}
)

func promptOf(t *testing.T, s *screen) *pathPrompt {
	t.Helper()
	o, ok := s.o.(*pathPrompt)
	if !ok {
		t.Fatalf("no path prompt open: %T", s.o)
	}
	return o
}

// typeInto clears the prompt and types text.
func typeInto(t *testing.T, s *screen, text string) {
	t.Helper()
	promptOf(t, s)
	s.press(tea.KeyMsg{Type: tea.KeyCtrlU}, keyRunes(text))
}

// Tab completes directories: the common prefix first, then cycling
// through the candidates; one candidate is taken whole; ~ is home.
func TestPathPromptCompletion(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	for _, d := range []string{"alpha", "alpine", "beta", ".hidden", "b\x1bad"} {
		os.Mkdir(filepath.Join(dir, d), 0o700)
	}
	os.WriteFile(filepath.Join(dir, "alfile"), nil, 0o600)
	os.Mkdir(filepath.Join(home, "docs"), 0o700)
	s := &screen{t: t, p: New(testEnv(map[string]string{"HOME": home}), testTargets(), Options{Dir: dir, NoWatch: true})}
	s.p.SetSize(60, 20)
	s.p.Focus()
	s.run(s.p.Init())
	s.press(keyRunes(":"))
	steps := []struct {
		key  tea.KeyMsg
		want string
	}{{keyRunes("al"), "al"}, {tabKey, "alp"}, {tabKey, "alpha/"}, {tabKey, "alpine/"}, {tabKey, "alpha/"}}
	for i, st := range steps {
		s.press(st.key)
		if got := promptOf(t, s).typed(); got != st.want {
			t.Fatalf("step %d: %q, want %q", i, got, st.want)
		}
	}
	if v := s.o.View(); !strings.Contains(v, "alpha/  alpine/") {
		t.Fatalf("candidates not shown:\n%s", v)
	}
	for _, c := range []struct{ typed, want string }{{"b", "beta/"}, {".h", ".hidden/"}, {"~", "~/docs/"}, {dir + "/be", dir + "/beta/"}} {
		typeInto(t, s, c.typed)
		s.press(tabKey)
		if got := promptOf(t, s).typed(); got != c.want {
			t.Fatalf("%q: completed to %q, want %q", c.typed, got, c.want)
		}
	}
	typeInto(t, s, "zz")
	s.press(tabKey)
	if o := promptOf(t, s); o.typed() != "zz" || o.problem() != "no directory starts with zz" {
		t.Fatalf("no match: %q, %q", o.typed(), o.problem())
	}
	// A name with control characters cannot be typed into the field; the
	// message says it is there rather than that nothing matches.
	os.Mkdir(filepath.Join(dir, "ev\x1b[31mdir"), 0o700)
	typeInto(t, s, "ev")
	s.press(tabKey)
	if o := promptOf(t, s); o.problem() != "1 directory starting with ev has control characters, which cannot be typed here: open it from the list" {
		t.Fatalf("untypable match: %q", o.problem())
	}
}

// Enter goes to the directory; errors say what is wrong and keep the
// prompt open with the text as typed.
func TestPathPromptErrors(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.Mkdir(filepath.Join(dir, "locked"), 0o000)
	defer os.Chmod(filepath.Join(dir, "locked"), 0o700)
	os.WriteFile(filepath.Join(dir, "file.txt"), nil, 0o600)
	s := &screen{t: t, p: New(testEnv(nil), testTargets(), Options{Dir: dir, NoWatch: true})}
	s.p.SetSize(60, 20)
	s.p.Focus()
	s.run(s.p.Init())
	s.press(keyRunes(":"))
	cases := []struct{ typed, want string }{
		{"nope/deeper", "no such file or directory: nope/deeper"},
		{"file.txt/x", "not a directory: file.txt/x"},
	}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		cases = append(cases, struct{ typed, want string }{"locked", "permission denied: locked"})
	}
	for _, c := range cases {
		typeInto(t, s, c.typed)
		s.press(enterKey)
		o := promptOf(t, s)
		if o.problem() != c.want || o.typed() != c.typed || !strings.Contains(o.View(), c.want) {
			t.Fatalf("%q: error %q, text %q", c.typed, o.problem(), o.typed())
		}
	}
	typeInto(t, s, "sub/../sub")
	s.press(enterKey)
	if s.o != nil || s.p.Dir() != filepath.Join(dir, "sub") {
		t.Fatalf("overlay %T, dir %s", s.o, s.p.Dir())
	}
}

// : on a file goes to its directory with the file under the cursor.
func TestPathPromptFileSelectsIt(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		os.WriteFile(filepath.Join(dir, "sub", n), nil, 0o600)
	}
	s := &screen{t: t, p: New(testEnv(nil), testTargets(), Options{Dir: dir, NoWatch: true})}
	s.p.SetSize(60, 20)
	s.p.Focus()
	s.run(s.p.Init())
	s.press(keyRunes(":"))
	typeInto(t, s, "sub/b.txt")
	s.press(enterKey)
	if cur, _ := s.p.Current(); s.o != nil || s.p.Dir() != filepath.Join(dir, "sub") || cur.Name != "b.txt" {
		t.Fatalf("overlay %T, dir %s, cursor on %q", s.o, s.p.Dir(), cur.Name)
	}
}

func TestPushRecent(t *testing.T) {
	var l []string
	for i := 0; i < 30; i++ {
		l = pushRecent(l, strconv.Itoa(i%25), recentMax)
	}
	if len(l) != recentMax || l[0] != "4" || l[1] != "3" || l[5] != "24" {
		t.Fatalf("%q", l)
	}
	if l = pushRecent(l, "10", recentMax); l[0] != "10" || len(l) != recentMax || strings.Count(strings.Join(l, ","), ",10,") != 0 {
		t.Fatalf("%q", l)
	}
}

// The directory watch follows every kind of navigation: after -, ~ and a
// jump (the path prompt, the recent list and bookmarks all send one), a
// file created in the new directory shows without a key press.
func TestWatchAfterNavigation(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	p := New(testEnv(map[string]string{"HOME": home}), testTargets(), Options{Dir: dir})
	p.SetSize(60, 20)
	p.Focus()
	var w *dirWatch
	w = watchedAt(t, p, p.Init(), dir, w)
	cmd := p.Update(gotoDirMsg{dir: filepath.Join(dir, "sub")})
	w = watchedAt(t, p, cmd, filepath.Join(dir, "sub"), w)
	cmd = p.Update(key1("-"))
	w = watchedAt(t, p, cmd, dir, w)
	cmd = p.Update(key1("~"))
	w = watchedAt(t, p, cmd, home, w)
	w.close()
}

// watchedAt lists what cmd loads, expects dir, and checks a new file in
// it is picked up by the watch.
func watchedAt(t *testing.T, p *Pane, cmd tea.Cmd, dir string, old *dirWatch) *dirWatch {
	t.Helper()
	if old != nil {
		defer old.close()
	}
	listed, ok := findMsg[localListedMsg](t, cmd)
	if !ok || listed.dir != dir {
		t.Fatalf("listed %q, want %q", listed.dir, dir)
	}
	cmd = p.Update(listed)
	started, ok := findMsg[watchStartedMsg](t, cmd)
	if !ok {
		t.Fatalf("%s is not watched", dir)
	}
	wait := p.Update(started)
	name := "new-" + strconv.Itoa(len(rowNames(p)))
	writeFile(t, dir, name)
	cmd = p.Update(runFor(t, wait, 5*time.Second))
	relisted, _ := findMsg[localListedMsg](t, cmd)
	if p.Update(relisted); !strings.Contains(p.View(), name) {
		t.Fatalf("%s not picked up in %s:\n%s", name, dir, p.View())
	}
	return started.watch
}

// The recent menu's keys are 1-9 then a-i, never j or k, which move its
// cursor.
func TestRecentMenuKeys(t *testing.T) {
	p := New(testEnv(nil), testTargets(), Options{Dir: "/here"})
	var dirs []string
	for i := 0; i < 20; i++ {
		dirs = append(dirs, "/d"+strconv.Itoa(i))
	}
	msg, ok := findMsg[uikit.OpenMsg](t, p.recentMenu(recentCheckedMsg{live: dirs}))
	if !ok {
		t.Fatal("no menu")
	}
	var keys []string
	for _, it := range msg.Overlay.(uikit.Menu).Items() {
		keys = append(keys, it.Key)
	}
	if got := strings.Join(keys, ","); got != "1,2,3,4,5,6,7,8,9,a,b,c,d,e,f,g,h,i,," {
		t.Fatalf("keys %s", got)
	}
	o, _ := msg.Overlay.Update(keyRunes("j"))
	if o.(uikit.Menu).Cursor() != 1 {
		t.Fatal("j does not move the cursor")
	}
}
