package ui

import (
	"strings"
	"testing"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Studio, menu and dialog keys come from config.toml like the rest.
func TestStudioAndDialogKeysFromConfig(t *testing.T) {
	c := store.DefaultConfig()
	c.Keys["studio_add"] = []string{"+"}
	c.Keys["remove_item"] = []string{"backspace"}
	k := uikit.SettingsFrom(c).Keys
	if strings.Join(k.StudioAdd.Keys(), ",") != "+" || k.StudioAdd.Help().Key != "+" || strings.Join(k.RemoveItem.Keys(), ",") != "backspace" {
		t.Fatalf("studio_add %v, remove_item %v", k.StudioAdd.Keys(), k.RemoveItem.Keys())
	}
}
