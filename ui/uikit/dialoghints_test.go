package uikit

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// A menu's keys are shown whole (bookmarks: "x remove · esc close" was
// cut to "x remove · es…"): the menu widens for them, and where the
// terminal is too narrow they wrap between keys.
func TestMenuHintFits(t *testing.T) {
	e := NewEnv(EnvOptions{})
	items := []MenuItem{{Key: "1", Label: "/tmp/a", Remove: Emit(nil)}}
	for _, w := range []int{100, 42} {
		o, _ := NewMenu(e, "Bookmarks", items).Update(tea.WindowSizeMsg{Width: w, Height: 30})
		v := ansi.Strip(o.View())
		want := "key or enter choose · x remove · esc close"
		if w < 50 {
			want = "key or enter choose · x remove │\n│ esc close"
		}
		if strings.Contains(v, "…") || !strings.Contains(strings.ReplaceAll(v, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Fatalf("width %d: the hint is cut:\n%s", w, v)
		}
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > w {
				t.Fatalf("width %d: a line is %d wide:\n%s", w, ansi.StringWidth(l), v)
			}
		}
	}
}

// Every dialog says esc "close", on its own footer and on the hint line
// alike (the input dialogs said "cancel" in the dialog, "close" below).
func TestInputHintWording(t *testing.T) {
	e := NewEnv(EnvOptions{})
	o, _ := NewInput(e, "Import a handle", "", "handle", false, func(string) tea.Cmd { return nil }).Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := ansi.Strip(o.View())
	if !strings.Contains(v, "enter confirm · esc close") || strings.Contains(v, "cancel") {
		t.Fatalf("input footer:\n%s", v)
	}
	if got := FooterOf(o.Keys().Short); got != "enter confirm · esc close" {
		t.Fatalf("hint line %q", got)
	}
}
