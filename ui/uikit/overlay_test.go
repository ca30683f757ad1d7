package uikit

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// runes is a key press of typed text.
func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

type pickedMsg struct{ what string }

// Dialogs work through their own Update: nil means closed, commands are
// what the choice asked for.
func TestDialogsThroughUpdate(t *testing.T) {
	e := NewEnv(EnvOptions{})
	var o Overlay = NewConfirm(e, "Sure?", "Really?", Emit(pickedMsg{"yes"}))
	if o, cmd := o.Update(runes("y")); o != nil || cmd().(pickedMsg).what != "yes" {
		t.Fatal("confirm: y")
	}
	if o, cmd := o.Update(runes("n")); o != nil || cmd != nil {
		t.Fatal("confirm: n")
	}
	if o, _ := o.Update(runes("z")); o == nil {
		t.Fatal("confirm: another key closed it")
	}

	m := NewMenu(e, "Pick", []MenuItem{{Key: "a", Label: "alpha", Cmd: Emit(pickedMsg{"a"})},
		{Key: "b", Label: "beta", Cmd: Emit(pickedMsg{"b"}), Remove: Emit(pickedMsg{"removed b"})}})
	o, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if strings.Contains(o.View(), "x remove") {
		t.Fatal("remove offered on an item that cannot be removed")
	}
	o, _ = o.Update(tea.KeyMsg{Type: tea.KeyDown})
	if !strings.Contains(o.View(), "x remove") {
		t.Fatal("remove not offered on a removable item")
	}
	o2, cmd := o.Update(runes("x"))
	if o2 == nil || cmd().(pickedMsg).what != "removed b" || strings.Contains(o2.View(), "beta") {
		t.Fatal("menu: remove")
	}
	if o, cmd := o.Update(tea.KeyMsg{Type: tea.KeyEnter}); o != nil || cmd().(pickedMsg).what != "b" {
		t.Fatal("menu: enter on the cursor row")
	}
	if o, cmd := o.Update(runes("a")); o != nil || cmd().(pickedMsg).what != "a" {
		t.Fatal("menu: item key")
	}

	var got string
	in := NewInput(e, "Name", "", "", true, func(s string) tea.Cmd { got = s; return nil })
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
	var txt Overlay = NewText(e, "Log", strings.Split(strings.Repeat("line\n", 29)+"last", "\n"), DialogAction{Key: e.Keys().Hashes, Cmd: Emit(pickedMsg{"h"})})
	txt, _ = txt.Update(tea.KeyMsg{Type: tea.KeyDown})
	if txt.(Text).Offset() != 1 {
		t.Fatal("text: scroll")
	}
	short, _ := Overlay(NewText(e, "Log", []string{"one", "two", "three"})).Update(tea.KeyMsg{Type: tea.KeyDown})
	if short.(Text).Offset() != 0 {
		t.Fatal("text: a dialog that shows all its lines scrolled")
	}
	if _, cmd := txt.Update(runes("h")); cmd().(pickedMsg).what != "h" {
		t.Fatal("text: action key")
	}
	if o, _ := txt.Update(tea.KeyMsg{Type: tea.KeyEsc}); o != nil {
		t.Fatal("text: esc")
	}
}

// Remapped dialog keys are the ones that work and the ones shown.
func TestDialogKeysRemappable(t *testing.T) {
	s := DefaultSettings()
	s.Keys.Confirm.SetKeys("o")
	s.Keys.Confirm.SetHelp("o", "yes")
	e := NewEnv(EnvOptions{Settings: s})
	c := NewConfirm(e, "Sure?", "Really?", Emit(pickedMsg{"yes"}))
	if o, _ := c.Update(runes("y")); o == nil {
		t.Fatal("the old key still confirms")
	}
	if o, cmd := c.Update(runes("o")); o != nil || cmd == nil {
		t.Fatal("the new key does not confirm")
	}
	if !strings.Contains(c.View(), "o yes") {
		t.Fatalf("dialog shows:\n%s", c.View())
	}
}
