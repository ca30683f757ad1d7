package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

var (
	enterKey = tea.KeyMsg{Type: tea.KeyEnter}
)

// typeInto clears the open path prompt (ctrl+u) and types s.
func typeInto(t *testing.T, m *Model, s string) *Model {
	t.Helper()
	return press(t, m, tea.KeyMsg{Type: tea.KeyCtrlU}, keyRunes(s))
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

// Bookmarks can be removed from their menu.
func TestBookmarkRemoval(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	e.ledger.AddBookmark(ctx, "/tmp/one")
	e.ledger.AddBookmark(ctx, "/tmp/two")
	m := startModel(t, e.deps(fixtureTree(t)))
	m = press(t, m, keyRunes("'"))
	if !strings.Contains(m.View(), "x remove") {
		t.Fatalf("menu does not offer removal:\n%s", m.View())
	}
	m = press(t, m, keyRunes("x"))
	left, _ := e.ledger.Bookmarks(ctx)
	if len(left) != 1 || m.overlay == nil {
		t.Fatalf("bookmarks left %v, menu open %v", left, m.overlay != nil)
	}
}

// Show-hidden and the sort order are saved when changed and restored at
// the next start.
func TestViewRemembered(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	var saved store.ViewState
	d := e.deps(fixtureTree(t))
	d.SaveView = func(v store.ViewState) error { saved = v; return nil }
	press(t, startModel(t, d), keyRunes("."), keyRunes("s"), keyRunes("s"))
	if !saved.ShowHidden || saved.Sort != "size" || !saved.SortDesc {
		t.Fatalf("saved %+v", saved)
	}
	d.Settings.ShowHidden, d.Settings.Sort, d.Settings.SortDesc = saved.ShowHidden, saved.Sort, saved.SortDesc
	m := startModel(t, d)
	if !strings.Contains(m.local.View(), "hidden shown · size↓") {
		t.Fatalf("restored without hidden files shown, size descending:\n%s", m.local.View())
	}
}
