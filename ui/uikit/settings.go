package uikit

import (
	"time"

	"github.com/charmbracelet/bubbles/key"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/internal/transfer"

	"github.com/fsdeck/fsdeck/store"
)

// bindings names every action as config.toml's [keys] table does.
func (k *KeyMap) bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"quit": &k.Quit, "help": &k.Help, "switch_pane": &k.SwitchPane, "transfers": &k.Transfers, "api_key": &k.Keys,
		"up": &k.Up, "down": &k.Down, "page_up": &k.PageUp, "page_down": &k.PageDown, "top": &k.Top, "bottom": &k.Bottom,
		"mark": &k.Mark, "mark_range": &k.MarkRange, "mark_all": &k.MarkAll, "filter": &k.Filter,
		"open": &k.Open, "parent": &k.Parent, "hidden": &k.Hidden, "sort": &k.Sort, "bookmark": &k.Bookmark,
		"bookmarks": &k.Bookmarks, "upload": &k.Upload, "upload_to": &k.UploadTo, "switch_target": &k.SwitchTarget, "details": &k.Details, "copy": &k.Copy, "copy_as": &k.CopyAs,
		"refresh": &k.Refresh, "import": &k.Import, "store_url": &k.StoreURL, "download": &k.Download,
		"delete": &k.Delete, "forget": &k.Forget, "transform": &k.Transform, "cancel": &k.Cancel, "pause": &k.Pause,
		"retry": &k.Retry, "cancel_all": &k.CancelAll, "pause_all": &k.PauseAll, "clear_done": &k.ClearDone,
		"log": &k.Log, "studio_add": &k.StudioAdd, "studio_edit": &k.StudioEdit, "studio_remove": &k.StudioRemove,
		"studio_move_up": &k.StudioMoveUp, "studio_move_down": &k.StudioMoveDown, "studio_preview": &k.StudioPreview,
		"studio_store": &k.StudioStore, "studio_close": &k.StudioClose, "confirm": &k.Confirm, "deny": &k.Deny,
		"choose": &k.Choose, "close": &k.Close, "hashes": &k.Hashes, "remove_item": &k.RemoveItem,
		"preview": &k.Preview, "preview_down": &k.PreviewDown, "preview_up": &k.PreviewUp, "go_to_path": &k.GoToPath, "home_dir": &k.HomeDir, "previous_dir": &k.PreviousDir,
		"recent_dirs": &k.RecentDirs, "rename": &k.Rename, "new_file": &k.NewFile, "new_dir": &k.NewDir, "yank": &k.Yank,
		"cut": &k.Cut, "paste": &k.Paste, "trash": &k.Trash, "delete_forever": &k.DeleteForever, "undo": &k.Undo,
		"reload": &k.Reload, "open_file": &k.OpenFile, "edit": &k.Edit, "command": &k.Command, "shell": &k.Shell,
		"bulk_rename": &k.BulkRename,
		"find":        &k.Find, "mark_glob": &k.MarkGlob, "unmark_glob": &k.UnmarkGlob, "dir_sizes": &k.DirSizes,
	}
}

// ScopedKeys are the key maps of the parts of the screen that each match
// many keys: in each, a key bound to two live actions belongs to the one
// that gets it (as `fsdeck config check` reports), and the other action
// loses it, so the hint line and ? show only what a key really does.
type ScopedKeys struct{ Local, Remote, Transfers, Studio KeyMap }

// Scoped resolves k's clashes for the panes, the transfers panel and the
// studio. A binding left with no key is neither shown nor matched; one
// that kept another key is shown under that key.
func (k KeyMap) Scoped() ScopedKeys {
	all := map[string][]string{}
	for name, b := range k.bindings() {
		all[name] = b.Keys()
	}
	live := store.ScopedKeys(all)
	in := func(scope string) KeyMap {
		c := k
		bs := c.bindings()
		for name, keys := range live[scope] {
			b := bs[name]
			if b == nil || len(keys) == len(b.Keys()) {
				continue
			}
			b.SetKeys(keys...)
			if len(keys) > 0 {
				b.SetHelp(PrettyKeys(keys[:1]), b.Help().Desc)
			}
		}
		return c
	}
	return ScopedKeys{Local: in("local pane"), Remote: in("remote pane"), Transfers: in("transfers panel"), Studio: in("transform studio")}
}

