package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// ? lists the remote pane's t (transform) from the local pane, and the
// studio has a help screen of its own keys.
func TestHelpListsTransformAndStudioHelp(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r"), keyRunes("?"))
	v := m.View()
	if !strings.Contains(v, "Keys (transform studio first)") || !strings.Contains(v, "add task") || !strings.Contains(v, "store as new file") {
		t.Fatalf("studio help:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyEsc})
	if m.studio != nil {
		t.Fatal("esc did not close help and then the studio")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyShiftTab}, keyRunes("?"))
	help := strings.Join(m.overlay.(uikit.Text).Lines(), "\n")
	if !regexp.MustCompile(`\bt +transform`).MatchString(help) {
		t.Fatalf("help lacks t transform:\n%s", help)
	}
}

// boxRows finds the help box on the screen: the row of its title and the
// row of its footer.
func boxRows(t *testing.T, v string) (top, bottom int, lines []string) {
	t.Helper()
	lines = strings.Split(ansi.Strip(v), "\n")
	top, bottom = -1, -1
	for i, l := range lines {
		if strings.Contains(l, "Keys (local pane first)") {
			top = i
		}
		if strings.Contains(l, "esc close · ") && top >= 0 && bottom < 0 {
			bottom = i
		}
	}
	if top < 0 || bottom < 0 {
		t.Fatalf("no help box on the screen:\n%s", ansi.Strip(v))
	}
	return top, bottom, lines
}

// The ? screen stops scrolling at its last line and keeps its size and
// place, at every terminal size.
func TestHelpScrollStopsAtLastLine(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	for _, size := range [][2]int{{60, 16}, {80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := startModel(t, e.deps(fixtureTree(t)))
			mm, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			m = press(t, mm.(*Model), keyRunes("?"))
			top, bottom, _ := boxRows(t, m.View())
			lines := m.overlay.(uikit.Text).Lines()
			last := ansi.Strip(lines[len(lines)-1])
			for i := 0; i < 3*len(lines); i++ {
				m = press(t, m, tea.KeyMsg{Type: tea.KeyDown})
				t2, b2, _ := boxRows(t, m.View())
				if t2 != top || b2 != bottom {
					t.Fatalf("after %d downs the box moved from rows %d-%d to %d-%d:\n%s", i+1, top, bottom, t2, b2, ansi.Strip(m.View()))
				}
			}
			_, _, screen := boxRows(t, m.View())
			if !strings.Contains(screen[bottom-1], strings.TrimSpace(last)) {
				t.Fatalf("the last help line %q is not on the box's last row:\n%s", last, strings.Join(screen, "\n"))
			}
			// One up shows the line before: the offset did not run on past the end.
			m = press(t, m, tea.KeyMsg{Type: tea.KeyUp})
			_, _, screen = boxRows(t, m.View())
			if strings.Contains(screen[bottom-1], strings.TrimSpace(last)) && strings.TrimSpace(last) != "" {
				t.Fatalf("up after scrolling to the end did not move:\n%s", strings.Join(screen, "\n"))
			}
		})
	}
}
