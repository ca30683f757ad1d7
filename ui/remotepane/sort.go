package remotepane

import "github.com/fsdeck/fsdeck/ui/uikit"

// sortMenu offers the remote orders; choosing the current one again
// reverses it.
func (p *Pane) sortMenu() uikit.Overlay {
	var items []uikit.MenuItem
	for i, name := range remoteSortNames {
		by := remoteSort(i)
		desc := by == rsortAdded
		if by == p.sortBy {
			desc = !p.desc
		}
		label := "by " + name
		switch by {
		case rsortName:
			label = "by name (file_2 before file_10)"
		case rsortPlain:
			label = "by name, digits as text (file_10 before file_2)"
		}
		items = append(items, uikit.MenuItem{Key: name[:1], Label: label + uikit.OrderHint(by == p.sortBy, desc),
			Cmd: uikit.Emit(remoteSortMsg{by: by, desc: desc})})
	}
	return uikit.NewMenu(p.env, "Sort remote files", items)
}

// remoteSortMsg applies a chosen order.
type remoteSortMsg struct {
	by   remoteSort
	desc bool
}
