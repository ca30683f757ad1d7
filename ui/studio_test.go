package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
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
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/studio"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// countingRemote counts transformation fetches, to prove the preview cache.
type countingRemote struct {
	uikit.Remote
	fetches int
}

func (c *countingRemote) FetchTransform(ctx context.Context, ch transformChain, w ioWriter, max int64) (string, error) {
	c.fetches++
	return c.Remote.FetchTransform(ctx, ch, w, max)
}

// studioEnv uploads a 4-colour PNG and opens the studio on it.
func studioEnv(t *testing.T, edit ...func(*Deps)) (*Model, *testEnv, *countingRemote, string) {
	t.Helper()
	e := newTestEnv(t, emulator.Options{})
	img := image.NewNRGBA(image.Rect(0, 0, 80, 60))
	for y := 0; y < 60; y++ {
		for x := 0; x < 80; x++ {
			c := color.NRGBA{255, 255, 255, 255}
			if x < 40 && y < 30 {
				c = color.NRGBA{0, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	p := filepath.Join(t.TempDir(), "pic.png")
	os.WriteFile(p, b.Bytes(), 0o600)
	f, err := e.client.Upload(context.Background(), p, filestack.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: f.Handle, Filename: "pic.png", Size: f.Size,
		Mimetype: "image/png", Uploaded: fixedNow, Added: fixedNow})
	cr := &countingRemote{Remote: e.client}
	d := e.deps(fixtureTree(t))
	d.Remote = cr
	d.Settings.Preview = "halfblock"
	for _, f := range edit {
		f(&d)
	}
	m := newSync(d)
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drain(t, mm.(*Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("t"))
	return m, e, cr, f.Handle
}

// press sends keys and runs what they start.
func press(t *testing.T, m *Model, keys ...tea.KeyMsg) *Model {
	t.Helper()
	for _, k := range keys {
		mm, cmd := m.Update(k)
		m = drain(t, mm.(*Model), cmd)
	}
	return m
}

func TestStudioEditPreviewAndCache(t *testing.T) {
	m, e, cr, handle := studioEnv(t)
	if m.studio == nil {
		t.Fatal("studio did not open")
	}
	if !strings.Contains(m.View(), "80×60 image/png") {
		t.Fatalf("original not previewed:\n%s", m.View())
	}
	m = press(t, m, keyRunes("a"), keyRunes("r")) // add resize=width:300
	if got := m.studio.Chain().Format(); got != "/resize=width:300/"+handle {
		t.Fatalf("chain %s", got)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyBackspace}, tea.KeyMsg{Type: tea.KeyBackspace},
		tea.KeyMsg{Type: tea.KeyBackspace}, keyRunes("x"))
	if !strings.Contains(m.studio.Problem(), "expected an integer") || !strings.Contains(m.View(), "expected an integer") {
		t.Fatalf("invalid value not reported:\n%s", m.View())
	}
	if got, err := m.studio.Chain().Format(), m.studio.Chain().Validate(); got != "/resize/"+handle || err == nil || !strings.Contains(err.Error(), "needs `width` or `height`") {
		t.Fatalf("emptying width removes it and flags the chain: %s (%v)", got, err)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace}, keyRunes("4"), keyRunes("0"))
	if got := m.studio.Chain().Format(); got != "/resize=width:40/"+handle {
		t.Fatalf("chain %s", got)
	}
	fetches := cr.fetches
	m = press(t, m, keyRunes("0")) // width 400
	m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	if cr.fetches != fetches+1 {
		t.Fatalf("%d fetches for 400 then back to 40: the unchanged chain must come from the cache", cr.fetches-fetches)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEscape})
	view := strings.ReplaceAll(m.View(), handle, "HANDLEHANDLEHANDLE00")
	view = strings.ReplaceAll(view, strings.TrimSuffix(e.client.CDNURL(""), "/"), "http://emulator")
	golden.RequireEqual(t, []byte(view))

	m = press(t, m, keyRunes("s"))
	entries, _ := e.ledger.List(context.Background(), e.scope)
	if len(entries) != 2 || entries[0].Source != store.SourceTransform {
		t.Fatalf("stored result not in the ledger (status %q): %+v", statusText(m), entries)
	}
	m = press(t, m, keyRunes("y"))
	if !strings.Contains(e.clip.String(), b64(e.client.CDNURL("resize=width:40/"+handle))) {
		t.Fatal("y did not copy the transform URL")
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEscape})
	if m.studio != nil {
		t.Fatal("esc did not close the studio")
	}
	if m = press(t, m, keyRunes("Y")); !strings.Contains(m.View(), "transform URL (/resize=width:40/") {
		t.Fatalf("the chain is not remembered for copy-as:\n%s", m.View())
	}
}

