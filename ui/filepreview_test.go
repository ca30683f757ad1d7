package ui

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"
)

// sgr matches the colour sequences the preview may send; anything else
// starting with ESC is a sequence from the file reaching the terminal.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func localEntryAt(t *testing.T, path string) localEntry {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return localEntry{Name: filepath.Base(path), Path: path, Size: info.Size(), ModTime: info.ModTime(), IsDir: info.IsDir()}
}

func previewOf(t *testing.T, path string, profile termenv.Profile) previewResult {
	t.Helper()
	return loadPreview(context.Background(), previewRequest{entry: localEntryAt(t, path), w: 30, h: 10, profile: profile, draw: true})
}

// Each kind: Go text highlighted (lexer by name), a directory listed
// with its count, an image drawn in half-blocks, a binary as a hexdump.
func TestPreviewKinds(t *testing.T) {
	dir := t.TempDir()
	src := "package main\n\nfunc main() {\n\treturn\n}\n\n\n"
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600)
	os.WriteFile(filepath.Join(dir, "noext"), []byte("#!/bin/sh\necho hi\n"), 0o600)
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	os.WriteFile(filepath.Join(dir, "blob.bin"), append([]byte{0, 1, 2, 0xff}, []byte("ELFish\x00data")...), 0o600)
	img := image.NewNRGBA(image.Rect(0, 0, 8, 4))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(0, 0, color.NRGBA{R: 255, A: 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	os.WriteFile(filepath.Join(dir, "dot.png"), buf.Bytes(), 0o600)

	text := previewOf(t, filepath.Join(dir, "main.go"), termenv.ANSI256)
	if text.kind != previewKindText || !strings.Contains(text.info, "text · Go") || len(text.lines) != 7 || !strings.Contains(text.lines[2], "\x1b[") {
		t.Fatalf("text: %+v", text)
	}
	if !strings.Contains(text.lines[0], "\x1b[38;5;") || ansi.Strip(text.lines[3]) != "    return" {
		t.Fatalf("not highlighted, or the tab not expanded: %q", text.lines)
	}
	if tc := previewOf(t, filepath.Join(dir, "main.go"), termenv.TrueColor); !strings.Contains(tc.lines[0], "\x1b[38;2;") {
		t.Fatalf("truecolor: %q", tc.lines)
	}
	if sh := previewOf(t, filepath.Join(dir, "noext"), termenv.Ascii); !strings.Contains(sh.info, "Bash") {
		t.Fatalf("no lexer from the content: %q", sh.info)
	}
	if plain := previewOf(t, filepath.Join(dir, "main.go"), termenv.Ascii); strings.Contains(strings.Join(plain.lines, ""), "\x1b") {
		t.Fatalf("colour without colour support: %q", plain.lines)
	}
	d := previewOf(t, dir, termenv.Ascii)
	if d.kind != previewKindDir || d.info != "directory · 5 entries" || d.lines[0] != "sub/" {
		t.Fatalf("dir: %+v", d)
	}
	im := previewOf(t, filepath.Join(dir, "dot.png"), termenv.Ascii)
	if im.kind != previewKindImage || !strings.Contains(im.info, "image/png · 8×4") || im.drawnW != 30 || im.drawnH != 10 || im.drawn == "" {
		t.Fatalf("image: %+v", im)
	}
	bin := previewOf(t, filepath.Join(dir, "blob.bin"), termenv.Ascii)
	if bin.kind != previewKindBinary || !strings.Contains(bin.info, "15 bytes") {
		t.Fatalf("binary: %+v", bin)
	}
	// The dump is as wide as the pane: 4 bytes a line at 38 cells, 12 at 58.
	if l := hexLines(bin.hex, 38); len(l) != 4 || l[0] != "00000000  00 01 02 ff ...." || l[1] != "00000004  45 4c 46 69 ELFi" ||
		l[3] != "0000000c  61 74 61    ata" {
		t.Fatalf("dump at 38: %q", l)
	}
	if l := hexLines(bin.hex, 58); len(l) != 2 || l[0] != "00000000  00 01 02 ff 45 4c 46 69 73 68 00 64 ....ELFish.d" {
		t.Fatalf("dump at 58: %q", l)
	}
}

// A file full of escape sequences, control characters and bad UTF-8:
// only the preview's own colour sequences reach the terminal; the file's
// show as visible pictures.
func TestPreviewEscapesNeverRaw(t *testing.T) {
	dir := t.TempDir()
	evil := "package evil\n\n// Output of a test run, pasted in.\nvar log = `\n" + "x := 1 // \x1b]52;c;aGVsbG8=\x07 then \x1b[2J and \x9b31m\ncolour \x1b[31mred\x1b[0m \xff\xfe bell\a \u202e\n"
	for _, name := range []string{"evil.go", "evil.txt"} {
		os.WriteFile(filepath.Join(dir, name), []byte(evil), 0o600)
		for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
			r := previewOf(t, filepath.Join(dir, name), profile)
			out := strings.Join(r.lines, "\n") + r.info
			if r.kind != previewKindText {
				t.Fatalf("%s: kind %v", name, r.kind)
			}
			if rest := sgr.ReplaceAllString(out, ""); strings.ContainsAny(rest, "\x1b\a\u009b\u202e") || !strings.Contains(rest, "␛]52;c;aGVsbG8=␇") ||
				!strings.Contains(rest, "␛[2J") || !strings.Contains(rest, "\uFFFD") {
				t.Fatalf("%s %v: %q", name, profile, rest)
			}
		}
	}
	// A directory's names are shown sanitised too.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o700)
	os.WriteFile(filepath.Join(sub, "e\x1b]52;c;eA==\x07vil"), nil, 0o600)
	if d := previewOf(t, sub, termenv.ANSI256); len(d.lines) != 1 || d.lines[0] != "e␛]52;c;eA==␇vil" {
		t.Fatalf("dir listing: %q", d.lines)
	}
	// The view keeps it so.
	v := filePreview{styles: &testEnvOf(Deps{}).styles, width: 40, height: 10, key: "k", entry: localEntry{Name: "e\x1b[2Jvil"}}
	r := previewOf(t, filepath.Join(dir, "evil.txt"), termenv.ANSI256)
	v.res = &r
	if rest := sgr.ReplaceAllString(v.View(), ""); strings.Contains(rest, "\x1b") || !strings.Contains(rest, "e␛[2Jvil") {
		t.Fatalf("view: %q", rest)
	}
}

