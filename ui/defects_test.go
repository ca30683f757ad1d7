package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/studio"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// lastLine is the screen's bottom line (the key hints).
func lastLine(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}

// ? lists the remote pane's t (transform) from the local pane, and the
// studio has a help screen of its own keys.
func TestHelpListsTransformAndStudioHelp(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r"), keyRunes("?"))
	v := m.View()
	if !strings.Contains(v, "Keys (transform studio first)") || !strings.Contains(v, "add task") || !strings.Contains(v, "store as new file") {
		t.Fatalf("studio help:\n%s", v)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc}, tea.KeyMsg{Type: tea.KeyEsc})
	if m.studio != nil {
		t.Fatal("esc did not close help and then the studio")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyShiftTab}, keyRunes("?"))
	help := strings.Join(m.overlay.(uikit.Text).Lines(), "\n")
	if !regexp.MustCompile(`\bt +transform`).MatchString(help) {
		t.Fatalf("help lacks t transform:\n%s", help)
	}
}

// From the remote pane, w then w returns to the remote pane.
func TestTransfersToggleReturnsFocus(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := startModel(t, e.deps(fixtureTree(t)))
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("w"))
	if m.focus != focusTransfers {
		t.Fatalf("w focused %v", m.focus)
	}
	m = press(t, m, keyRunes("w"))
	if m.focus != focusRemote || m.showXfers {
		t.Fatalf("after w w: focus %v, panel shown %v", m.focus, m.showXfers)
	}
}

// At 80 columns the hint line fits, is cut at no word, and ends with ? help,
// whatever has focus.
func TestHintLineFits(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 3)
	for _, w := range []int{60, 80, 120} {
		for _, keys := range [][]tea.KeyMsg{nil, {{Type: tea.KeyTab}}, {keyRunes("w")}} {
			m := newSync(e.deps(fixtureTree(t)))
			mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			m = press(t, drain(t, mm.(*Model), m.Init()), keys...)
			h := lastLine(m.View())
			if lipgloss.Width(h) > w || !strings.HasSuffix(h, "? help") || strings.Contains(h, "…") {
				t.Fatalf("width %d, focus %v: %q", w, m.focus, h)
			}
		}
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

// L opens the log from the panes.
func TestLogKey(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := startModel(t, e.deps(fixtureTree(t)))
	m.status.Update(uikit.StatusMsg{Kind: uikit.StatusErr, Text: "something broke"})
	m = press(t, m, keyRunes("L"))
	if !strings.Contains(m.View(), "Messages (last 100)") || !strings.Contains(m.View(), "something broke") {
		t.Fatalf("log:\n%s", m.View())
	}
}

// Bookmarks can be removed from their menu.
func TestBookmarkRemoval(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	e.ledger.AddBookmark(ctx, "/tmp/one")
	e.ledger.AddBookmark(ctx, "/tmp/two")
	m := startModel(t, e.deps(fixtureTree(t)))
	m = press(t, m, keyRunes("'"))
	if !strings.Contains(m.View(), "x remove") {
		t.Fatalf("menu does not offer removal:\n%s", m.View())
	}
	m = press(t, m, keyRunes("x"))
	left, _ := e.ledger.Bookmarks(ctx)
	if len(left) != 1 || m.overlay == nil {
		t.Fatalf("bookmarks left %v, menu open %v", left, m.overlay != nil)
	}
}

// The add menu's keys come from the task names; a value the field accepts
// but the task does not (resize width 0) is reported at the field, and
// the allowed values are shown whole.
func TestStudioMenuAndFieldAgree(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r"), tea.KeyMsg{Type: tea.KeyEnter})
	for i := 0; i < 3; i++ {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	}
	m = press(t, m, keyRunes("0"))
	if !strings.Contains(m.studio.Problem(), "0 counts as not set") || m.studio.Chain().Validate() == nil {
		t.Fatalf("field %q chain %v", m.studio.Problem(), m.studio.Chain().Validate())
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyDown}) // fit
	if v := m.View(); !strings.Contains(v, "clip/crop/scale/max") {
		t.Fatalf("allowed values cut:\n%s", v)
	}
}

// Delete names the file; copy-as offers image forms only for images;
// counts and durations are worded properly.
func TestNamesAndPlurals(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(1), Filename: "notes.txt", Mimetype: "text/plain", Added: fixedNow})
	d := e.deps(fixtureTree(t))
	d.Mode = uikit.ModeCloud // with a key: the files are on Filestack (local mode names the local server)
	m := startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"))
	if v := m.View(); !strings.Contains(v, "Delete notes.txt from Filestack?") || strings.Contains(v, "(s)") {
		t.Fatalf("delete dialog:\n%s", v)
	}
	m = press(t, m, keyRunes("n"), keyRunes("Y"))
	if v := m.View(); strings.Contains(v, "Markdown image") || strings.Contains(v, "<img>") || !strings.Contains(v, "Markdown link") {
		t.Fatalf("copy as for a text file:\n%s", v)
	}
	for _, ttl := range []string{"expires in 1 hour", "expires in 1 day", "expires in 7 days"} {
		if v := m.View(); !strings.Contains(v, "signed URL, "+ttl) {
			t.Fatalf("copy as lacks %q:\n%s", ttl, v)
		}
	}
}

