package status

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	fstarget "github.com/fsdeck/fsdeck/internal/hosts/filestack"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/internal/clipboard"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// TestMain draws without colours, so views compare as text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the clock of these tests.
var fixedNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func testEnv() *uikit.Env {
	return uikit.NewEnv(uikit.EnvOptions{Now: func() time.Time { return fixedNow }})
}

// line is the status line as drawn, without its padding.
func line(s *Status) string { return strings.TrimRight(s.View(), " ") }

// Info fades after a while; an error stays until the next key; the log
// keeps both with their time, in full.
func TestStatusFadesAndLog(t *testing.T) {
	var fades []tea.Msg
	s := New(testEnv(), uikit.NewTargets(nil, "", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{}, uikit.ModeCloud, fstarget.Options{}), uikit.ModeCloud), Options{Tick: func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { msg := fn(fixedNow); fades = append(fades, msg); return msg }
	}})
	s.SetSize(400, 1)
	cmd := s.Update(uikit.StatusMsg{Kind: uikit.StatusOK, Text: "copied"})
	s.Update(cmd())
	if line(s) != "" {
		t.Fatalf("info did not fade: %q", line(s))
	}
	long := "upload of x failed: " + strings.Repeat("very long reason ", 12) + "END"
	if cmd = s.Update(uikit.StatusMsg{Kind: uikit.StatusErr, Text: long}); cmd != nil {
		t.Fatal("an error must not fade")
	}
	if s.Update(fades[0]); line(s) != long {
		t.Fatal("an older fade cleared the error")
	}
	s.SetSize(120, 1)
	log := s.LogDialog()
	log, _ = log.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	v := log.View()
	if !strings.Contains(v, "12:00:00") || !strings.Contains(v, "copied") || !strings.Contains(v, "END") {
		t.Fatalf("log:\n%s", v)
	}
	s.SetSize(400, 1)
	if s.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}); line(s) != "" {
		t.Fatal("the error outlived the next key")
	}
	for i := 0; i < 150; i++ {
		s.Update(uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "w"})
	}
	if n := len(s.Log()); n != LogSize {
		t.Fatalf("log holds %d", n)
	}
}

// Without a clipboard environment (an embedder or a test that gave none)
// nothing is run; OSC 52 is still sent and reported as sent.
func TestCopyWithoutEnvRunsNothing(t *testing.T) {
	getenv := func(k string) string {
		if k == "TMUX" {
			return "/tmp/tmux-1/default,1,0"
		}
		return ""
	}
	var term bytes.Buffer
	msg := uikit.Copy(uikit.NewEnv(uikit.EnvOptions{Getenv: getenv, Term: &term}), "x", "URL")().(uikit.CopiedMsg)
	if msg.Report.TmuxBuffer || msg.Report.Tool != "" || msg.Report.Sent != clipboard.TmuxPassthrough {
		t.Fatalf("report %+v", msg.Report)
	}
	if c := copied(msg); c.Kind != uikit.StatusWarn || !strings.HasPrefix(c.Text, "sent OSC 52 through tmux") {
		t.Fatalf("status %v %q", c.Kind, c.Text)
	}
}
