package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// At 80 columns the hint line fits, is cut at no word, and ends with ? help,
// whatever has focus.
func TestHintLineFits(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 3)
	for _, w := range []int{60, 80, 120} {
		for _, keys := range [][]tea.KeyMsg{nil, {{Type: tea.KeyTab}}, {keyRunes("w")}} {
			m := newSync(e.deps(fixtureTree(t)))
			mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			m = press(t, drain(t, mm.(*Model), m.Init()), keys...)
			h := lastLine(m.View())
			if lipgloss.Width(h) > w || !strings.HasSuffix(h, "? help") || strings.Contains(h, "…") {
				t.Fatalf("width %d, focus %v: %q", w, m.focus, h)
			}
		}
	}
}

// remapped is a model whose config.toml says quit = ["q", "u"] (README's
// own example of a clash): u quits, so nothing may advertise u as upload.
func remapped(t *testing.T) *Model {
	t.Helper()
	m, _ := remappedWith(t)
	return m
}

// remappedWith is remapped whose engine's snapshots the test can set.
func remappedWith(t *testing.T) (*Model, *fakeEngine) {
	t.Helper()
	e := newTestEnv(t, emulator.Options{})
	c := store.DefaultConfig()
	c.Keys["quit"] = []string{"q", "u"}
	d := e.deps(fixtureTree(t))
	d.Settings = uikit.SettingsFrom(c)
	eng := withEngine(&d, transfer.Options{})
	return startModel(t, d), eng
}

// The hint line and ? show only what each key really does after a remap.
func TestShadowedKeyNotAdvertised(t *testing.T) {
	m := remapped(t)
	if hint := lastLine(ansi.Strip(m.View())); strings.Contains(hint, "u upload") {
		t.Fatalf("hint line advertises u upload: %q", hint)
	}
	m = press(t, m, keyRunes("?"))
	help := ansi.Strip(strings.Join(m.overlay.(uikit.Text).Lines(), "\n"))
	if regexp.MustCompile(`(?m)^ +u +upload$`).MatchString(help) {
		t.Fatalf("help lists u upload:\n%s", help)
	}
	for _, want := range []string{`(?m)^ +ctrl\+u +upload to…$`, `(?m)^ +q u ctrl\+c +quit$`} {
		if !regexp.MustCompile(want).MatchString(help) {
			t.Fatalf("help lacks %s:\n%s", want, help)
		}
	}
	// The remote pane's empty text names a key that still uploads.
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if v := ansi.Strip(m.View()); strings.Contains(v, "press u") {
		t.Fatalf("remote pane says press u:\n%s", v)
	}
}

// While a name or a filter is typed the hint line shows the field's keys,
// not the pane's (which are text there), nor ? help.
func TestHintLineWhileTyping(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "brand.png")
	for _, c := range []struct {
		keys []tea.KeyMsg
		want string
	}{
		{[]tea.KeyMsg{keyRunes("r")}, "enter rename · esc cancel · ctrl+w delete word"},
		{[]tea.KeyMsg{keyRunes("a")}, "enter create · esc cancel"},
		{[]tea.KeyMsg{keyRunes("/")}, "enter keep filter · esc clear filter"},
		{[]tea.KeyMsg{{Type: tea.KeyTab}, keyRunes("/")}, "enter keep filter · esc clear filter"},
	} {
		m, _ := opsModel(t, dir) // each case from the start: the components are pointers
		m = press(t, cursorTo(t, m, "brand.png"), c.keys...)
		hint := lastLine(ansi.Strip(m.View()))
		if !strings.HasPrefix(hint, c.want) || strings.Contains(hint, "upload") || strings.Contains(hint, "? help") || strings.Contains(hint, "quit") {
			t.Fatalf("after %v the hint line is %q, want it to start %q", c.keys, hint, c.want)
		}
	}
}

// Keys that arrive together ("jju") act one by one.
func TestBurstOfKeysIsSplit(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = mm.(*Model)
	m = drain(t, m, m.Init())
	mm, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if m := mm.(*Model); localCursor(m) != 2 {
		got := localCursor(m)
		t.Fatalf("cursor %d after \"jj\", want 2", got)
	}
}
