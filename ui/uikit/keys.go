package uikit

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// KeyMap holds every action's bindings; config.toml can remap each one.
// Each component shows a slice of it (its own help.KeyMap), so what the
// hint line and the help screen show is what works.
type KeyMap struct {
	// Global
	Quit, Help, SwitchPane, Transfers, Keys, Log key.Binding
	// SwitchTarget picks whose files the remote pane shows (and where u
	// uploads by default).
	SwitchTarget key.Binding
	// Movement (both panes)
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	// Selection
	Mark, MarkRange, MarkAll, Filter key.Binding
	// Local pane
	Open, Parent, Hidden, Sort, Bookmark, Bookmarks key.Binding
	Upload, UploadTo                                key.Binding
	// Local pane: preview and navigation
	Preview, GoToPath, HomeDir, PreviousDir, RecentDirs key.Binding
	PreviewDown, PreviewUp                              key.Binding
	// Local pane: find below, mark and unmark by glob, directory sizes
	Find, MarkGlob, UnmarkGlob, DirSizes key.Binding
	// Local file operations
	Rename, NewFile, NewDir, Yank, Cut, Paste key.Binding
	Trash, DeleteForever, Undo, Reload        key.Binding
	// Local pane: other programs (opener, editor, command line, shell)
	OpenFile, Edit, Command, Shell, BulkRename key.Binding
	// Remote pane
	Details, Copy, CopyAs, Refresh, Import, StoreURL key.Binding
	Download, Delete, Forget, Transform              key.Binding
	// Transfers
	Cancel, Pause, Retry, CancelAll, PauseAll, ClearDone key.Binding
	// Transform studio
	StudioAdd, StudioEdit, StudioRemove, StudioMoveUp, StudioMoveDown key.Binding
	StudioPreview, StudioStore, StudioClose                           key.Binding
	// Dialogs and menus
	Confirm, Deny, Choose, Close, Hashes, RemoveItem key.Binding
}

// DefaultKeyMap is fsdeck's bindings out of the box.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(PrettyKeys(keys[:1]), help))
	}
	return KeyMap{
		Quit:           b("quit", "q", "ctrl+c"),
		Help:           b("help", "?", "f1"),
		SwitchPane:     b("switch pane", "tab", "shift+tab"),
		Transfers:      b("transfers", "w"),
		Keys:           b("API key", "ctrl+k"),
		Log:            b("message log", "L"),
		SwitchTarget:   b("switch target", "T"),
		Up:             b("up", "up", "k"),
		Down:           b("down", "down", "j"),
		PageUp:         b("page up", "pgup", "ctrl+b"),
		PageDown:       b("page down", "pgdown"),
		Top:            b("top", "g", "home"),
		Bottom:         b("bottom", "G", "end"),
		Mark:           b("mark", " "),
		MarkRange:      b("mark range", "v"),
		MarkAll:        b("mark all", "ctrl+a"),
		Filter:         b("filter", "/"),
		Open:           b("open", "enter", "l", "right"),
		Parent:         b("parent dir", "backspace", "h", "left"),
		Hidden:         b("hidden files", "."),
		Sort:           b("sort", "s"),
		Bookmark:       b("bookmark dir", "m"),
		Bookmarks:      b("bookmarks", "'"),
		Upload:         b("upload", "u"),
		UploadTo:       b("upload to…", "ctrl+u"),
		Preview:        b("preview pane", "P"),
		PreviewDown:    b("scroll preview down", "J"),
		PreviewUp:      b("scroll preview up", "K"),
		GoToPath:       b("go to path", ":"),
		HomeDir:        b("home dir", "~"),
		PreviousDir:    b("previous dir", "-"),
		RecentDirs:     b("recent dirs", "H"),
		Find:           b("find below", "ctrl+f"),
		MarkGlob:       b("mark matching…", "+"),
		UnmarkGlob:     b("unmark matching…", "\\"),
		DirSizes:       b("directory sizes", "="),
		Rename:         b("rename", "r", "f2"),
		NewFile:        b("new file (…/ for a dir)", "a"),
		NewDir:         b("new directory", "A"),
		Yank:           b("yank (copy)", "y"),
		Cut:            b("cut", "x"),
		Paste:          b("paste", "p"),
		Trash:          b("trash", "d", "delete"),
		DeleteForever:  b("delete permanently", "D"),
		Undo:           b("undo", "z"),
		Reload:         b("list again", "ctrl+r", "f5"),
		OpenFile:       b("open with app", "o"),
		Edit:           b("edit in $EDITOR", "e"),
		Command:        b("run command", "!"),
		Shell:          b("shell here", "S"),
		BulkRename:     b("bulk rename in $EDITOR", "R"),
		Details:        b("details", "enter", "i"),
		Copy:           b("copy URL", "y"),
		CopyAs:         b("copy as…", "Y"),
		Refresh:        b("refresh", "r"),
		Import:         b("import handle", "I"),
		StoreURL:       b("store from URL", "U"),
		Download:       b("download", "d"),
		Delete:         b("delete", "x", "delete"),
		Forget:         b("forget", "X"),
		Transform:      b("transform", "t"),
		Cancel:         b("cancel", "c"),
		Pause:          b("pause/resume", "p"),
		Retry:          b("retry", "R"),
		CancelAll:      b("cancel all", "C"),
		PauseAll:       b("pause all", "P"),
		ClearDone:      b("clear finished", "D"),
		StudioAdd:      b("add task", "a"),
		StudioEdit:     b("edit task", "enter"),
		StudioRemove:   b("remove task", "x", "delete"),
		StudioMoveUp:   b("move task up", "K", "shift+up"),
		StudioMoveDown: b("move task down", "J", "shift+down"),
		StudioPreview:  b("preview mode", "p"),
		StudioStore:    b("store as new file", "s"),
		StudioClose:    b("close studio", "esc", "q"),
		Confirm:        b("yes", "y", "Y"),
		Deny:           b("no", "n", "N", "esc"),
		Choose:         b("choose", "enter"),
		Close:          b("close", "esc"),
		Hashes:         b("hashes", "h"),
		RemoveItem:     b("remove", "x", "delete"),
	}
}

