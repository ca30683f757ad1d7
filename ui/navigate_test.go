package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

var (
	tabKey   = tea.KeyMsg{Type: tea.KeyTab}
	enterKey = tea.KeyMsg{Type: tea.KeyEnter}
)

func promptOf(t *testing.T, m Model) *pathPrompt {
	t.Helper()
	o, ok := m.overlay.(*pathPrompt)
	if !ok {
		t.Fatalf("no path prompt open: %T", m.overlay)
	}
	return o
}

// typeInto clears the prompt and types s.
func typeInto(t *testing.T, m Model, s string) Model {
	t.Helper()
	promptOf(t, m).setText("")
	return press(t, m, keyRunes(s))
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
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(dir)
	d.Getenv = func(k string) string { return map[string]string{"HOME": home}[k] }
	m := press(t, startModel(t, d), keyRunes(":"))
	steps := []struct {
		key  tea.KeyMsg
		want string
	}{{keyRunes("al"), "al"}, {tabKey, "alp"}, {tabKey, "alpha/"}, {tabKey, "alpine/"}, {tabKey, "alpha/"}}
	for i, s := range steps {
		m = press(t, m, s.key)
		if got := promptOf(t, m).input.Value(); got != s.want {
			t.Fatalf("step %d: %q, want %q", i, got, s.want)
		}
	}
	if v := m.View(); !strings.Contains(v, "alpha/  alpine/") {
		t.Fatalf("candidates not shown:\n%s", v)
	}
	for _, c := range []struct{ typed, want string }{{"b", "beta/"}, {".h", ".hidden/"}, {"~", "~/docs/"}, {dir + "/be", dir + "/beta/"}} {
		m = press(t, typeInto(t, m, c.typed), tabKey)
		if got := promptOf(t, m).input.Value(); got != c.want {
			t.Fatalf("%q: completed to %q, want %q", c.typed, got, c.want)
		}
	}
	m = press(t, typeInto(t, m, "zz"), tabKey)
	if o := promptOf(t, m); o.input.Value() != "zz" || o.errText != "no directory starts with zz" {
		t.Fatalf("no match: %q, %q", o.input.Value(), o.errText)
	}
	// A name with control characters cannot be typed into the field; the
	// message says it is there rather than that nothing matches.
	os.Mkdir(filepath.Join(dir, "ev\x1b[31mdir"), 0o700)
	m = press(t, typeInto(t, m, "ev"), tabKey)
	if o := promptOf(t, m); o.errText != "1 directory starting with ev has control characters, which cannot be typed here: open it from the list" {
		t.Fatalf("untypable match: %q", o.errText)
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
	e := newTestEnv(t, emulatorOpts())
	m := press(t, startModel(t, e.deps(dir)), keyRunes(":"))
	cases := []struct{ typed, want string }{
		{"file.txt", "not a directory: file.txt"},
		{"nope/deeper", "no such file or directory: nope/deeper"},
		{"file.txt/x", "not a directory: file.txt/x"},
	}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		cases = append(cases, struct{ typed, want string }{"locked", "permission denied: locked"})
	}
	for _, c := range cases {
		m = press(t, typeInto(t, m, c.typed), enterKey)
		o := promptOf(t, m)
		if o.errText != c.want || o.input.Value() != c.typed || !strings.Contains(m.View(), c.want) {
			t.Fatalf("%q: error %q, text %q", c.typed, o.errText, o.input.Value())
		}
	}
	m = press(t, typeInto(t, m, "sub/../sub"), enterKey)
	if m.overlay != nil || m.local.Dir() != filepath.Join(dir, "sub") {
		t.Fatalf("overlay %T, dir %s", m.overlay, m.local.Dir())
	}
}

// - toggles between the last two directories like cd -; ~ goes home.
func TestPreviousAndHomeDir(t *testing.T) {
	dir, home := t.TempDir(), t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(dir)
	d.Getenv = func(k string) string { return map[string]string{"HOME": home}[k] }
	m := startModel(t, d)
	m = press(t, m, keyRunes("-"))
	if m.local.Dir() != dir || !strings.Contains(m.View(), "no previous directory yet") {
		t.Fatalf("- at start: %s\n%s", m.local.Dir(), m.View())
	}
	m = press(t, m, enterKey) // into sub
	for i, want := range []string{dir, filepath.Join(dir, "sub"), dir} {
		if m = press(t, m, keyRunes("-")); m.local.Dir() != want {
			t.Fatalf("- #%d: %s, want %s", i+1, m.local.Dir(), want)
		}
	}
	if m = press(t, m, keyRunes("~")); m.local.Dir() != home {
		t.Fatalf("~: %s", m.local.Dir())
	}
	if m = press(t, m, keyRunes("-")); m.local.Dir() != dir {
		t.Fatalf("- after ~: %s", m.local.Dir())
	}
}

