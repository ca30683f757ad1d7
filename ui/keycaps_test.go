package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Every remote-pane key the footer and the ? help list works on the
// target shown: refresh only where the service can read uploads back
// (GoFile cannot), import and store-from-URL only on Filestack. Footer
// and help agree.
func TestRemoteKeysFollowTargetCapabilities(t *testing.T) {
	he := newHostsEnv(t)
	m := startModel(t, he.deps(t.TempDir()))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}) // the remote pane
	for _, tc := range he.targets {
		m = switchTo(t, m, he, tc.Name)
		_, stats := tc.Host.(hosts.Stater)
		_, lists := tc.Host.(hosts.Lister)
		refresh := tc.Host == nil || (stats && tc.Caps.Stat) || (lists && tc.Caps.List)
		m.width = 400 // the whole footer fits
		footer := m.hintLine()
		m = press(t, m, keyRunes("?"))
		help := strings.Join(m.overlay.(uikit.Text).Lines(), "\n") // all of it, not the scrolled window
		m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
		for _, c := range []struct {
			what string
			on   bool
		}{{"refresh", refresh}, {"import handle", tc.Host == nil}, {"store from URL", tc.Host == nil}} {
			if got := strings.Contains(help, c.what); got != c.on {
				t.Errorf("%s: help lists %q: %v, want %v\n%s", tc.Name, c.what, got, c.on, help)
			}
		}
		if strings.Contains(footer, "refresh") && !refresh {
			t.Errorf("%s: footer lists refresh: %s", tc.Name, footer)
		}
	}
	if n := len(he.targets); n < 6 {
		t.Fatalf("only %d targets", n)
	}
}