// KeyHelp is a component's key map for bubbles/help: a short list for the
// hint line (most important first) and groups for the help screen.
type KeyHelp struct {
	Short []key.Binding
	Full  [][]key.Binding
}

var _ help.KeyMap = KeyHelp{}

// ShortHelp is the hint line's bindings, most important first.
func (k KeyHelp) ShortHelp() []key.Binding { return k.Short }

// FullHelp is the help screen's groups.
func (k KeyHelp) FullHelp() [][]key.Binding { return k.Full }

// Enabled returns a copy of b switched on or off (a binding that cannot
// apply is never shown and never matches).
func Enabled(b key.Binding, on bool) key.Binding {
	b.SetEnabled(on)
	return b
}

// ClearMarksKey is esc as the panes use it with nothing open: it clears
// a kept filter first, then the marks (as in yazi).
func (k *KeyMap) ClearMarksKey() key.Binding {
	b := k.Close
	b.SetHelp(b.Help().Key, "clear marks")
	return b
}

// WithClear is short with the clear-marks key after its first n keys
// while something is marked (the hint line shows how to let go of marks).
func (k *KeyMap) WithClear(short []key.Binding, n int, marked bool) []key.Binding {
	if !marked || n > len(short) {
		return short
	}
	out := append(append(append([]key.Binding(nil), short[:n]...), k.ClearMarksKey()), short[n:]...)
	return out
}

// MovementKeys are the list keys every pane shares.
func (k *KeyMap) MovementKeys() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// GlobalKeys work wherever no dialog or the studio is open; importing a
// handle and storing from a URL are off while a target that cannot (tc,
// the one shown) is shown.
func (k *KeyMap) GlobalKeys(tc TargetConn) []key.Binding {
	return []key.Binding{k.SwitchPane, k.Transfers, k.SwitchTarget, Enabled(k.Import, CanImport(tc)), Enabled(k.StoreURL, CanStoreURL(tc)),
		k.Keys, k.Log, k.Help, k.QuitKeys()}
}

// QuitKeys is quit as it works: ctrl+c always quits (as in the studio),
// even when config.toml maps quit to other keys only.
func (k *KeyMap) QuitKeys() key.Binding {
	b := k.Quit
	for _, s := range b.Keys() {
		if s == "ctrl+c" {
			return b
		}
	}
	b.SetKeys(append(append([]string(nil), b.Keys()...), "ctrl+c")...)
	return b
}

// FieldKeys is a text field's key map: while one is typed into every
// other key is text, so the pane's keys would be false hints. extra are
// its line-editing keys.
func FieldKeys(enter, esc string, extra ...key.Binding) KeyHelp {
	bs := append([]key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", enter)),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", esc))}, extra...)
	return KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// PrettyKeys words keys as help shows them (" " is space).
func PrettyKeys(ks []string) string {
	out := make([]string, len(ks))
	for i, k := range ks {
		if k == " " {
			k = "space"
		}
		out[i] = k
	}
	return strings.Join(out, " ")
}

// FileKeys are the bindings of the local file operations, for help.
func (k *KeyMap) FileKeys() []key.Binding {
	return []key.Binding{k.Rename, k.NewFile, k.NewDir, k.Yank, k.Cut, k.Paste, k.Trash, k.DeleteForever, k.Undo, k.Reload}
}

// ProgramKeys are the local pane's bindings that hand files to other
// programs, for help.
func (k *KeyMap) ProgramKeys() []key.Binding {
	return []key.Binding{k.OpenFile, k.Edit, k.Command, k.Shell, k.BulkRename}
}

// WithDesc is b described as what it does here.
func WithDesc(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
