package ui

import (
	"os"
	"path/filepath"
	"slices"
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

// With a real Filestack key (cloud mode), a target the session found no
// key for (it points at its built-in emulator) is greyed out in the
// ctrl+u menu, saying ctrl+k adds one (a file it cannot take keeps that
// reason: Pastebin and a PNG): choosing it sends nothing, and
// ctrl+k on it closes the menu (the upload skipped) and asks for that
// target's key. In local mode every target is the emulator's on purpose,
// and none is greyed for want of a key.
func TestUploadToGreysOutTargetsWithoutKey(t *testing.T) {
	he := newHostsEnv(t)
	dir := t.TempDir()
	putFile(t, dir, "a.png", pngBytes(t))
	for i := range he.targets {
		if he.targets[i].Name == "gofile" {
			he.targets[i].Local = false // a key of its own
		}
	}
	line := func(m *Model, title string) string {
		t.Helper()
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, " "+title+" ") {
				return l
			}
		}
		t.Fatalf("no %s in the menu:\n%s", title, m.View())
		return ""
	}
	ctrlU := tea.KeyMsg{Type: tea.KeyCtrlU}

	d := he.deps(dir)
	d.Mode = ModeCloud
	m := startModel(t, d)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	m = press(t, m, ctrlU)
	if _, ok := m.overlay.(uikit.Menu); !ok {
		t.Fatalf("ctrl+u did not ask:\n%s", m.View())
	}
	for _, title := range []string{"ImgBB", "Gyazo", "DDownload"} {
		if l := line(m, title); !strings.Contains(l, title+" — no key — ctrl+k to add") || strings.Contains(l, "cannot") {
			t.Errorf("%s (no key) not greyed out saying ctrl+k adds one: %q", title, l)
		}
	}
	if l := line(m, "Pastebin"); !strings.Contains(l, "Pastebin — cannot: accepts text only") {
		t.Errorf("Pastebin (no key, cannot take a PNG) does not keep the file's reason: %q", l)
	}
	for _, title := range []string{"GoFile", "Filestack"} {
		if l := line(m, title); strings.Contains(l, "no key") || strings.Contains(l, "cannot") {
			t.Errorf("%s (with a key) greyed out: %q", title, l)
		}
	}
	m = press(t, m, keyRunes(he.menuKeyOf(t, "imgbb")))
	imgbb := slices.IndexFunc(he.targets, func(tc uikit.TargetConn) bool { return tc.Name == "imgbb" })
	if _, still := m.overlay.(uikit.Menu); !still || statusText(m) != "ImgBB cannot be chosen: no key — ctrl+k to add" || jobCount(m) != 0 {
		t.Fatalf("choosing ImgBB: menu open %v, status %q, %d jobs", still, statusText(m), jobCount(m))
	}
	for m.overlay.(uikit.Menu).Cursor() > imgbb {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyUp})
	}
	for m.overlay.(uikit.Menu).Cursor() < imgbb {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyDown})
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlK})
	if v := m.View(); !strings.Contains(v, "ImgBB key") || strings.Contains(v, "Upload a.png to") || statusText(m) != "upload skipped: a.png" || jobCount(m) != 0 {
		t.Fatalf("ctrl+k on ImgBB: status %q, %d jobs\n%s", statusText(m), jobCount(m), v)
	}
	m.Shutdown(5 * time.Second)

	m = startModel(t, he.deps(dir)) // local mode
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	m = press(t, m, ctrlU)
	for _, title := range []string{"ImgBB", "Gyazo", "DDownload", "GoFile", "Filestack"} {
		if l := line(m, title); strings.Contains(l, "no key") || strings.Contains(l, "cannot") {
			t.Errorf("%s greyed out in local mode: %q", title, l)
		}
	}
	m.Shutdown(5 * time.Second)
}