// The recent list is most recent first, without duplicates, saved in
// view.json with the preview toggle, and restored at the next start; its
// menu leaves out the directory shown and vanished directories (which
// are dropped from the list).
func TestRecentDirsPersisted(t *testing.T) {
	dir := t.TempDir()
	for _, s := range []string{"a", "b", "gone"} {
		os.Mkdir(filepath.Join(dir, s), 0o700)
	}
	viewFile := filepath.Join(t.TempDir(), "view.json")
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(dir)
	d.SaveView = func(v store.ViewState) error { return store.SaveViewState(viewFile, v) }
	m := startModel(t, d)
	for _, sub := range []string{"a", "b", "gone", "a"} {
		m = press(t, m, keyRunes(":"))
		m = press(t, typeInto(t, m, filepath.Join(dir, sub)), enterKey)
	}
	if m = press(t, m, keyRunes("P")); !m.previewShown() {
		t.Fatal("P did not show the preview")
	}
	v, ok, err := store.LoadViewState(viewFile)
	want := []string{"a", "gone", "b", ""}
	for i, w := range want {
		want[i] = filepath.Join(dir, w)
	}
	if !ok || err != nil || !v.Preview || strings.Join(v.RecentDirs, "|") != strings.Join(want, "|") {
		t.Fatalf("saved %+v (%v %v), want recent %q", v, ok, err, want)
	}

	os.Remove(filepath.Join(dir, "gone"))
	d.Settings.ShowPreview, d.Settings.RecentDirs = v.Preview, v.RecentDirs
	d.StartDir = filepath.Join(dir, "b")
	m = startModel(t, d)
	if !m.previewShown() {
		t.Fatal("the preview toggle was not restored")
	}
	m = press(t, m, keyRunes("H"))
	menu, ok := m.overlay.(uikit.Menu)
	if !ok {
		t.Fatalf("no recent menu: %T\n%s", m.overlay, m.View())
	}
	var labels []string
	for _, it := range menu.Items() {
		labels = append(labels, it.Label)
	}
	if strings.Join(labels, "|") != filepath.Join(dir, "a")+"|"+dir {
		t.Fatalf("menu %q", labels)
	}
	v, _, _ = store.LoadViewState(viewFile)
	if strings.Join(v.RecentDirs, "|") != strings.Join([]string{filepath.Join(dir, "b"), filepath.Join(dir, "a"), dir}, "|") {
		t.Fatalf("vanished directory kept: %q", v.RecentDirs)
	}
	if m = press(t, m, keyRunes("2")); m.local.Dir() != dir {
		t.Fatalf("chose %s", m.local.Dir())
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
	p := NewLocalPane(testEnvOf(Deps{Getenv: func(k string) string { return map[string]string{"HOME": home}[k] }}), dir, false)
	p.SetSize(60, 20)
	p.Focus()
	var w *dirWatch
	p, w = watchedAt(t, p, p.Init(), dir, w)
	p, cmd := p.Update(gotoDirMsg{dir: filepath.Join(dir, "sub")})
	p, w = watchedAt(t, p, cmd, filepath.Join(dir, "sub"), w)
	p, cmd = p.Update(key1("-"))
	p, w = watchedAt(t, p, cmd, dir, w)
	p, cmd = p.Update(key1("~"))
	_, w = watchedAt(t, p, cmd, home, w)
	w.close()
}

// watchedAt lists what cmd loads, expects dir, and checks a new file in
// it is picked up by the watch.
func watchedAt(t *testing.T, p LocalPane, cmd tea.Cmd, dir string, old *dirWatch) (LocalPane, *dirWatch) {
	t.Helper()
	if old != nil {
		defer old.close()
	}
	listed, ok := findMsg[localListedMsg](t, cmd)
	if !ok || listed.dir != dir {
		t.Fatalf("listed %q, want %q", listed.dir, dir)
	}
	p, cmd = p.Update(listed)
	started, ok := findMsg[watchStartedMsg](t, cmd)
	if !ok {
		t.Fatalf("%s is not watched", dir)
	}
	p, wait := p.Update(started)
	name := "new-" + strconv.Itoa(len(p.all))
	writeFile(t, dir, name)
	p, cmd = p.Update(runFor(t, wait, 5*time.Second))
	relisted, _ := findMsg[localListedMsg](t, cmd)
	if p, _ = p.Update(relisted); !strings.Contains(p.View(), name) {
		t.Fatalf("%s not picked up in %s:\n%s", name, dir, p.View())
	}
	return p, started.watch
}

// The recent menu's keys are 1-9 then a-i, never j or k, which move its
// cursor.
func TestRecentMenuKeys(t *testing.T) {
	p := NewLocalPane(testEnvOf(Deps{}), "/here", false)
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
