package ui

import (
	"strings"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// helpSection is one component's part of the help screen.
type helpSection struct {
	name string
	km   uikit.KeyHelp
}

// helpDialog is the ? screen, from the live key maps: remapped keys show
// as remapped, keys that cannot apply now are left out, movement keys show
// once (under the first section).
func helpDialog(e *env, sections []helpSection) uikit.Overlay {
	st := &e.styles
	var lines []string
	moving := map[string]bool{}
	for _, b := range e.keys.MovementKeys() {
		moving[b.Help().Desc] = true
	}
	for _, s := range sections {
		lines = append(lines, st.DialogTitle.Render(strings.ToUpper(s.name[:1])+s.name[1:]))
		seen := map[string]bool{}
		for _, group := range s.km.FullHelp() {
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
	return uikit.NewText(e.ui, "Keys ("+sections[0].name+" first)", lines)
}
