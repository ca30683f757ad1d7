package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// ctrl+u asks about a file already on the chosen target before its expiry
// (a file then skipped was asked nothing about), and esc at any question
// says the upload was skipped, naming the file, and queues nothing.
func TestUploadToDuplicateBeforeOptionsAndEscSays(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	m := startModel(t, he.deps(dir))
	ctrlU, esc := tea.KeyMsg{Type: tea.KeyCtrlU}, tea.KeyMsg{Type: tea.KeyEsc}
	imgbb := keyRunes(he.menuKeyOf(t, "imgbb"))
	m = press(t, m, ctrlU, imgbb, keyRunes("n")) // expiry: never
	m = waitJob(t, m, transfer.Done)

	m = press(t, m, ctrlU, imgbb)
	if v := m.View(); !strings.Contains(v, "a.png is already on ImgBB") || strings.Contains(v, "delete automatically") {
		t.Fatalf("the first question after the target is not the duplicate one:\n%s", v)
	}
	m = press(t, m, esc)
	if m.overlay != nil || statusText(m) != "upload skipped: a.png" || jobCount(m) != 1 {
		t.Fatalf("esc at the duplicate question: status %q, %d jobs", statusText(m), jobCount(m))
	}

	m = press(t, m, ctrlU, imgbb, keyRunes("u")) // upload again
	if v := m.View(); !strings.Contains(v, "Upload to ImgBB: delete automatically after…") {
		t.Fatalf("upload again did not go on to the expiry:\n%s", v)
	}
	m = press(t, m, esc)
	if m.overlay != nil || statusText(m) != "upload skipped: a.png" || jobCount(m) != 1 {
		t.Fatalf("esc at the expiry: status %q, %d jobs", statusText(m), jobCount(m))
	}

	m = press(t, m, ctrlU, esc)
	if m.overlay != nil || statusText(m) != "upload skipped: a.png" || jobCount(m) != 1 {
		t.Fatalf("esc at the target menu: status %q, %d jobs", statusText(m), jobCount(m))
	}
	m.Shutdown(5 * time.Second)
}

// esc at a target's visibility question says the upload was skipped too.
func TestUploadToEscAtVisibilitySays(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "notes.txt", []byte("some notes\n"))
	m := startModel(t, he.deps(dir))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlU}, keyRunes(he.menuKeyOf(t, "pastebin")), keyRunes("n"))
	if !strings.Contains(m.View(), "Upload to Pastebin: visibility") {
		t.Fatalf("no visibility question:\n%s", m.View())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.overlay != nil || statusText(m) != "upload skipped: notes.txt" || jobCount(m) != 0 {
		t.Fatalf("esc at the visibility: status %q, %d jobs", statusText(m), jobCount(m))
	}
	m.Shutdown(5 * time.Second)
}

// Targets that cannot take the file are greyed out in the ctrl+u menu
// with the reason, and choosing one (its key, or enter on it) says the
// reason and sends nothing.
func TestUploadToGreysOutRefusingTargets(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	big := he.target(t, "pastebin").Caps.MaxSize + 1
	putFile(t, dir, "big.txt", []byte(strings.Repeat("a", int(big))))
	m := startModel(t, he.deps(dir))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlU})
	menu, ok := m.overlay.(uikit.Menu)
	if !ok {
		t.Fatalf("ctrl+u did not ask:\n%s", m.View())
	}
	_ = menu
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	line := func(title string) string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, " "+title+" ") {
				return l
			}
		}
		t.Fatalf("no %s in the menu:\n%s", title, m.View())
		return ""
	}
	if l := line("ImgBB"); !strings.Contains(l, "cannot: accepts images only") {
		t.Fatalf("ImgBB not greyed out with the reason for a text file: %q", l)
	}
	if l := line("Pastebin"); !strings.Contains(l, "cannot: file is ") || !strings.Contains(l, "the limit is") {
		t.Fatalf("Pastebin not greyed out for a file over its limit: %q", l)
	}
	if l := line("GoFile"); strings.Contains(l, "cannot") {
		t.Fatalf("GoFile refused: %q", l)
	}
	m = press(t, m, keyRunes(he.menuKeyOf(t, "imgbb")))
	if _, still := m.overlay.(uikit.Menu); !still || !strings.Contains(statusText(m), "cannot be chosen: accepts images only") || jobCount(m) != 0 {
		t.Fatalf("choosing ImgBB: menu open %v, status %q, %d jobs", still, statusText(m), jobCount(m))
	}
	m.Shutdown(5 * time.Second)
}

// esc (or no) at the large-upload question says the upload was skipped,
// naming what was asked about.
func TestLargeUploadEscSays(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "big"), 0o700)
	for i := 0; i < 5; i++ {
		os.WriteFile(filepath.Join(dir, "big", string(rune('a'+i))+".txt"), []byte("x"), 0o600)
	}
	d := e.deps(dir)
	d.Settings.AskAboveFiles = 3
	m := startModel(t, d)
	m = request(t, m, dir, "big")
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if m.overlay != nil || statusText(m) != "upload skipped: big" || jobCount(m) != 0 {
		t.Fatalf("esc at the large upload: status %q, %d jobs", statusText(m), jobCount(m))
	}
	m.Shutdown(5 * time.Second)
}