func TestStudioRefusesNonImages(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	addEntries(t, e, 1)
	e.ledger.Add(context.Background(), e.scope, store.Entry{Handle: handleN(5), Filename: "a.txt", Mimetype: "text/plain", Added: fixedNow.Add(time.Hour)})
	m := newSync(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drain(t, mm.(*Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyTab}, keyRunes("t"))
	if m.studio != nil || !strings.Contains(statusText(m), "works on images") {
		t.Fatalf("studio opened on text: %q", statusText(m))
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
	press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	if strings.Count(e.clip.String(), "a=T") != placed+1 {
		t.Fatal("the image was not placed again after the menu closed")
	}
}

// The studio's field hints say what the keys do, and a refused value is
// the reason the URL line gives.
func TestStudioFieldHintsAndReason(t *testing.T) {
	m, _, _, _ := studioEnv(t)
	m = press(t, m, keyRunes("a"), keyRunes("r"), tea.KeyMsg{Type: tea.KeyEnter})
	if !m.studio.Typing() {
		t.Fatal("enter did not edit the task")
	}
	hint := lastLine(ansi.Strip(m.View()))
	if strings.Contains(hint, "up up") || strings.Contains(hint, "down down") || !strings.Contains(hint, "next field") {
		t.Fatalf("hint line while editing: %q", hint)
	}
	for range 3 {
		m = press(t, m, tea.KeyMsg{Type: tea.KeyBackspace})
	}
	// The emptied field left resize without a width; "-5" is refused, so
	// the chain still lacks it, but the reason is the typed value.
	m = press(t, m, keyRunes("-"), keyRunes("5"))
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "invalid: width: -5 is out of range") || strings.Contains(v, "needs `width` or `height`") {
		t.Fatalf("URL line does not give the real reason:\n%s", v)
	}
}

// In sixel the studio draws its preview into the box's cells at the
// pixel box that keeps the image's 4:3 (it was drawn tall and narrow in
// kitty), hides it under a dialog, and p cycles sixel, off, half-blocks.
func TestStudioSixel(t *testing.T) {
	m, _, _, _ := studioEnv(t, func(d *Deps) {
		d.Settings.Preview = "sixel"
		d.CellSize = func() CellSize { return CellSize{W: 10, H: 20} }
	})
	raster := regexp.MustCompile(`\x1b7\x1b\[4;(\d+)H\x1bP0;1;0q"1;1;(\d+);(\d+)#`)
	check := func(want bool) {
		t.Helper()
		v := m.View()
		got := raster.FindStringSubmatch(v)
		if (got != nil) != want {
			t.Fatalf("sixel image shown %v, want %v:\n%q", got != nil, want, v)
		}
		if got == nil {
			return
		}
		w, _ := strconv.Atoi(got[2])
		h, _ := strconv.Atoi(got[3])
		if w != 80 || h != 60 || !strings.Contains(v, "80×60 image/png (sixel)") {
			t.Fatalf("drawn %d×%d px, want 80×60 (it fits):\n%s", w, h, ansi.Strip(v))
		}
	}
	check(true)
	m = press(t, m, keyRunes("a"))
	check(false)
	m = press(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	check(true)
	m = press(t, m, keyRunes("p"))
	if v := m.View(); !strings.Contains(v, "preview: off") || strings.Contains(v, "\x1bP") {
		t.Fatalf("p from sixel:\n%s", ansi.Strip(v))
	}
	m = press(t, m, keyRunes("p"), keyRunes("p"))
	check(true)
}
