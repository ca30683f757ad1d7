package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

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

// u remapped to quit is quit: with a transfer running it asks, as q does.
func TestRemappedQuitKeyAsks(t *testing.T) {
	// ctrl+c, no longer in quit's keys, still quits as in the studio.
	for _, k := range []tea.KeyMsg{keyRunes("q"), keyRunes("u"), {Type: tea.KeyCtrlC}} {
		m, eng := remappedWith(t)
		// The engine's snapshot of one queued upload.
		eng.canned = &transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Queued}},
			Total: transfer.Totals{Files: 1, Queued: 1}}
		mm, _ := m.Update(transfers.TickMsg{})
		mm, cmd := mm.Update(k)
		m = mm.(*Model)
		if m.quitting {
			t.Fatalf("%s quit at once with a transfer running", k)
		}
		m = drain(t, m, cmd)
		if m.overlay == nil || !strings.Contains(ansi.Strip(m.overlay.View()), "Quit?") {
			t.Fatalf("%s did not ask before quitting:\n%s", k, ansi.Strip(m.View()))
		}
		m = press(t, m, keyRunes("y"))
		if !m.quitting {
			t.Fatalf("%s: y in the question did not quit", k)
		}
	}
}

// A start-up warning too long for 80 columns keeps its remedy on the
// status line, and the message log has it (and every start-up message).
func TestStartupNoticeRemedyAndLog(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	const notice = "config: /home/u/.config/fsdeck/config.toml:125: keys.bogus_option: unknown action; ignored (and 2 more: run `fsdeck config check`)"
	d := e.deps(fixtureTree(t))
	d.Notice = notice
	m := startModel(t, d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m = mm.(*Model)
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	status := lines[len(lines)-2]
	if !strings.Contains(status, "(and 2 more: run `fsdeck config check`)") || !strings.HasPrefix(status, "config: ") {
		t.Fatalf("status line at 80 columns: %q", status)
	}
	m = press(t, m, keyRunes("L"))
	log := strings.ReplaceAll(ansi.Strip(m.overlay.View()), "│", " ")
	// Wrapped to the 80-column dialog, nothing cut off.
	if strings.Contains(log, "no messages yet") || strings.Contains(log, "…") ||
		!strings.Contains(strings.Join(strings.Fields(log), " "), "keys.bogus_option: unknown action; ignored (and 2 more: run `fsdeck config check`)") {
		t.Fatalf("the log lacks the start-up message:\n%s", log)
	}
}

// The studio's field hints say what the keys do, and a refused value is
// the reason the URL line gives.
func TestStudioFieldHintsAndReason(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r"), tea.KeyMsg{Type: tea.KeyEnter})
	if !m.studio.Typing() {
		t.Fatal("enter did not edit the task")
	}
	hint := lastLine(ansi.Strip(m.View()))
	if strings.Contains(hint, "up up") || strings.Contains(hint, "down down") || !strings.Contains(hint, "next field") {
		t.Fatalf("hint line while editing: %q", hint)
	}
	for range 3 {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	}
	// The emptied field left resize without a width; "-5" is refused, so
	// the chain still lacks it, but the reason is the typed value.
	m = press(t, m, keyRunes("-"), keyRunes("5"))
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "invalid: width: -5 is out of range") || strings.Contains(v, "needs `width` or `height`") {
		t.Fatalf("URL line does not give the real reason:\n%s", v)
	}
}

// "checking … against the ledger…" is taken down when the check ends: not
// under the "already uploaded" question, nor after it.
func TestProgressMessageEndsWithItsStep(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("same bytes"), 0o600)
	m := startModel(t, e.deps(dir))
	m = request(t, m, dir, "a.txt")
	m = waitJob(t, m, transfer.Done)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("same bytes"), 0o600)
	m = request(t, m, dir, "b.txt")
	if m.overlay == nil || !strings.Contains(m.View(), "already uploaded") {
		t.Fatalf("no duplicate question:\n%s", m.View())
	}
	if strings.Contains(m.View(), "against the ledger") {
		t.Fatalf("the check's progress message stays under its question:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, keyRunes("s"))
	if strings.Contains(m.View(), "against the ledger") {
		t.Fatalf("the check's progress message stays after the answer:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, keyRunes("L"))
	if log := ansi.Strip(m.overlay.View()); !strings.Contains(log, "checking 1 file against the ledger") {
		t.Fatalf("the log lost the progress message:\n%s", log)
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
