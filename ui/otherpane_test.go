package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// A key of the other pane says whose it is and how to get there; keys
// the focused pane has (or that neither has) say nothing of the kind.
func TestOtherPanesKeySaysWhose(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	for _, c := range []struct {
		remote bool
		key    string
		want   string
	}{
		{true, "u", "u is the local pane's key (upload): tab switches to it"},
		{true, "a", "a is the local pane's key (new file (…/ for a dir)): tab switches to it"},
		{true, "P", "P is the local pane's key (preview pane): tab switches to it"},
		{true, ":", ": is the local pane's key (go to path): tab switches to it"},
		{false, "t", "t is the remote pane's key (transform): tab switches to it"},
		{false, "Y", "Y is the remote pane's key (copy as…): tab switches to it"},
		{true, "j", ""},
		{true, "Q", ""},
		{false, "j", ""},
	} {
		m := startModel(t, e.deps(fixtureTree(t)))
		if c.remote {
			m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
		}
		m = press(t, m, keyRunes(c.key))
		if got := statusText(m); got != c.want && (c.want != "" || got != "") {
			t.Errorf("%s in the %v pane: status %q, want %q", c.key, map[bool]string{true: "remote", false: "local"}[c.remote], got, c.want)
		}
	}
}
