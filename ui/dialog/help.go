package dialog

import (
	"strings"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Section is one component's part of the help screen.
type Section struct {
	Name string
	Keys uikit.KeyHelp
}

// Help is the ? screen, from the live key maps: remapped keys show as
// remapped, keys that cannot apply now are left out, movement keys show
// once (under the first section).
func Help(env *uikit.Env, sections []Section) uikit.Overlay {
	st := env.Styles()
	var lines []string
	moving := map[string]bool{}
	for _, b := range env.Keys().MovementKeys() {
		moving[b.Help().Desc] = true
	}
	for _, s := range sections {
		lines = append(lines, st.DialogTitle.Render(strings.ToUpper(s.Name[:1])+s.Name[1:]))
		seen := map[string]bool{}
		for _, group := range s.Keys.FullHelp() {
			for _, b := range group {
				id := b.Help().Desc + "\x00" + strings.Join(b.Keys(), " ")
				if !b.Enabled() || len(b.Keys()) == 0 || seen[id] {
					continue
				}
				seen[id] = true
				if moving[b.Help().Desc] {
					if moving[id] {
						continue
					}
					moving[id] = true
				}
				lines = append(lines, "  "+st.HelpKey.Render(uikit.Fit(uikit.PrettyKeys(b.Keys()), 22))+" "+st.HelpDesc.Render(b.Help().Desc))
			}
		}
		lines = append(lines, "")
	}
	// The blank line separates sections; after the last it would only
	// take a row.
	lines = lines[:len(lines)-1]
	return uikit.NewText(env, "Keys ("+sections[0].Name+" first)", lines)
}