// A double click opens a directory; the wheel scrolls the pane under the
// pointer, not the focused one.
func TestMouseDoubleClickAndWheel(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 20)
	clock := fixedNow
	d := e.deps(fixtureTree(t))
	d.Now = func() time.Time { return clock }
	m := startModel(t, d)
	click := tea.MouseMsg{X: 5, Y: 4, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
	mm, cmd := m.Update(click)
	m = drain(t, mm.(*Model), cmd)
	clock = clock.Add(200 * time.Millisecond)
	mm, cmd = m.Update(click)
	m = drain(t, mm.(*Model), cmd)
	if !strings.HasSuffix(m.local.Dir(), "photos") {
		t.Fatalf("double click on photos/ left the pane in %s", m.local.Dir())
	}
	mm, _ = m.Update(tea.MouseMsg{X: 70, Y: 8, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	m = mm.(*Model)
	if m.focus != focusLocal || remoteCursor(m) != 3 {
		t.Fatalf("wheel over the remote pane: focus %v, remote cursor %d", m.focus, remoteCursor(m))
	}
}

// failWriter refuses every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

// flakyLedger fails the calls named in fail.
type flakyLedger struct {
	uikit.Ledger
	fail map[string]bool
}

func (f flakyLedger) Remove(ctx context.Context, s store.Scope, hs ...string) error {
	if f.fail["Remove"] {
		return errors.New("disk full")
	}
	return f.Ledger.Remove(ctx, s, hs...)
}

func (f flakyLedger) StartJob(ctx context.Context, s store.Scope, p string, n int64) (int64, error) {
	if f.fail["StartJob"] {
		return 0, errors.New("journal locked")
	}
	return f.Ledger.StartJob(ctx, s, p, n)
}

// Ledger and journal errors reach the status line: Remove after a remote
// delete, StartJob before an upload (whose resume would silently be lost).
func TestLedgerAndJournalErrorsShown(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	f, err := e.client.UploadReader(ctx, strings.NewReader("data"), 4, filestack.UploadOptions{Filename: "f"})
	if err != nil {
		t.Fatal(err)
	}
	e.ledger.Add(ctx, e.scope, store.Entry{Handle: f.Handle, Filename: "f", Added: fixedNow})
	dir := t.TempDir()
	// Past the simple store (4 MiB): only a multipart upload has a session
	// to journal.
	if err := os.WriteFile(filepath.Join(dir, "up.txt"), make([]byte, 5<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	d := e.deps(dir)
	d.Ledger = flakyLedger{Ledger: e.ledger, fail: map[string]bool{"Remove": true, "StartJob": true}}
	m := startModel(t, d)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("x"), keyRunes("y"))
	if !strings.Contains(statusText(m), "disk full") {
		t.Fatalf("status after delete: %q", statusText(m))
	}
	m = waitIdle(t, press(t, m, tea.KeyMsg{Type: tea.KeyShiftTab}, keyRunes("u")))
	found := false
	for _, l := range m.status.Log() {
		found = found || strings.Contains(l.Text, "journal locked")
	}
	if !found {
		t.Fatalf("StartJob error not reported: %+v", m.status.Log())
	}
}

var _ io.Writer = failWriter{}

func writeFile(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Show-hidden and the sort order are saved when changed and restored at
// the next start.
func TestViewRemembered(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	var saved store.ViewState
	d := e.deps(fixtureTree(t))
	d.SaveView = func(v store.ViewState) error { saved = v; return nil }
	press(t, startModel(t, d), keyRunes("."), keyRunes("s"), keyRunes("s"))
	if !saved.ShowHidden || saved.Sort != "size" || !saved.SortDesc {
		t.Fatalf("saved %+v", saved)
	}
	d.Settings.ShowHidden, d.Settings.Sort, d.Settings.SortDesc = saved.ShowHidden, saved.Sort, saved.SortDesc
	m := startModel(t, d)
	if !strings.Contains(m.local.View(), "hidden shown · size↓") {
		t.Fatalf("restored without hidden files shown, size descending:\n%s", m.local.View())
	}
}

// The preview label says the scale and when colours are cut to 256 (the
// modes offered and the kitty placement: uikit's TestPreviewModes; the
// scale's wording: studio's TestScaleText).
func TestPreviewModesAndLabels(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	m, _, _, _ := studioEnv(t)
	if v := m.View(); !strings.Contains(v, "80×60 image/png, 167 B, at 72%") || !strings.Contains(v, "half-block in 256 colours (COLORTERM unset)") {
		t.Fatalf("label:\n%s", ansi.Strip(v))
	}
}

// A kitty image is taken down while a dialog is open over the studio
// (the terminal draws images above text) and placed again after.
func TestKittyHiddenUnderDialogs(t *testing.T) {
	m, e, _, _ := studioEnv(t, func(d *Deps) { d.Settings.Preview = "kitty" })
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlL}) // any key: nothing bound
	mm, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drain(t, mm.(*Model), cmd)
	placed := strings.Count(e.clip.String(), "a=T")
	if placed == 0 {
		t.Fatal("no kitty image placed")
	}
	m = press(t, m, keyRunes("a"))
	if !strings.HasSuffix(e.clip.String(), uikit.KittyDelete(studio.KittyImageID)) {
		t.Fatalf("the image stayed over the menu: %q", e.clip.String()[max(0, len(e.clip.String())-60):])
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if strings.Count(e.clip.String(), "a=T") != placed+1 {
		t.Fatal("the image was not placed again after the menu closed")
	}
}
