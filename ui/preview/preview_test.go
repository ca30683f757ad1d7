package preview

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
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

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// TestMain draws without colours, so views compare as text.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// newTestPreview is a preview whose debounce ticks are recorded, not
// waited for.
func newTestPreview() (*Preview, *[]tea.Msg) {
	ticks := &[]tea.Msg{}
	v := New(uikit.NewEnv(uikit.EnvOptions{Settings: uikit.Settings{Preview: "halfblock"}}), Options{Tick: func(_ time.Duration, f func(time.Time) tea.Msg) tea.Cmd {
		*ticks = append(*ticks, f(time.Time{}))
		return nil
	}})
	return v, ticks
}

// run feeds what cmd answers back into the preview, to the end.
func run(v *Preview, cmd tea.Cmd) {
	for cmd != nil {
		cmd = v.Update(cmd())
	}
}

// shown is a w×h preview showing e, its debounce over and its read done.
func shown(t *testing.T, w, h int, e uikit.LocalEntry) *Preview {
	t.Helper()
	v, ticks := newTestPreview()
	v.SetSize(w, h)
	v.Follow(e, true)
	if len(*ticks) == 0 {
		t.Fatal("no debounce started")
	}
	run(v, v.Update((*ticks)[len(*ticks)-1]))
	return v
}

// sgr matches the colour sequences the preview may send; anything else
// starting with ESC is a sequence from the file reaching the terminal.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func localEntryAt(t *testing.T, path string) uikit.LocalEntry {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return uikit.LocalEntry{Name: filepath.Base(path), Path: path, Size: info.Size(), ModTime: info.ModTime(), IsDir: info.IsDir()}
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
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	e := localEntryAt(t, filepath.Join(dir, "evil.txt"))
	e.Name = "e\x1b[2Jvil"
	v := shown(t, 40, 10, e)
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
	v := shown(t, 30, 10, localEntryAt(t, filepath.Join(dir, "huge.png")))
	var words []string
	for _, l := range strings.Split(sgr.ReplaceAllString(v.View(), ""), "\n") {
		words = append(words, strings.Fields(strings.Trim(l, "│ "))...)
	}
	if got := strings.Join(words, " "); !strings.Contains(got, "too large to preview (over 25 megapixels) · image · image/png · 20000×20000 · 71 B") {
		t.Fatalf("narrow view: %q", got)
	}
}

// A preview running when the cursor moves on is cancelled, and its late
// result is dropped: the new entry's preview is what shows.
func TestPreviewCancelAndStaleDrop(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "adir"), 0o700)
	for i := 0; i < 600; i++ {
		os.WriteFile(filepath.Join(dir, "adir", "n"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strconv.Itoa(i)), nil, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("bee\n"), 0o600)
	v, ticks := newTestPreview()
	v.SetSize(50, 27)
	v.Follow(localEntryAt(t, filepath.Join(dir, "adir")), true)
	load := v.Update((*ticks)[len(*ticks)-1]) // the debounce for adir ends
	if load == nil || !strings.Contains(v.View(), "Preview adir") {
		t.Fatalf("no preview started for adir:\n%s", v.View())
	}
	v.Follow(localEntryAt(t, filepath.Join(dir, "b.txt")), true) // on before adir's preview is done
	late := load().(loadedMsg)
	if late.res.info != "" {
		t.Fatalf("the cancelled preview ran to the end: %q", late.res.info)
	}
	// Even a complete result for adir, arriving late, is dropped.
	full := loadedMsg{seq: late.seq, res: previewResult{kind: previewKindDir, info: "directory · 600 entries", lines: []string{"stale"}}}
	v.Update(full)
	if view := v.View(); !strings.Contains(view, "loading…") || strings.Contains(view, "stale") {
		t.Fatalf("stale result shown:\n%s", view)
	}
	run(v, v.Update((*ticks)[len(*ticks)-1]))
	if view := v.View(); !strings.Contains(view, "Preview b.txt") || !strings.Contains(view, "bee") {
		t.Fatalf("b.txt not previewed:\n%s", view)
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
