package ui

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// runUntil starts the model at a fixed size, waits until the screen shows
// want, and returns the final model after quitting.
// runUntil runs m until every string in wants has been drawn (panes load
// concurrently, so a golden waits for a line from each pane it shows), then
// sends keys and quits.
func runUntil(t *testing.T, m *Model, w, h int, wants []string, keys ...tea.Msg) *Model {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, want := range wants {
			if !bytes.Contains(b, []byte(want)) {
				return false
			}
		}
		return true
	},
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	for _, k := range keys {
		tm.Send(k)
	}
	tm.Send(tea.QuitMsg{})
	return tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
}

func TestGoldenMainScreen(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"160x48", 160, 48}} {
		t.Run(size.name, func(t *testing.T) {
			e := newTestEnv(t, emulator.Options{})
			addEntries(t, e, 3)
			m := runUntil(t, New(e.deps(fixtureTree(t))), size.w, size.h, []string{"script with spaces.sh", "photo-c.jpg"})
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

func TestGoldenHelp(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := New(e.deps(fixtureTree(t)))
	m = runUntil(t, m, 100, 40, []string{"notes.txt", "nothing uploaded yet"}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'?'}})
	v := m.View()
	if !strings.Contains(v, "Keys (local pane first)") {
		t.Fatalf("help not shown:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
}

func TestTooSmall(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := New(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 40, Height: 10})
	if v := mm.View(); !strings.Contains(v, "Terminal too small") {
		t.Fatalf("got %q", v)
	}
}

// "Terminal too small" always names the current and the required size,
// within the terminal.
func TestTooSmallSaysSizes(t *testing.T) {
	for _, sz := range [][2]int{{59, 30}, {60, 15}, {40, 10}, {24, 4}} {
		v := tooSmall(sz[0], sz[1])
		lines := strings.Split(v, "\n")
		if len(lines) > sz[1] || !strings.Contains(v, "60×16") || !strings.Contains(v, strconv.Itoa(sz[0])+"×"+strconv.Itoa(sz[1])) {
			t.Fatalf("%v: %q", sz, v)
		}
		for _, l := range lines {
			if lipgloss.Width(l) > sz[0] {
				t.Fatalf("%v: line wider than the terminal: %q", sz, l)
			}
		}
	}
}
