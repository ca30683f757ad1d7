package localpane

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// TestMain draws without colours, so views compare as text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the clock of these tests: views never read the real time.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testEnv is an environment whose process environment is env's.
func testEnv(env map[string]string) *uikit.Env {
	return uikit.NewEnv(uikit.EnvOptions{Now: func() time.Time { return fixedNow }, Getenv: func(k string) string { return env[k] }})
}

// testTargets are a session's targets with Filestack alone.
func testTargets() uikit.Targets {
	return uikit.NewTargets(nil, "", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{}, uikit.ModeLocal, fstarget.Options{}), uikit.ModeLocal)
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func writeFile(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rowNames are the names the pane's rows show, in order (a directory's
// without its /, a link's without its @).
func rowNames(p *Pane) []string {
	lines := strings.Split(ansi.Strip(p.View()), "\n")
	var out []string
	for _, l := range lines[3 : len(lines)-2] {
		l = strings.Trim(l, "│")
		if len([]rune(l)) < 3 {
			continue
		}
		f := strings.Fields(string([]rune(l)[2:]))
		if len(f) == 0 {
			continue
		}
		out = append(out, strings.TrimRight(f[0], "/@"))
	}
	return out
}

// screen drives a pane as the root does: keys go to an open dialog first;
// every command runs to the end and its messages go to the pane and to the
// dialog; a dialog a command opens is kept.
type screen struct {
	t *testing.T
	p *Pane
	o uikit.Overlay
}

// press sends keys and runs what they start.
func (s *screen) press(keys ...tea.KeyMsg) {
	s.t.Helper()
	for _, k := range keys {
		if s.o != nil {
			var cmd tea.Cmd
			s.o, cmd = s.o.Update(k)
			s.run(cmd)
			continue
		}
		s.run(s.p.Update(k))
	}
}

// run runs a command tree, feeding its messages back.
func (s *screen) run(cmd tea.Cmd) {
	s.t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 200; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := runFor(s.t, c, 20*time.Second).(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case uikit.OpenMsg:
			s.o, _ = msg.Overlay.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		default:
			queue = append(queue, s.p.Update(msg))
			if s.o != nil {
				var next tea.Cmd
				s.o, next = s.o.Update(msg)
				queue = append(queue, next)
			}
		}
	}
}
