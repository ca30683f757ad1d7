package ui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// previewModel is a synchronous model in dir with the preview on, its
// debounce recorded instead of waited for.
func previewModel(t *testing.T, dir string, w, h int, edit ...func(*Deps)) (*Model, *[]tea.Msg) {
	t.Helper()
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(dir)
	d.Settings.ShowPreview = true
	for _, f := range edit {
		f(&d)
	}
	ticks := &[]tea.Msg{}
	m := newSyncWith(d, options{previewTick: func(_ time.Duration, f func(time.Time) tea.Msg) tea.Cmd {
		*ticks = append(*ticks, f(fixedNow))
		return nil
	}})
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return drain(t, mm.(*Model), m.Init()), ticks
}

// Moving fast only schedules debounce ticks: a preview starts for the
// entry the cursor rests on, never for the ones it passed.
func TestPreviewDebounce(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 30; i++ {
		os.WriteFile(filepath.Join(dir, "f"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt"), []byte("x"), 0o600)
	}
	m, ticks := previewModel(t, dir, 100, 30)
	*ticks = nil
	for i := 0; i < 20; i++ {
		mm, _ := m.Update(keyRunes("j"))
		m = mm.(*Model)
	}
	if len(*ticks) != 20 {
		t.Fatalf("%d ticks for 20 moves", len(*ticks))
	}
	started := 0
	for _, tick := range *ticks {
		mm, cmd := m.Update(tick)
		m = mm.(*Model)
		if cmd != nil {
			started++
			m = drain(t, m, cmd)
		}
	}
	cur, _ := m.local.Current()
	if v := m.View(); started != 1 || !strings.Contains(v, "Preview "+cur.Name) || strings.Contains(v, "loading…") {
		t.Fatalf("%d previews started; cursor on %s:\n%s", started, cur.Name, v)
	}
}

// The preview draws within the layout at 80×24 and 120×40: the screen is
// exactly the terminal's size, the remote pane's half holds the preview,
// and a long line is cut at the border, never wrapped.
func TestGoldenPreviewLayout(t *testing.T) {
	dir := filepath.Join("testdata", "previewtree")
	mt := fixedNow.Add(-3 * time.Hour)
	for _, n := range []string{"greet.go", "notes.txt", "."} {
		os.Chtimes(filepath.Join(dir, n), mt, mt)
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"80x24", 80, 24}, {"120x40", 120, 40}} {
		t.Run(size.name, func(t *testing.T) {
			e := newTestEnv(t, emulatorOpts())
			d := e.deps(dir)
			d.Settings.ShowPreview = true
			m := runUntil(t, New(d), size.w, size.h, []string{"return \"hello, \" + name"})
			v := m.View()
			lines := strings.Split(v, "\n")
			if len(lines) != size.h {
				t.Fatalf("%d lines:\n%s", len(lines), v)
			}
			for i, l := range lines {
				// The panes fill the width; the hint line may stop short.
				if w := ansi.StringWidth(l); w > size.w || (i < size.h-1 && w != size.w) {
					t.Fatalf("line %d is %d cells wide:\n%s", i, w, v)
				}
			}
			if !strings.Contains(v, "Preview greet.go") || !strings.Contains(v, "text · Go · ") || strings.Contains(v, "Remote ") ||
				!strings.Contains(v, "        return \"hello, world\"") || strings.Contains(v, "layout below it") {
				t.Fatalf("preview not drawn as expected:\n%s", v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// With the kitty graphics protocol an image is placed over the preview
// box, and taken down when the cursor moves on, a dialog covers it, and
// before quitting.
func TestPreviewKitty(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 8, 4)))
	os.WriteFile(filepath.Join(dir, "a.png"), buf.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee\n"), 0o600)
	term := &syncBuffer{}
	m, ticks := previewModel(t, dir, 100, 30, func(d *Deps) {
		d.Getenv = func(k string) string { return map[string]string{"TERM": "xterm-kitty"}[k] }
		d.Clipboard = term
	})
	const place, del = "\x1b_Ga=T,f=100,q=2,C=1,i=7332,", "\x1b_Ga=d,d=I,i=7332,q=2\x1b\\"
	settle := func(m *Model, cmd tea.Cmd) *Model {
		m = drain(t, m, cmd)
		mm, cmd := m.Update((*ticks)[len(*ticks)-1])
		return drain(t, mm.(*Model), cmd)
	}
	m = settle(m, nil)
	if s := term.String(); strings.Count(s, place) != 1 || !strings.Contains(s, "\x1b[4;52H") || strings.Contains(m.View(), "▀") {
		t.Fatalf("not placed at row 4, column 52: %q", s)
	}
	steps := []struct {
		key          tea.KeyMsg
		places, dels int
	}{{keyRunes("j"), 1, 1}, {keyRunes("k"), 2, 1}, {keyRunes(":"), 2, 2}, {tea.KeyMsg{Type: tea.KeyEsc}, 3, 2}}
	for _, s := range steps {
		mm, cmd := m.Update(s.key)
		m = settle(mm.(*Model), cmd)
		if out := term.String(); strings.Count(out, place) != s.places || strings.Count(out, del) != s.dels {
			t.Fatalf("after %s: %d placed, %d deleted", s.key, strings.Count(out, place), strings.Count(out, del))
		}
	}
	// ctrl+z and q: the image is deleted before the program suspends or
	// quits (a sequence), and placed again on resume.
	deletedAtQuit := -1
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		msg := runCmd(t, c)
		switch msg.(type) {
		case tea.QuitMsg, tea.SuspendMsg:
			deletedAtQuit = strings.Count(term.String(), del)
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice { // a batch or a sequence
			for i := 0; i < v.Len(); i++ {
				if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
					run(c)
				}
			}
		}
	}
	mm, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlZ})
	if run(cmd); deletedAtQuit != 3 {
		t.Fatalf("deletes when suspending: %d", deletedAtQuit)
	}
	mm, cmd = mm.(*Model).Update(tea.ResumeMsg{})
	if m = drain(t, mm.(*Model), cmd); strings.Count(term.String(), place) != 4 {
		t.Fatalf("not placed again on resume: %q", term.String())
	}
	_, cmd = m.Update(keyRunes("q"))
	if run(cmd); deletedAtQuit != 4 {
		t.Fatalf("deletes when quitting: %d", deletedAtQuit)
	}
}

// BenchmarkKeyPressPreview: Update+View for one cursor move with the
// preview off and on (its debounce, cancel and frame; the reads run in
// commands, which the benchmark does not run).
func BenchmarkKeyPressPreview(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("preview=%v", on), func(b *testing.B) {
			m := modelWithEntries(b, 1000)
			if on { // P turns the preview on
				mm, _ := m.Update(keyRunes("P"))
				m = mm.(*Model)
			}
			down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := down
				if i/40%2 == 1 {
					k = up
				}
				mm, _ := m.Update(k)
				m = mm.(*Model)
				_ = m.View()
			}
		})
	}
}