// Caps: a text file is read up to 256 KiB and lines are cut (never
// wrapped); an image whose header claims more pixels than the budget is
// refused before decoding.
func TestPreviewCaps(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("ab", 300) + "\n"
	big := strings.Repeat(long, previewTextCap/len(long)+10)
	os.WriteFile(filepath.Join(dir, "big.txt"), []byte(big), 0o600)
	r := previewOf(t, filepath.Join(dir, "big.txt"), termenv.Ascii)
	if len(r.lines) != previewMaxLines || !strings.Contains(r.info, "first 400 lines") || ansi.StringWidth(r.lines[0]) != previewMaxCols {
		t.Fatalf("lines %d, width %d, info %q", len(r.lines), ansi.StringWidth(r.lines[0]), r.info)
	}
	// A PNG header saying 20000×20000 with no pixel data behind it.
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	copy(b[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	os.WriteFile(filepath.Join(dir, "huge.png"), b, 0o600)
	if r := previewOf(t, filepath.Join(dir, "huge.png"), termenv.Ascii); r.kind != previewKindError || !strings.Contains(r.info, "20000×20000 · 71 B") ||
		!strings.Contains(r.info, "too large to preview") {
		t.Fatalf("huge image: %+v", r)
	}
	// The pane shows the whole message, wrapped, even when narrow.
	v := filePreview{styles: &testEnvOf(Deps{}).styles, width: 30, height: 10, key: "k", entry: localEntry{Name: "huge.png"}}
	r = previewOf(t, filepath.Join(dir, "huge.png"), termenv.Ascii)
	v.res = &r
	var words []string
	for _, l := range strings.Split(sgr.ReplaceAllString(v.View(), ""), "\n") {
		words = append(words, strings.Fields(strings.Trim(l, "│ "))...)
	}
	if got := strings.Join(words, " "); !strings.Contains(got, "too large to preview (over 25 megapixels) · image · image/png · 20000×20000 · 71 B") {
		t.Fatalf("narrow view: %q", got)
	}
}

// previewModel is a synchronous model in dir with the preview on, its
// debounce recorded instead of waited for.
func previewModel(t *testing.T, dir string, w, h int, edit ...func(*Deps)) (Model, *[]tea.Msg) {
	t.Helper()
	e := newTestEnv(t, emulatorOpts())
	d := e.deps(dir)
	d.Settings.ShowPreview = true
	for _, f := range edit {
		f(&d)
	}
	m := newSync(d)
	ticks := &[]tea.Msg{}
	m.preview.tick = func(_ time.Duration, f func(time.Time) tea.Msg) tea.Cmd {
		*ticks = append(*ticks, f(fixedNow))
		return nil
	}
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return drain(t, mm.(Model), m.Init()), ticks
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
		m = mm.(Model)
	}
	if len(*ticks) != 20 {
		t.Fatalf("%d ticks for 20 moves", len(*ticks))
	}
	started := 0
	for _, tick := range *ticks {
		mm, cmd := m.Update(tick)
		m = mm.(Model)
		if cmd != nil {
			started++
			m = drain(t, m, cmd)
		}
	}
	if cur, _ := m.local.current(); started != 1 || m.preview.entry.Path != cur.Path || m.preview.res == nil {
		t.Fatalf("%d previews started; previewing %s, cursor on %s", started, m.preview.entry.Name, cur.Name)
	}
}

// A preview running when the cursor moves on is cancelled, and its late
// result is dropped: the new entry's preview is what shows.
func TestPreviewCancelAndStaleDrop(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "adir"), 0o700)
	for i := 0; i < 600; i++ {
		os.WriteFile(filepath.Join(dir, "adir", "n"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+itoa(i)), nil, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee\n"), 0o600)
	m, ticks := previewModel(t, dir, 100, 30)
	mm, load := m.Update((*ticks)[len(*ticks)-1]) // the debounce for adir ends
	m = mm.(Model)
	if load == nil || m.preview.entry.Name != "adir" {
		t.Fatalf("no preview started for %q", m.preview.entry.Name)
	}
	mm, _ = m.Update(keyRunes("j")) // on to b.txt before adir's preview is done
	m = mm.(Model)
	late := runCmd(t, load).(previewLoadedMsg)
	if late.res.info != "" {
		t.Fatalf("the cancelled preview ran to the end: %q", late.res.info)
	}
	// Even a complete result for adir, arriving late, is dropped.
	full := previewLoadedMsg{seq: late.seq, res: previewResult{kind: previewKindDir, info: "directory · 600 entries", lines: []string{"stale"}}}
	mm, _ = m.Update(full)
	m = mm.(Model)
	if m.preview.res != nil || strings.Contains(m.View(), "stale") {
		t.Fatalf("stale result shown:\n%s", m.View())
	}
	mm, cmd := m.Update((*ticks)[len(*ticks)-1])
	m = drain(t, mm.(Model), cmd)
	if v := m.View(); !strings.Contains(v, "Preview b.txt") || !strings.Contains(v, "bee") {
		t.Fatalf("b.txt not previewed:\n%s", v)
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
			m := runUntil(t, New(d), size.w, size.h, "return \"hello, \" + name")
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
	settle := func(m Model, cmd tea.Cmd) Model {
		m = drain(t, m, cmd)
		mm, cmd := m.Update((*ticks)[len(*ticks)-1])
		return drain(t, mm.(Model), cmd)
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
		m = settle(mm.(Model), cmd)
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
	mm, cmd = mm.(Model).Update(tea.ResumeMsg{})
	if m = drain(t, mm.(Model), cmd); strings.Count(term.String(), place) != 4 {
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
			m.local.previewOn = on
			down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := down
				if i/40%2 == 1 {
					k = up
				}
				mm, _ := m.Update(k)
				m = mm.(Model)
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
		m = drain(t, mm.(Model), cmd)
	}
	press(tea.MouseButtonWheelDown)
	if m.focus != focusLocal || !m.previewShown() || m.remote.list.Cursor() != 0 {
		t.Fatalf("wheel over the preview: focus %v, remote cursor %d", m.focus, m.remote.list.Cursor())
	}
	press(tea.MouseButtonLeft)
	if m.focus != focusRemote || m.previewShown() || m.remote.list.Cursor() != 0 || !strings.Contains(m.View(), "Remote ") {
		t.Fatalf("click on the preview: focus %v, remote cursor %d\n%s", m.focus, m.remote.list.Cursor(), m.View())
	}
}

// BenchmarkPreviewText: the worst text preview, a full 256 KiB of
// 400+ lines without an extension (every lexer's analyser runs), highlighted
// in 256 colours.
func BenchmarkPreviewText(b *testing.B) {
	line := strings.Repeat("let value = compute(x, y) + 42; // note\t", 15) + "\n"
	data := []byte(strings.Repeat(line, previewTextCap/len(line)))
	for i := 0; i < b.N; i++ {
		previewText(context.Background(), "README", data, true, int64(len(data)), termenv.ANSI256)
	}
}

// countingLexer counts the tokens its lexer is asked for.
type countingLexer struct {
	chroma.Lexer
	pulled *int
}

func (c countingLexer) Tokenise(o *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	it, err := c.Lexer.Tokenise(o, text)
	if err != nil {
		return nil, err
	}
	return func() chroma.Token { *c.pulled++; return it() }, nil
}

// A cancelled preview stops highlighting: the lexer is not asked for the
// rest of the text (some take seconds over a 256 KiB file), and no half
// highlighted result comes back.
func TestPreviewHighlightStopsWhenCancelled(t *testing.T) {
	text := strings.Repeat("*emphasis* and `code` [link](x)\n", 2000)
	pulled := 0
	lx := countingLexer{lexers.Get("markdown"), &pulled}
	if _, ok := highlight(context.Background(), lx, text, termenv.ANSI256); !ok || pulled < 2000 {
		t.Fatalf("not cancelled: ok %v, %d tokens", ok, pulled)
	}
	pulled = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if hl, ok := highlight(ctx, lx, text, termenv.ANSI256); ok || pulled > 1 {
		t.Fatalf("cancelled: ok %v (%d lines), %d tokens lexed", ok, len(hl), pulled)
	}
}

// BenchmarkPreviewTextLongLine: a 256 KiB file of one line of markdown
// that the lexer finds hard (emphasis and code marks that never close).
func BenchmarkPreviewTextLongLine(b *testing.B) {
	data := []byte(strings.Repeat("*_`[", previewTextCap/4))
	for i := 0; i < b.N; i++ {
		previewText(context.Background(), "notes.md", data, true, int64(len(data)), termenv.ANSI256)
	}
}
