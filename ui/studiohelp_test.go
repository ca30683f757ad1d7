package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The studio's help lists its keys before a task exists, saying what the
// ones that need a task wait for; the hint line shows only what works.
func TestStudioHelpBeforeATask(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	if m.studio == nil || len(m.studio.Chain().Tasks) != 0 {
		t.Fatal("studio not open empty")
	}
	hint := lastLine(ansi.Strip(m.View()))
	if strings.Contains(hint, "remove task") {
		t.Fatalf("hint line offers remove with no task: %q", hint)
	}
	m = press(t, m, keyRunes("?"))
	help := ansi.Strip(strings.Join(m.overlay.(uikit.Text).Lines(), "\n"))
	for _, want := range []string{"add task", "edit task (a task with values)", "remove task (with a task)",
		"store as new file (a valid chain with a task)", "move task up (two tasks or more)", "move task down (two tasks or more)",
		"preview mode", "close studio", "ctrl+z"} {
		if !strings.Contains(help, want) {
			t.Errorf("studio help lacks %q:\n%s", want, help)
		}
	}
}
