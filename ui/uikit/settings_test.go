package uikit

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
)

// Every action of the key map is named in config.toml and can be remapped.
func TestEveryActionRemappable(t *testing.T) {
	def := store.DefaultConfig()
	km := DefaultKeyMap()
	bs := km.bindings()
	if len(bs) != len(def.Keys) {
		t.Fatalf("key map has %d actions, config.toml %d", len(bs), len(def.Keys))
	}
	for name, b := range bs {
		want, ok := def.Keys[name]
		if !ok {
			t.Errorf("action %s is not in config.toml", name)
			continue
		}
		if got := b.Keys(); len(got) != len(want) || got[0] != want[0] {
			t.Errorf("%s: key map %q, config.toml %q", name, got, want)
		}
	}
	cfg := store.DefaultConfig()
	cfg.Keys["upload"] = []string{"ctrl+u"}
	s := SettingsFrom(cfg)
	if !key.Matches(tea.KeyMsg{Type: tea.KeyCtrlU}, s.Keys.Upload) || key.Matches(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("u")}, s.Keys.Upload) {
		t.Fatal("remap did not take")
	}
	if s.Keys.Upload.Help().Key != "ctrl+u" || s.Keys.Upload.Help().Desc != "upload" {
		t.Fatalf("help not updated: %+v", s.Keys.Upload.Help())
	}
}

// Studio, menu and dialog keys come from config.toml like the rest.
func TestStudioAndDialogKeysFromConfig(t *testing.T) {
	c := store.DefaultConfig()
	c.Keys["studio_add"] = []string{"+"}
	c.Keys["remove_item"] = []string{"backspace"}
	k := SettingsFrom(c).Keys
	if strings.Join(k.StudioAdd.Keys(), ",") != "+" || k.StudioAdd.Help().Key != "+" || strings.Join(k.RemoveItem.Keys(), ",") != "backspace" {
		t.Fatalf("studio_add %v, remove_item %v", k.StudioAdd.Keys(), k.RemoveItem.Keys())
	}
}