// Over the preview the wheel does nothing; a click brings back the remote
// pane, focused, without selecting the row that was hidden there.
func TestPreviewMouse(t *testing.T) {
	e := newTestEnv(t, emulatorOpts())
	addEntries(t, e, 5)
	d := e.deps(t.TempDir())
	d.Settings.ShowPreview = true
	m := startModel(t, d)
	press := func(b tea.MouseButton) {
		mm, cmd := m.Update(tea.MouseMsg{X: 70, Y: 6, Button: b, Action: tea.MouseActionPress})
		m = drain(t, mm.(*Model), cmd)
	}
	press(tea.MouseButtonWheelDown)
	if m.focus != focusLocal || !m.previewShown() || remoteCursor(m) != 0 {
		t.Fatalf("wheel over the preview: focus %v, remote cursor %d", m.focus, remoteCursor(m))
	}
	press(tea.MouseButtonLeft)
	if m.focus != focusRemote || m.previewShown() || remoteCursor(m) != 0 || !strings.Contains(m.View(), "Remote ") {
		t.Fatalf("click on the preview: focus %v, remote cursor %d\n%s", m.focus, remoteCursor(m), m.View())
	}
}

// A 300×300 GIF in the preview pane of a kitty terminal with 9×18 px
// cells is sent at 300×300 px with no stretching side given (it was
// placed with only c= or r=, and kitty drew it 774×300 px).
func TestPreviewKittyAspectRatio(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 300, 300), color.Palette{color.White, color.Black}), nil)
	os.WriteFile(filepath.Join(dir, "sq.gif"), buf.Bytes(), 0o600)
	term := &syncBuffer{}
	m, ticks := previewModel(t, dir, 140, 40, func(d *Deps) {
		d.Getenv = func(k string) string { return map[string]string{"TERM": "xterm-kitty"}[k] }
		d.Clipboard = term
		d.CellSize = func() CellSize { return CellSize{W: 9, H: 18} }
	})
	mm, cmd := m.Update((*ticks)[len(*ticks)-1])
	drain(t, mm.(*Model), cmd)
	s := term.String()
	i := strings.Index(s, "\x1b_Ga=T,")
	if i < 0 {
		t.Fatalf("nothing placed: %q", s)
	}
	ctl := s[i+len("\x1b_G") : i+strings.Index(s[i:], ";")]
	if strings.Contains(ctl, "c=") || strings.Contains(ctl, "r=") {
		t.Fatalf("placement %q leaves a side to the terminal", ctl)
	}
	var data strings.Builder
	for _, chunk := range strings.Split(s[i:], "\x1b_G")[1:] {
		_, rest, _ := strings.Cut(chunk, ";")
		data.WriteString(rest[:strings.Index(rest, "\x1b\\")])
	}
	raw, err := base64.StdEncoding.DecodeString(data.String())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width != 300 || cfg.Height != 300 {
		t.Fatalf("sent %d×%d px (%v), want 300×300", cfg.Width, cfg.Height, err)
	}
}

