package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// readmeKeys are the keys README's key table names, by row, as key
// names ("↑↓" is up and down, "PgUp" pgup).
func readmeKeys(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "| key | where | action |\n| --- | --- | --- |\n")
	if !ok {
		t.Fatal("README has no key table")
	}
	words := map[string][]string{"↑↓": {"up", "down"}, "PgUp": {"pgup"}, "PgDn": {"pgdown"}, "↑": {"up"}, "↓": {"down"}}
	out := map[string]bool{}
	code := regexp.MustCompile("`([^`]+)`")
	for _, row := range strings.Split(table, "\n") {
		if !strings.HasPrefix(row, "| ") {
			break
		}
		first := strings.SplitN(row, " | ", 2)[0]
		for _, m := range code.FindAllStringSubmatch(first, -1) {
			for _, k := range strings.Fields(m[1]) {
				if w, ok := words[k]; ok {
					for _, x := range w {
						out[x] = true
					}
					continue
				}
				out[k] = true
			}
		}
	}
	return out
}

// README's key table and the help of the main view (every part of it:
// local pane, remote pane, transfers, global keys) name the same keys:
// each action's first key in the help is in the table, and each key of
// the table is a key of the help.
func TestReadmeKeyTableMatchesHelp(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := startModel(t, e.deps(fixtureTree(t)))
	readme := readmeKeys(t)
	var groups [][]key.Binding
	for _, kh := range [][][]key.Binding{m.local.Keys().Full, m.remote.Keys().Full, m.transfers.Keys().Full} {
		groups = append(groups, kh...)
	}
	groups = append(groups, m.env.Keys().GlobalKeys(m.ts.targets.Current()))
	help := ansi.Strip(strings.Join(m.helpOverlay().(uikit.Text).Lines(), "\n"))
	helpKeys := map[string]bool{}
	for _, g := range groups {
		for _, b := range g {
			for _, k := range b.Keys() {
				helpKeys[k] = true
			}
			if ks := b.Keys(); len(ks) > 0 && !readme[ks[0]] && !(ks[0] == " " && readme["space"]) {
				t.Errorf("help has %s (%s), README's key table does not", ks[0], b.Help().Desc)
			}
		}
	}
	if strings.Contains(help, "ctrl+z ") {
		helpKeys["ctrl+z"] = true
	}
	helpKeys["space"] = helpKeys[" "]
	var extra []string
	for k := range readme {
		if !helpKeys[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	if len(extra) > 0 {
		t.Errorf("README's key table has keys the help does not list: %q", extra)
	}
	if !strings.Contains(help, "ctrl+z") {
		t.Errorf("help does not list ctrl+z:\n%s", help)
	}
}
