package dialog

import "github.com/fsdeck/fsdeck/ui/uikit"

// SwitchTargetMsg asks the root to show another target's files.
type SwitchTargetMsg struct{ Name string }

// Targets is the switcher: every target with where it is connected and
// what it accepts, the current one under the cursor.
func Targets(env *uikit.Env, t uikit.Targets) uikit.Overlay {
	items := make([]uikit.MenuItem, t.Len())
	for i := range t.Len() {
		tc := t.Conn(i)
		items[i] = uikit.MenuItem{Key: uikit.MenuKey(i), Label: uikit.TargetLabel(tc), Msg: SwitchTargetMsg{Name: tc.Name}}
	}
	return uikit.NewMenu(env, "Show files of…", items).WithCursor(t.Index())
}
