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
		items = append(items, uikit.MenuItem{Key: name[:1], Label: "by " + name + uikit.OrderHint(by == p.sortBy, desc),
			Cmd: uikit.Emit(remoteSortMsg{by: by, desc: desc})})
	}
	return uikit.NewMenu(p.env, "Sort remote files", items)
}

// remoteSortMsg applies a chosen order.
type remoteSortMsg struct {
	by   remoteSort
	desc bool
}
