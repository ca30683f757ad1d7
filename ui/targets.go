package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// switchTargetMsg asks the root to show another target's files.
type switchTargetMsg struct{ name string }

// targetMenu is the switcher: every target with where it is connected
// and what it accepts, the current one under the cursor.
func targetMenu(e *env) uikit.Overlay {
	items := make([]uikit.MenuItem, e.targets.Len())
	for i := range e.targets.Len() {
		tc := e.targets.Conn(i)
		items[i] = uikit.MenuItem{Key: uikit.MenuKey(i), Label: uikit.TargetLabel(tc), Msg: switchTargetMsg{name: tc.Name}}
	}
	m := uikit.NewMenu(e.ui, "Show files of…", items)
	return m.WithCursor(e.targets.Index())
}

// switchTarget makes name the current target and remembers it for the
// next run; the root then has the panes reload (uikit.TargetSwitchedMsg).
func switchTarget(e *env, name string) tea.Cmd {
	switched, ok := e.targets.Switched(name)
	if !ok {
		return uikit.Emit(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "unknown target " + text.Sanitize(name)})
	}
	e.targets = switched
	tc := e.targets.Current()
	cmds := []tea.Cmd{uikit.Info("showing " + text.Sanitize(tc.Title) + " (" + text.Sanitize(uikit.Where(tc)) + ")")}
	if save := e.d.SaveTarget; save != nil {
		cmds = append(cmds, func() tea.Msg {
			if err := save(name); err != nil {
				return uikit.StatusMsg{Kind: uikit.StatusWarn, Text: "could not remember the target: " + err.Error()}
			}
			return nil
		})
	}
	return tea.Batch(cmds...)
}
