package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// esc in a studio field keeps the last valid value: backspacing width
// 300 to nothing (3 was the last valid step) and typing a letter, then
// esc, leaves width 3, not a resize with no size; 300x then esc leaves
// 300; a valid value typed before esc stays.
func TestStudioEscKeepsLastValidValue(t *testing.T) {
	m, _, _, handle := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r")) // resize=width:300
	bs := tea.KeyMsg{Type: tea.KeyBackspace}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter}, bs, bs, bs, keyRunes("x"), tea.KeyMsg{Type: tea.KeyEscape})
	if got, err := m.studio.Chain().Format(), m.studio.Chain().Validate(); got != "/resize=width:3/"+handle || err != nil {
		t.Fatalf("after esc from an invalid width: %s (%v)", got, err)
	}
	if m.studio.Typing() || strings.Contains(m.View(), "expected an integer") {
		t.Fatalf("esc left the field open or its error shown:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter}, keyRunes("0"), keyRunes("0"), keyRunes("x"), tea.KeyMsg{Type: tea.KeyEscape})
	if got := m.studio.Chain().Format(); got != "/resize=width:300/"+handle {
		t.Fatalf("300x then esc: %s", got)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter}, bs, keyRunes("5"), tea.KeyMsg{Type: tea.KeyEscape})
	if got := m.studio.Chain().Format(); got != "/resize=width:305/"+handle {
		t.Fatalf("a valid value typed before esc: %s", got)
	}
}
