package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

type pickedMsg struct{ what string }

// Dialogs work through their own Update: nil means closed, commands are
// what the choice asked for.
func TestDialogsThroughUpdate(t *testing.T) {
	e := testEnvOf(Deps{})
	var o uikit.Overlay = uikit.NewConfirm(e.ui, "Sure?", "Really?", uikit.Emit(pickedMsg{"yes"}))
	if o, cmd := o.Update(keyRunes("y")); o != nil || cmd().(pickedMsg).what != "yes" {
		t.Fatal("confirm: y")
	}
	if o, cmd := o.Update(keyRunes("n")); o != nil || cmd != nil {
		t.Fatal("confirm: n")
	}
	if o, _ := o.Update(keyRunes("z")); o == nil {
		t.Fatal("confirm: another key closed it")
	}

	m := uikit.NewMenu(e.ui, "Pick", []uikit.MenuItem{{Key: "a", Label: "alpha", Cmd: uikit.Emit(pickedMsg{"a"})},
		{Key: "b", Label: "beta", Cmd: uikit.Emit(pickedMsg{"b"}), Remove: uikit.Emit(pickedMsg{"removed b"})}})
	o, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if strings.Contains(o.View(), "x remove") {
		t.Fatal("remove offered on an item that cannot be removed")
	}
	o, _ = o.Update(tea.KeyMsg{Type: tea.KeyDown})
	if !strings.Contains(o.View(), "x remove") {
		t.Fatal("remove not offered on a removable item")
	}
	o2, cmd := o.Update(keyRunes("x"))
	if o2 == nil || cmd().(pickedMsg).what != "removed b" || strings.Contains(o2.View(), "beta") {
		t.Fatal("menu: remove")
	}
	if o, cmd := o.Update(tea.KeyMsg{Type: tea.KeyEnter}); o != nil || cmd().(pickedMsg).what != "b" {
		t.Fatal("menu: enter on the cursor row")
	}
	if o, cmd := o.Update(keyRunes("a")); o != nil || cmd().(pickedMsg).what != "a" {
		t.Fatal("menu: item key")
	}

	var got string
	in := uikit.NewInput(e.ui, "Name", "", "", true, func(s string) tea.Cmd { got = s; return nil })
	o = in
	o, _ = o.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("sEcret ")})
	if strings.Contains(o.View(), "sEcret") {
		t.Fatal("masked input shows the text")
	}
	if o, _ = o.Update(tea.KeyMsg{Type: tea.KeyEnter}); o != nil || got != "sEcret" {
		t.Fatalf("input: submitted %q", got)
	}

	// Thirty lines do not fit an 80x24 screen, so down scrolls; three fit
	// and there is nothing to scroll.
	var txt uikit.Overlay = uikit.NewText(e.ui, "Log", strings.Split(strings.Repeat("line\n", 29)+"last", "\n"), uikit.DialogAction{Key: e.keys.Hashes, Cmd: uikit.Emit(pickedMsg{"h"})})
	txt, _ = txt.Update(tea.KeyMsg{Type: tea.KeyDown})
	if txt.(uikit.Text).Offset() != 1 {
		t.Fatal("text: scroll")
	}
	short, _ := uikit.Overlay(uikit.NewText(e.ui, "Log", []string{"one", "two", "three"})).Update(tea.KeyMsg{Type: tea.KeyDown})
	if short.(uikit.Text).Offset() != 0 {
		t.Fatal("text: a dialog that shows all its lines scrolled")
	}
	if _, cmd := txt.Update(keyRunes("h")); cmd().(pickedMsg).what != "h" {
		t.Fatal("text: action key")
	}
	if o, _ := txt.Update(tea.KeyMsg{Type: tea.KeyEsc}); o != nil {
		t.Fatal("text: esc")
	}
}

// Remapped dialog keys are the ones that work and the ones shown.
func TestDialogKeysRemappable(t *testing.T) {
	e := testEnvOf(Deps{})
	e.keys.Confirm.SetKeys("o")
	e.keys.Confirm.SetHelp("o", "yes")
	c := uikit.NewConfirm(e.ui, "Sure?", "Really?", uikit.Emit(pickedMsg{"yes"}))
	if o, _ := c.Update(keyRunes("y")); o == nil {
		t.Fatal("the old key still confirms")
	}
	if o, cmd := c.Update(keyRunes("o")); o != nil || cmd == nil {
		t.Fatal("the new key does not confirm")
	}
	if !strings.Contains(c.View(), "o yes") {
		t.Fatalf("dialog shows:\n%s", c.View())
	}
}

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
