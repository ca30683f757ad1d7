package store

import (
	"fmt"
	"sort"
	"strings"
)

// Key scopes: the groups of [keys] actions that are live at the same time
// in the TUI. A key bound to two actions of one scope can only ever do one
// of them, so it is reported.
var (
	// The file preview's scroll keys come first in the whole main view:
	// with no preview shown they say what shows it.
	previewActions  = []string{"preview_down", "preview_up"}
	globalActions   = []string{"quit", "help", "switch_pane", "transfers", "api_key", "import", "store_url", "log", "switch_target"}
	movementActions = []string{"up", "down", "page_up", "page_down", "top", "bottom"}
	paneActions     = []string{"mark", "mark_range", "mark_all", "filter", "sort", "close"}
	localActions    = []string{"open", "parent", "hidden", "bookmark", "bookmarks", "upload", "upload_to", "details",
		"preview", "go_to_path", "home_dir", "previous_dir", "recent_dirs", "rename", "new_file",
		"new_dir", "yank", "cut", "paste", "trash", "delete_forever", "undo", "reload",
		"open_file", "edit", "command", "shell", "bulk_rename", "find", "mark_glob", "unmark_glob", "dir_sizes"}
)

// keyScopes names each scope and its actions.
func keyScopes() []struct {
	name    string
	actions []string
} {
	join := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	return []struct {
		name    string
		actions []string
	}{
		{"local pane", join(previewActions, globalActions, movementActions, paneActions, localActions)},
		{"remote pane", join(previewActions, globalActions, movementActions, paneActions,
			[]string{"refresh", "details", "copy", "copy_as", "download", "delete", "forget", "transform"})},
		{"transfers panel", join(previewActions, globalActions, movementActions,
			[]string{"cancel", "pause", "retry", "cancel_all", "pause_all", "clear_done"})},
		{"transform studio", []string{"help", "up", "down", "copy", "studio_add", "studio_edit", "studio_remove",
			"studio_move_up", "studio_move_down", "studio_preview", "studio_store", "studio_close"}},
		{"yes/no questions", []string{"confirm", "deny"}},
		{"menus and dialogs", []string{"choose", "close", "up", "down", "page_up", "page_down", "hashes", "copy",
			"remove_item", "help"}},
	}
}

// sharedOnPurpose are pairs that share a key by design: in the local pane
// enter opens a directory and shows a file's details.
var sharedOnPurpose = map[[2]string]bool{{"details", "open"}: true}

// KeyConflicts lists keys bound to two actions of one scope, each as
// "scope: key \"u\" is bound to both quit and upload" (sorted).
func KeyConflicts(keys map[string][]string) []string {
	var out []string
	for _, sc := range keyScopes() {
		resolveScope(sc.actions, keys, func(k, prev, action string) {
			pair := [2]string{min(prev, action), max(prev, action)}
			out = append(out, fmt.Sprintf("%s: key %q is bound to both %s and %s; only %s works there",
				sc.name, keyName(k), pair[0], pair[1], prev))
		})
	}
	sort.Strings(out)
	return out
}

// ScopedKeys is, for each scope by name ("local pane", "remote pane",
// "transfers panel", "transform studio", ...), the keys each of its actions
// really answers to there: a key bound to two of the scope's actions stays
// with the one KeyConflicts says works there and is taken from the other.
// Screens match and advertise these, so a shadowed binding is neither
// shown nor half-working. Actions outside a scope are not in its map.
func ScopedKeys(keys map[string][]string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, sc := range keyScopes() {
		out[sc.name] = resolveScope(sc.actions, keys, nil)
	}
	return out
}

// resolveScope gives each key of a scope to its first action (in the
// scope's order), calling lost for each later action that also has it.
func resolveScope(actions []string, keys map[string][]string, lost func(k, prev, action string)) map[string][]string {
	owner := map[string]string{}
	live := map[string][]string{}
	for _, action := range actions {
		if _, seen := live[action]; seen {
			continue
		}
		live[action] = []string{}
		for _, k := range keys[action] {
			prev, taken := owner[k]
			pair := [2]string{min(prev, action), max(prev, action)}
			switch {
			case !taken:
				owner[k] = action
			case prev != action && !sharedOnPurpose[pair]:
				if lost != nil {
					lost(k, prev, action)
				}
				continue
			}
			live[action] = append(live[action], k)
		}
	}
	return live
}

func keyName(k string) string {
	if k == " " {
		return "space"
	}
	return strings.TrimSpace(k)
}
