package preview

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/charmbracelet/x/ansi"
	"github.com/gabriel-vasile/mimetype"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/internal/lexers"
	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Caps of the file preview: what a cursor resting on a huge file may cost.
const (
	previewTextCap   = 256 << 10 // bytes of a text file read
	previewMaxLines  = 400       // lines highlighted (no pane is taller)
	previewMaxCols   = 512       // cells kept of a line (no pane is wider)
	previewHexBytes  = 256       // bytes of a binary shown as a hexdump
	previewPixels    = 24 << 20  // pixels of an image decoded (about 96 MB as RGBA)
	previewDirCap    = 100_000   // entries of a directory counted
	previewDirListed = 400       // entries of a directory listed
	previewTabWidth  = 4
	previewAnalyse   = 4 << 10 // bytes of text the lexers' analysers see
)

// previewKind is what the preview shows.
type previewKind int

const (
	previewKindText previewKind = iota
	previewKindImage
	previewKindDir
	previewKindBinary
	previewKindError
)

// previewResult is a computed preview: a summary line and body lines
// (already sanitised, possibly with colour), or an image to draw.
type previewResult struct {
	kind  previewKind
	info  string
	lines []string
	img   image.Image
	// hex is a binary's head, dumped as wide as the pane allows.
	hex []byte
	// drawn is img as half-blocks for drawnW×drawnH cells.
	drawn          string
	drawnW, drawnH int
	// graphic is img as a sixel or iTerm2 sequence for graphicW×graphicH
	// cells.
	graphic            string
	graphicW, graphicH int
}

// previewRequest is what a preview command needs: the entry, the cells
// an image is drawn into and the colour support.
type previewRequest struct {
	entry   uikit.LocalEntry
	w, h    int
	profile termenv.Profile
	draw    bool // draw images in half-blocks (not for kitty)
	// lookPath finds pdftoppm (nil: nothing may run).
	lookPath func(string) (string, error)
}

// loadPreview computes the preview of one local entry (in a command). It
// stops early when ctx is cancelled, the cursor having moved on.
func loadPreview(ctx context.Context, r previewRequest) previewResult {
	e := r.entry
	if e.Err != "" {
		return previewError(e.Err)
	}
	if e.IsDir {
		return previewDir(ctx, e.Path)
	}
	// Only regular files are opened: opening a named pipe blocks until a
	// writer comes, and a device may never end.
	info, err := os.Stat(e.Path)
	if err != nil {
		return previewError(text.FSError(err, true))
	}
	if !info.Mode().IsRegular() {
		return previewResult{kind: previewKindBinary, info: "special file · " + uikit.SpecialKind(info.Mode())}
	}
	f, err := os.Open(e.Path)
	if err != nil {
		return previewError(text.FSError(err, true))
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, previewTextCap+1))
	if err != nil {
		return previewError(text.FSError(err, true))
	}
	if ctx.Err() != nil {
		return previewResult{}
	}
	mt := mimetype.Detect(head)
	switch {
	case mt.Is("application/pdf"):
		return previewPDF(ctx, e.Path, e.Size, r)
	case isArchive(mt):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return previewError(text.FSError(err, true))
		}
		return previewArchive(ctx, f, mt, e.Size)
	case isDrawable(mt):
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return previewError(text.FSError(err, true))
		}
		return previewImage(ctx, f, mt.String(), e.Size, r)
	case isText(mt) || looksLikeText(head):
		truncated := len(head) > previewTextCap
		return previewText(ctx, e.Name, head[:min(len(head), previewTextCap)], truncated, e.Size, r.profile)
	}
	return previewBinary(head, mt.String(), e.Size)
}

func previewError(reason string) previewResult {
	return previewResult{kind: previewKindError, info: "cannot preview: " + text.Sanitize(reason)}
}

// isText: mimetype's text types all descend from text/plain.
func isText(mt *mimetype.MIME) bool {
	for m := mt; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return true
		}
	}
	return false
}

// looksLikeText: without NUL bytes, and with few invalid UTF-8 bytes and
// control characters, it is text even when it holds escape sequences (a
// coloured build log) that make mimetype call it binary; the preview
// shows those as visible pictures.
func looksLikeText(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	odd := 0
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && !strings.ContainsRune("\t\n\r\f\x1b", r)) {
			odd++
		}
		i += size
	}
	return odd*16 < len(head)
}

