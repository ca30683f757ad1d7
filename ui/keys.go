package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every action's bindings; config.toml can remap each one.
// Help is generated from it, so what help shows is what works.
type KeyMap struct {
	// Global
	Quit, Help, SwitchPane, Transfers, Keys key.Binding
	// Movement (both panes)
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// Selection
	Mark, MarkRange, MarkAll, Filter key.Binding
	// Local pane
	Open, Parent, Hidden, Sort, Bookmark, Bookmarks key.Binding
	Upload                                          key.Binding
	// Remote pane
	Details, Copy, CopyAs, Refresh, Import, StoreURL key.Binding
	Download, Delete, Forget, Transform              key.Binding
	// Transfers
	Cancel, Pause, Retry, CancelAll, PauseAll, ClearDone key.Binding
}

// DefaultKeyMap is fsdeck's bindings out of the box.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], help))
	}
	return KeyMap{
		Quit:       b("quit", "q", "ctrl+c"),
		Help:       b("help", "?", "f1"),
		SwitchPane: b("switch pane", "tab", "shift+tab"),
		Transfers:  b("transfers", "w"),
		Keys:       b("API key", "K"),
		Up:         b("up", "up", "k"),
		Down:       b("down", "down", "j"),
		PageUp:     b("page up", "pgup", "ctrl+b"),
		PageDown:   b("page down", "pgdown", "ctrl+f"),
		Top:        b("top", "g", "home"),
		Bottom:     b("bottom", "G", "end"),
		Mark:       b("mark", " "),
		MarkRange:  b("mark range", "v"),
		MarkAll:    b("mark all", "ctrl+a"),
		Filter:     b("filter", "/"),
		Open:       b("open", "enter", "l", "right"),
		Parent:     b("parent dir", "backspace", "h", "left"),
		Hidden:     b("hidden files", "."),
		Sort:       b("sort", "s"),
		Bookmark:   b("bookmark dir", "m"),
		Bookmarks:  b("bookmarks", "'"),
		Upload:     b("upload", "u"),
		Details:    b("details", "enter", "i"),
		Copy:       b("copy URL", "y"),
		CopyAs:     b("copy as…", "Y"),
		Refresh:    b("refresh", "r"),
		Import:     b("import handle", "I"),
		StoreURL:   b("store from URL", "U"),
		Download:   b("download", "d"),
		Delete:     b("delete", "x", "delete"),
		Forget:     b("forget", "X"),
		Transform:  b("transform", "t"),
		Cancel:     b("cancel", "c"),
		Pause:      b("pause/resume", "p"),
		Retry:      b("retry", "R"),
		CancelAll:  b("cancel all", "C"),
		PauseAll:   b("pause all", "P"),
		ClearDone:  b("clear finished", "D"),
	}
}