// SettingsFrom turns a validated config into UI settings.
func SettingsFrom(c store.Config) Settings {
	s := DefaultSettings()
	bs := s.Keys.bindings()
	for name, keys := range c.Keys {
		if b, ok := bs[name]; ok {
			help := b.Help()
			b.SetKeys(keys...)
			b.SetHelp(PrettyKeys(keys[:1]), help.Desc)
		}
	}
	t := &s.Theme
	for name, dst := range map[string]*string{"accent": &t.Accent, "muted": &t.Muted, "text": &t.Text, "selection": &t.Selection,
		"marked": &t.Marked, "error": &t.Error, "warning": &t.Warning, "success": &t.Success, "border": &t.Border, "local_badge": &t.Local} {
		if v, ok := c.Theme[name]; ok {
			*dst = v
		}
	}
	s.FileConcurrency, s.PartConcurrency = c.Files, c.Parts
	s.ShowHidden, s.NativeClipboard = c.ShowHidden, c.NativeClipboard
	s.NotifyAfter = time.Duration(c.NotifyAfterSeconds) * time.Second
	s.AskAboveFiles = c.AskAboveFiles
	s.Store = filestack.StoreOptions{Location: c.Store.Location, Path: c.Store.Path, Container: c.Store.Container,
		Region: c.Store.Region, Access: c.Store.Access}
	s.Intelligent = c.Intelligent
	s.Preview = c.PreviewMode
	for _, r := range c.Openers {
		s.Openers = append(s.Openers, Opener{Pattern: r.Pattern, Run: r.Run, Block: r.Block})
	}
	return s
}

// MergeSettings fills zero fields with defaults.
func MergeSettings(s Settings) Settings {
	def := DefaultSettings()
	if s.FileConcurrency <= 0 {
		s.FileConcurrency = def.FileConcurrency
	}
	if s.PartConcurrency <= 0 {
		s.PartConcurrency = def.PartConcurrency
	}
	if s.Keys.Quit.Keys() == nil {
		s.Keys = def.Keys
	}
	if s.Theme == (Theme{}) {
		s.Theme = def.Theme
	}
	if s.NotifyAfter == 0 {
		s.NotifyAfter = def.NotifyAfter
	}
	if s.AskAboveFiles == 0 {
		s.AskAboveFiles = def.AskAboveFiles
	}
	return s
}

// Settings are the UI's configurable behaviour (from config.toml).
type Settings struct {
	Keys            KeyMap
	Theme           Theme
	FileConcurrency int
	PartConcurrency int
	ShowHidden      bool
	NativeClipboard bool
	NotifyAfter     time.Duration
	// AskAboveFiles is the number of files above which an upload asks
	// first, saying the count and size.
	AskAboveFiles int
	// Store holds default store options; Store.Path prefixes store paths.
	Store       filestack.StoreOptions
	Intelligent bool
	// Preview is auto, halfblock, kitty or off.
	Preview string
	// Sort and SortDesc are the local pane's order (a name of sortNames).
	Sort     string
	SortDesc bool
	// ShowPreview turns the local preview pane on; RecentDirs are the
	// directories visited last, most recent first (both from view.json).
	ShowPreview bool
	RecentDirs  []string
	// Openers are config.toml's [opener] rules, in order: what o opens a
	// file with when not the system's opener.
	Openers []Opener
}

// DefaultSettings are used when config.toml says nothing.
func DefaultSettings() Settings {
	return Settings{Keys: DefaultKeyMap(), Theme: DefaultTheme(), FileConcurrency: 4, PartConcurrency: 8,
		NativeClipboard: true, NotifyAfter: 5 * time.Second, Preview: "auto", AskAboveFiles: transfer.LargeUpload}
}