// With sixel (or iTerm2) the preview draws the image into the box's
// cells from the frame itself, at the pixel box that keeps its aspect
// ratio, on row 4 column 52 (below the name line of the right half); the
// cursor moving to a text file, or a dialog, takes it out of the frame.
func TestPreviewSixelAndITerm2(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 640, 480), color.Palette{color.White, color.Black}), nil)
	os.WriteFile(filepath.Join(dir, "a.gif"), buf.Bytes(), 0o600)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee\n"), 0o600)
	for _, tc := range []struct{ mode, want string }{
		{"sixel", "\x1b7\x1b[4;52H\x1bP0;1;0q\"1;1;480;360#"},
		{"iterm2", "\x1b7\x1b[4;52H\x1b]1337;File=inline=1;size="},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			m, ticks := previewModel(t, dir, 100, 30, func(d *Deps) {
				d.Settings.Preview = tc.mode
				d.CellSize = func() CellSize { return CellSize{W: 10, H: 20} }
			})
			settle := func(m *Model, cmd tea.Cmd) *Model {
				m = drain(t, m, cmd)
				mm, cmd := m.Update((*ticks)[len(*ticks)-1])
				return drain(t, mm.(*Model), cmd)
			}
			m = settle(m, nil)
			v := m.View()
			if !strings.Contains(v, tc.want) {
				t.Fatalf("image not drawn at row 4, column 52: %q", v)
			}
			if tc.mode == "iterm2" && !strings.Contains(v, ";width=480px;height=360px;") {
				t.Fatalf("iTerm2 image not 480×360 px: %q", v)
			}
			for i, l := range strings.Split(v, "\n") {
				if w := ansi.StringWidth(l); w > 100 {
					t.Fatalf("line %d is %d cells wide", i, w)
				}
			}
			for _, s := range []struct {
				key   tea.KeyMsg
				shown bool
			}{{keyRunes("j"), false}, {keyRunes("k"), true}, {keyRunes(":"), false}, {tea.KeyMsg{Type: tea.KeyEsc}, true}} {
				mm, cmd := m.Update(s.key)
				m = settle(mm.(*Model), cmd)
				if v := m.View(); strings.Contains(v, tc.want) != s.shown {
					t.Fatalf("after %s: image shown %v, want %v", s.key, !s.shown, s.shown)
				}
			}
		})
	}
}

// J and K scroll the preview while it is shown with the local pane in
// use; with none shown they say how to show it (K is not the API key:
// that is ctrl+k).
func TestPreviewScrollKeys(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	os.WriteFile(filepath.Join(dir, "long.txt"), []byte(b.String()), 0o600)
	m, ticks := previewModel(t, dir, 100, 30)
	mm, cmd := m.Update((*ticks)[len(*ticks)-1])
	m = drain(t, mm.(*Model), cmd)
	if v := m.View(); !strings.Contains(v, "1–23 of 100") {
		t.Fatalf("not shown from the top:\n%s", v)
	}
	m = press(t, m, keyRunes("J"))
	if v := m.View(); !strings.Contains(v, "12–34 of 100") || !strings.Contains(v, "│line 12 ") || m.overlay != nil {
		t.Fatalf("J did not scroll:\n%s", v)
	}
	m = press(t, m, keyRunes("K"))
	if v := m.View(); !strings.Contains(v, "1–23 of 100") || m.overlay != nil {
		t.Fatalf("K did not scroll back:\n%s", v)
	}
	// With the preview off J and K are still its keys: they say how to
	// show it and open nothing; ctrl+k is the API key.
	m = press(t, m, keyRunes("P"), keyRunes("K"))
	if m.overlay != nil || statusText(m) != "no preview shown — P shows it" {
		t.Fatalf("K with the preview off: status %q, overlay %T", statusText(m), m.overlay)
	}
	m = press(t, m, keyRunes("P"), tea.KeyMsg{Type: tea.KeyTab}, keyRunes("J"))
	if m.overlay != nil || statusText(m) != "no preview shown — tab to the local pane shows it" {
		t.Fatalf("J in the remote pane with the preview on: status %q, overlay %T", statusText(m), m.overlay)
	}
	m = press(t, m, keyRunes("K"))
	if m.overlay != nil || statusText(m) != "no preview shown — tab to the local pane shows it" {
		t.Fatalf("K in the remote pane: status %q, overlay %T", statusText(m), m.overlay)
	}
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlK})
	if v := m.View(); m.overlay == nil || !strings.Contains(v, "API key") {
		t.Fatalf("ctrl+k did not open the API key dialog:\n%s", v)
	}
}
