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
	"github.com/fsdeck/fsdeck/internal/text"
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

// A message longer than the line (a U error) is cut at a sentence or word
// boundary, never mid-word, sanitised, and the line says the log (L) has
// it whole; the log keeps every word.
func TestLongMessageCutAtBoundaryPointsToLog(t *testing.T) {
	s := New(testEnv(), uikit.NewTargets(nil, "", uikit.ConnTarget(uikit.TargetConn{Name: fstarget.Name, Title: "Filestack"}, uikit.Connection{}, uikit.ModeCloud, fstarget.Options{}), uikit.ModeCloud), Options{})
	msgs := []string{
		"upload of holiday-photos-2026.tar failed: the server closed the connection after 3 retries. Check the network and press U to resume the upload later",
		"upload of report\x1b[31mred\x1b[0m.pdf failed because the target refused the policy signature that was configured for this key and every retry",
		"copy failed: " + strings.Repeat("averyveryverylongwordwithoutanyspaces", 4),
	}
	for _, msg := range msgs {
		for _, w := range []int{40, 60, 80, 100} {
			s.SetSize(w, 1)
			s.Update(uikit.StatusMsg{Kind: uikit.StatusErr, Text: msg})
			v := s.View()
			if strings.ContainsRune(v, '\x1b') {
				t.Fatalf("unsanitised line %q", v)
			}
			if n := lipgloss.Width(v); n != w {
				t.Fatalf("width %d: line is %d wide: %q", w, n, v)
			}
			got := line(s)
			if !strings.HasSuffix(got, "… (L: full message)") {
				t.Fatalf("width %d: line does not point to the log: %q", w, got)
			}
			head := strings.TrimSuffix(got, " … (L: full message)")
			clean := text.Sanitize(msg)
			if strings.Contains(msg, "averyvery") {
				// One word wider than the room: cut, but the head is the message's start.
				if !strings.HasPrefix(clean, head) || len(head) < 5 {
					t.Fatalf("width %d: head %q", w, head)
				}
				continue
			}
			if !strings.HasPrefix(clean, head) || len(head) < 5 {
				t.Fatalf("width %d: head %q is not the message's start", w, head)
			}
			if next := clean[len(head)]; next != ' ' && next != '.' && next != ':' && next != ',' {
				t.Fatalf("width %d: cut mid-word: %q (next %q)", w, head, next)
			}
			if _, shown := s.Shown(); shown != msg {
				t.Fatalf("shown text changed: %q", shown)
			}
		}
	}
	for _, e := range s.Log() {
		if e.Text == msgs[0] {
			return
		}
	}
	t.Fatal("the log lost the full message")
}