// isDrawable is an image format a decoder is registered for (uikit's
// image.go).
func isDrawable(mt *mimetype.MIME) bool {
	return mt.Is("image/png") || mt.Is("image/jpeg") || mt.Is("image/gif") || mt.Is("image/webp")
}

// previewImage checks the size in the header first, so a small file that
// claims a huge image is refused before anything is allocated.
func previewImage(ctx context.Context, f io.ReadSeeker, typ string, size int64, r previewRequest) previewResult {
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return previewError("not a readable image: " + err.Error())
	}
	info := fmt.Sprintf("image · %s · %d×%d · %s", typ, cfg.Width, cfg.Height, uikit.FormatSize(size))
	if int64(cfg.Width)*int64(cfg.Height) > previewPixels {
		return previewResult{kind: previewKindError, info: fmt.Sprintf("too large to preview (over %d megapixels) · %s", previewPixels/1_000_000, info)}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return previewError(text.FSError(err, true))
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return previewError("not a readable image: " + err.Error())
	}
	if ctx.Err() != nil {
		return previewResult{}
	}
	res := previewResult{kind: previewKindImage, info: info, img: img}
	if r.draw {
		res.drawn, res.drawnW, res.drawnH = uikit.RenderHalfBlocks(img, r.w, r.h, r.profile), r.w, r.h
	}
	return res
}

// previewText sanitises the text first (tabs expanded, control
// characters and invalid UTF-8 made visible), then highlights it: chroma
// sees only safe text, so its output is safe too.
func previewText(ctx context.Context, name string, data []byte, truncated bool, size int64, profile termenv.Profile) previewResult {
	raw := strings.Split(string(data), "\n")
	if truncated && len(raw) > 1 {
		raw = raw[:len(raw)-1] // the last line may end in a cut character
	}
	if len(raw) > 0 && raw[len(raw)-1] == "" {
		raw = raw[:len(raw)-1]
	}
	more := len(raw) > previewMaxLines
	raw = raw[:min(len(raw), previewMaxLines)]
	clean := make([]string, len(raw))
	for i, l := range raw {
		clean[i] = shownPart(l)
	}
	joined := strings.Join(clean, "\n")
	lexer := lexers.Match(name)
	if lexer == nil {
		// What identifies content (a shebang, a doctype, a modeline) is at
		// its start; the analysers' regular expressions over all of it
		// would cost most of the preview.
		lexer = lexers.Analyse(strings.ToValidUTF8(joined[:min(len(joined), previewAnalyse)], ""))
	}
	lang := "plain text"
	if lexer != nil {
		lang = lexer.Config().Name
	}
	info := "text · " + text.Sanitize(lang) + " · " + uikit.FormatSize(size)
	if truncated || more {
		info += " · first " + text.CountOf(len(clean), "line")
	}
	if len(clean) == 0 {
		return previewResult{kind: previewKindText, info: info, lines: []string{"(empty file)"}}
	}
	lines := clean
	// The lexer may add a final newline: the output has at least as
	// many lines as went in.
	if hl, ok := highlight(ctx, lexer, joined, profile); ok && len(hl) >= len(clean) {
		lines = hl[:len(clean)]
	}
	for i, l := range lines {
		lines[i] = cutLine(l, previewMaxCols)
	}
	return previewResult{kind: previewKindText, info: info, lines: lines}
}

// shownPart is the part of a text line the preview can show, sanitised:
// its first previewMaxCols cells. Only that is highlighted, since the
// lexers' cost grows faster than a line's length (a 256 KiB line of
// markdown or CSS takes seconds, uncancellable).
func shownPart(l string) string {
	// A cell is at least one byte; a rune at most 4, and combining marks
	// add a few zero-width ones: 8 bytes a cell is plenty.
	if len(l) > 8*previewMaxCols {
		l = l[:8*previewMaxCols]
	}
	l = text.Sanitize(expandTabs(strings.TrimSuffix(l, "\r"), previewTabWidth))
	if ansi.StringWidth(l) > previewMaxCols {
		l = ansi.Truncate(l, previewMaxCols, "")
	}
	return l
}

// expandTabs replaces tabs with spaces to the next multiple of width.
func expandTabs(s string, width int) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := width - col%width
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// highlight colours text for the terminal's colour support; false when it
// has none, the lexer fails or ctx is cancelled. The lexers tokenise as
// the formatter asks for tokens, so a cancelled preview stops there
// rather than lexing on (seconds for some texts) after the cursor left.
func highlight(ctx context.Context, lexer chroma.Lexer, text string, profile termenv.Profile) ([]string, bool) {
	var f chroma.Formatter
	switch profile {
	case termenv.TrueColor:
		f = formatters.TTY16m
	case termenv.ANSI256:
		f = formatters.TTY256
	case termenv.ANSI:
		f = formatters.TTY16
	default:
		return nil, false
	}
	if lexer == nil {
		return nil, false
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, text)
	if err != nil {
		return nil, false
	}
	var buf bytes.Buffer
	stoppable := func() chroma.Token {
		if ctx.Err() != nil {
			return chroma.EOF
		}
		return it()
	}
	if err := f.Format(&buf, previewStyle(), stoppable); err != nil || ctx.Err() != nil {
		return nil, false
	}
	return strings.Split(buf.String(), "\n"), true
}

// previewStyle is monokai (read on first use, not at start: see
// internal/lexers) with plain text, names and punctuation left in
// the terminal's own colour (and no background), so highlighting stays
// readable whatever the terminal's palette, like fsdeck's theme.
func previewStyle() *chroma.Style {
	b := lexers.Monokai().Builder()
	for _, t := range []chroma.TokenType{chroma.Background, chroma.Text, chroma.Name, chroma.Punctuation, chroma.Other} {
		b.AddEntry(t, chroma.StyleEntry{NoInherit: true})
	}
	s, err := b.Build()
	if err != nil {
		return lexers.Monokai()
	}
	return s
}

// previewBinary shows the type, the size and a hexdump of the head.
func previewBinary(head []byte, typ string, size int64) previewResult {
	info := fmt.Sprintf("binary · %s · %s (%d bytes)", text.Sanitize(typ), uikit.FormatSize(size), size)
	return previewResult{kind: previewKindBinary, info: info, hex: bytes.Clone(head[:min(len(head), previewHexBytes)])}
}

// hexLines dumps b like hexdump -C, with as many bytes a line (a multiple
// of 4) as fit in w cells; the character column shows only printable
// ASCII.
func hexLines(b []byte, w int) []string {
	per := max(4, (w-10)/4/4*4) // "00000000  " then 3 cells and 1 character a byte
	var out []string
	for off := 0; off < len(b); off += per {
		row := b[off:min(off+per, len(b))]
		chars := make([]byte, len(row))
		for i, c := range row {
			chars[i] = '.'
			if c >= 0x20 && c < 0x7f {
				chars[i] = c
			}
		}
		hx := hex.EncodeToString(row)
		var sb strings.Builder
		fmt.Fprintf(&sb, "%08x  ", off)
		for i := 0; i < per; i++ {
			if i < len(row) {
				sb.WriteString(hx[2*i:2*i+2] + " ")
			} else {
				sb.WriteString("   ")
			}
		}
		sb.Write(chars)
		out = append(out, sb.String())
	}
	return out
}

// previewDir lists a directory (directories first, names sanitised) and
// counts its entries, up to caps.
func previewDir(ctx context.Context, dir string) previewResult {
	f, err := os.Open(dir)
	if err != nil {
		return previewError(text.FSError(err, true))
	}
	defer f.Close()
	var dirs, files []string
	count := 0
	for count < previewDirCap {
		des, err := f.ReadDir(256)
		for _, de := range des {
			count++
			if len(dirs)+len(files) >= previewDirListed {
				continue
			}
			if de.IsDir() {
				dirs = append(dirs, text.Sanitize(de.Name())+"/")
			} else {
				files = append(files, text.Sanitize(de.Name()))
			}
		}
		if ctx.Err() != nil {
			return previewResult{}
		}
		if errors.Is(err, io.EOF) || len(des) == 0 {
			break
		}
		if err != nil {
			return previewError(text.FSError(err, true))
		}
	}
	sort.Strings(dirs)
	sort.Strings(files)
	n := fmt.Sprintf("%d %s", count, text.Plural(count, "entry", "entries"))
	if count >= previewDirCap {
		n = fmt.Sprintf("over %d entries", previewDirCap)
	}
	lines := append(dirs, files...)
	if count == 0 {
		lines = []string{"(empty directory)"}
	}
	return previewResult{kind: previewKindDir, info: "directory · " + n, lines: lines}
}

// cutLine cuts a line to w cells, never wrapping it; a coloured line is
// reset after the cut, so its colour does not run into the border.
func cutLine(l string, w int) string {
	if ansi.StringWidth(l) <= w {
		return l
	}
	l = ansi.Truncate(l, w, "")
	if strings.Contains(l, "\x1b") {
		l += "\x1b[0m"
	}
	return l
}
