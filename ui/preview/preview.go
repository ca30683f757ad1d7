// Package preview is the file preview: the local entry under the cursor,
// shown in the remote pane's half of the screen while the preview is on
// and the local pane is in use. Text is highlighted, images drawn in
// half-blocks or with the kitty graphics protocol, directories listed,
// binaries dumped; every read runs in a command, debounced, and a result
// for an entry the cursor has left is dropped.
//
// It imports ui/uikit and service packages only; never ui or another
// component (the root tells it which entry to show: Follow).
package preview

import (
	"context"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// previewDebounce is how long the cursor must rest on an entry before its
// preview is computed, so holding j does not start a read per row.
const previewDebounce = 120 * time.Millisecond

// Preview shows the local entry under the cursor: text highlighted,
// images as half-blocks, directories listed, binaries as a hexdump. It
// takes the remote pane's place while on and the local pane has focus.
type Preview struct {
	styles  *uikit.Styles
	ctx     context.Context
	profile termenv.Profile
	// tick schedules the debounce (tea.Tick; tests replace it).
	tick          func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	width, height int

	key    string // what is previewed: path, size, time and kind
	entry  uikit.LocalEntry
	seq    int // drops results for an entry the cursor has left
	cancel context.CancelFunc
	res    *previewResult // nil while computing
	// drawing is the size a half-block rendering is running for.
	drawing [2]int
	// mode draws images in half-blocks or with the kitty graphics protocol
	// (config's [preview] mode, as in the studio); kittyPlaced is the
	// placement on screen ("" when none), written to term.
	mode        uikit.PreviewMode
	term        io.Writer
	kittyPlaced string
	cell        func() uikit.CellSize
	// gen counts the sixel or iTerm2 images made, telling one from the
	// next (uikit.Graphic).
	gen int
	// offset is the first line shown (J and K scroll); lookPath finds
	// pdftoppm; keys are the local pane's, where J and K are pressed.
	offset   int
	lookPath func(string) (string, error)
	keys     *uikit.KeyMap
}

// KittyImageID is the file preview's kitty image (the studio has its own,
// so taking one down never takes down the other).
const KittyImageID = 7332

// dueMsg ends the debounce; loadedMsg carries a preview;
// drawnMsg an image drawn again for a new size.
type (
	dueMsg    struct{ seq int }
	loadedMsg struct {
		seq int
		res previewResult
	}
	drawnMsg struct {
		seq, w, h int
		text      string
		graphic   bool // text is a sixel or iTerm2 sequence
	}
)

// Options change how the preview behaves; zero fields take the defaults.
type Options struct {
	// Tick schedules the debounce (tea.Tick; tests record it instead).
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// New makes a preview showing nothing yet, in the mode config.toml asks
// for ([preview] mode: auto, halfblock, kitty or off).
func New(env *uikit.Env, o Options) *Preview {
	if o.Tick == nil {
		o.Tick = tea.Tick
	}
	return &Preview{styles: env.Styles(), ctx: env.Context(), profile: uikit.ColorProfile(), tick: o.Tick,
		mode: env.PreviewMode(), term: env.Term(), cell: env.CellSize,
		lookPath: env.LookPath(), keys: env.Keys()}
}

// SetMode draws images in mode from now on (the terminal said late what
// it shows), drawing the one shown again.
func (v *Preview) SetMode(mode uikit.PreviewMode) tea.Cmd {
	if mode == v.mode {
		return nil
	}
	v.mode = mode
	v.drawing = [2]int{}
	if v.res != nil {
		res := *v.res
		res.drawn, res.drawnW, res.drawnH = "", 0, 0
		res.graphic, res.graphicW, res.graphicH = "", 0, 0
		v.res = &res
	}
	return v.redraw()
}

// IsOwn reports whether msg is one of the preview's own messages (the
// answers of its debounce, reads and drawings), which only it takes.
func IsOwn(msg tea.Msg) bool {
	switch msg.(type) {
	case dueMsg, loadedMsg, drawnMsg:
		return true
	}
	return false
}

// Keys: the preview takes no keys of its own; the local pane's help
// lists J and K, which the root hands to Scroll while it is shown.
func (v *Preview) Keys() uikit.KeyHelp { return uikit.KeyHelp{} }

// Scroll moves the text, listing or hexdump shown by half a box for the
// scroll keys (J down, K up), reporting whether msg was one.
func (v *Preview) Scroll(msg tea.KeyMsg) bool {
	step := max(1, (v.height-4)/2)
	switch {
	case key.Matches(msg, v.keys.PreviewDown):
	case key.Matches(msg, v.keys.PreviewUp):
		step = -step
	default:
		return false
	}
	n, rows := v.lineCount(), max(1, v.height-4)
	v.offset = max(0, min(v.offset+step, n-rows))
	return true
}

// lineCount is how many lines the result has to scroll through (0 for an
// image or nothing yet).
func (v *Preview) lineCount() int {
	r := v.res
	switch {
	case r == nil || r.img != nil || r.kind == previewKindError:
		return 0
	case r.hex != nil:
		return len(hexLines(r.hex, max(10, v.width-2)))
	}
	return len(r.lines)
}

// SetSize sets the outer size (border included).
func (v *Preview) SetSize(w, h int) { v.width, v.height = w, h }

// imageBox is the cells an image is drawn into: inside the border, below
// the name line, above the summary line.
func (v *Preview) imageBox() (w, h int) { return max(1, v.width-2), max(1, v.height-4) }

// Follow points the preview at the entry under the cursor (ok false:
// none). A new entry cancels the running preview and starts the debounce;
// the same one is drawn again if the box changed size.
func (v *Preview) Follow(e uikit.LocalEntry, ok bool) tea.Cmd {
	return tea.Batch(v.follow(e, ok), v.redraw())
}

func (v *Preview) follow(e uikit.LocalEntry, ok bool) tea.Cmd {
	k := ""
	if ok {
		k = e.Path + "\x00" + strconv.FormatInt(e.Size, 10) + "\x00" + e.ModTime.String() + "\x00" + strconv.FormatBool(e.IsDir) + e.Err
	}
	if k == v.key {
		return nil
	}
	v.stop()
	v.seq++
	v.key, v.entry, v.res, v.offset = k, e, nil, 0
	if !ok {
		return nil
	}
	seq := v.seq
	return v.tick(previewDebounce, func(time.Time) tea.Msg { return dueMsg{seq: seq} })
}

// Hide forgets the entry (the pane is off), so showing it again reloads.
func (v *Preview) Hide() {
	if v.key == "" {
		return
	}
	v.stop()
	v.seq++
	v.key, v.res = "", nil
}

func (v *Preview) stop() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

// Update starts the preview when the debounce ends and takes results,
// dropping any for an entry no longer under the cursor.
func (v *Preview) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dueMsg:
		if msg.seq != v.seq || v.key == "" {
			return nil
		}
		ctx, cancel := context.WithCancel(v.ctx)
		v.cancel = cancel
		w, h := v.imageBox()
		req := previewRequest{entry: v.entry, w: w, h: h, profile: v.profile, draw: v.mode == uikit.PreviewHalfBlock, lookPath: v.lookPath}
		v.drawing = [2]int{w, h}
		seq := v.seq
		return func() tea.Msg { return loadedMsg{seq: seq, res: loadPreview(ctx, req)} }
	case loadedMsg:
		if msg.seq != v.seq {
			return nil
		}
		v.stop()
		v.drawing = [2]int{}
		res := msg.res
		v.res = &res
		return v.redraw()
	case drawnMsg:
		if msg.seq != v.seq || v.res == nil {
			return nil
		}
		v.drawing = [2]int{}
		res := *v.res
		if msg.graphic {
			v.gen++
			res.graphic, res.graphicW, res.graphicH = msg.text, msg.w, msg.h
		} else {
			res.drawn, res.drawnW, res.drawnH = msg.text, msg.w, msg.h
		}
		v.res = &res
	}
	return nil
}

// redraw draws the image again when the box changed size (half-blocks,
// or the sixel or iTerm2 sequence, encoded in a command).
func (v *Preview) redraw() tea.Cmd {
	w, h := v.imageBox()
	if v.res == nil || v.res.img == nil || v.drawing == [2]int{w, h} {
		return nil
	}
	img, seq, profile, mode := v.res.img, v.seq, v.profile, v.mode
	switch {
	case mode == uikit.PreviewHalfBlock && (v.res.drawnW != w || v.res.drawnH != h):
		v.drawing = [2]int{w, h}
		return func() tea.Msg {
			return drawnMsg{seq: seq, w: w, h: h, text: uikit.RenderHalfBlocks(img, w, h, profile)}
		}
	case mode.InText() && (v.res.graphicW != w || v.res.graphicH != h):
		v.drawing = [2]int{w, h}
		cell := v.cell
		return func() tea.Msg {
			return drawnMsg{seq: seq, w: w, h: h, graphic: true, text: uikit.EncodeInText(mode, img, w, h, cell())}
		}
	}
	return nil
}

// Graphic is the sixel or iTerm2 image to draw into the box's cells
// (false: none, or not encoded yet for this size); the root positions it.
func (v *Preview) Graphic() (uikit.Graphic, bool) {
	w, h := v.imageBox()
	if v.key == "" || v.res == nil || v.res.img == nil || !v.mode.InText() || v.res.graphic == "" || v.res.graphicW != w || v.res.graphicH != h {
		return uikit.Graphic{}, false
	}
	return uikit.Graphic{Rows: h, Seq: v.res.graphic, Gen: v.gen}, true
}

// View draws the name, the preview cut to the box (never wrapped) and a
// summary line.
func (v *Preview) View() string {
	st := v.styles
	inner := max(10, v.width-2)
	rows := max(1, v.height-4)
	title := st.PaneTitle.Render("Preview ")
	lines := []string{title + uikit.FitLeft(text.Sanitize(v.entry.Name), inner-ansi.StringWidth("Preview "))}
	footer := ""
	switch {
	case v.key == "":
		lines = append(lines, st.Muted.Render(uikit.Fit("nothing to preview", inner)))
	case v.res == nil:
		lines = append(lines, st.Muted.Render(uikit.Fit("loading…", inner)))
	case v.res.kind == previewKindError:
		lines = append(lines, v.body(inner, rows)...)
	default:
		footer = v.res.info
		if n := v.lineCount(); n > rows {
			off := min(v.offset, n-rows)
			footer = fmt.Sprintf("%d–%d of %d · %s", off+1, off+rows, n, footer)
		}
		lines = append(lines, v.body(inner, rows)...)
	}
	return st.PaneFrame(false, lines, footer, inner, v.height)
}

// body is the result's lines (or drawn image) cut to w×rows.
func (v *Preview) body(w, rows int) []string {
	r := v.res
	var src []string
	switch {
	case r.kind == previewKindError:
		// Wrapped, not cut: the reason is the whole message (a narrow pane
		// cut "… · too large to preview" to "… · too lar").
		var out []string
		for _, l := range strings.Split(ansi.Wrap(r.info, w, " "), "\n") {
			if len(out) == rows {
				break
			}
			out = append(out, v.styles.Error.Render(uikit.Fit(strings.TrimSpace(l), w)))
		}
		return out
	case r.img != nil && v.mode == uikit.PreviewKitty:
		return nil // the terminal draws the image over the empty box
	case r.img != nil && v.mode.InText() && (r.graphicW != w || r.graphicH != rows):
		return []string{v.styles.Muted.Render(uikit.Fit("drawing…", w))}
	case r.img != nil && v.mode.InText():
		return nil // the root draws the image into the empty box
	case r.img != nil && v.mode == uikit.PreviewOff:
		return []string{v.styles.Muted.Render(uikit.Fit("image preview off ([preview] mode)", w))}
	case r.img != nil && (r.drawnW != w || r.drawnH != rows):
		return []string{v.styles.Muted.Render(uikit.Fit("drawing…", w))}
	case r.img != nil:
		src = strings.Split(r.drawn, "\n")
	case r.hex != nil:
		src = hexLines(r.hex, w)
	default:
		src = r.lines
	}
	off := max(0, min(v.offset, len(src)-rows))
	src = src[off:]
	out := make([]string, 0, min(rows, len(src)))
	for _, l := range src[:min(rows, len(src))] {
		out = append(out, cutLine(l, w))
	}
	return out
}

// Place keeps the kitty image where the preview's box is drawn (row, col
// on the screen) while shown, and takes it down while it is not shown, a
// dialog covers it or the entry is no image.
func (v *Preview) Place(shown bool, row, col int) tea.Cmd {
	want := ""
	if shown && v.mode == uikit.PreviewKitty && v.res != nil && v.res.img != nil {
		w, h := v.imageBox()
		want = fmt.Sprintf("%d@%d,%d,%d,%d", v.seq, row, col, w, h)
	}
	return v.place(want, row, col)
}

// place puts the kitty image at want ("seq@row,col,w,h", "" for none),
// taking down what was placed before; the PNG is encoded in the command.
func (v *Preview) place(want string, row, col int) tea.Cmd {
	if want == v.kittyPlaced {
		return nil
	}
	out := ""
	if v.kittyPlaced != "" {
		out = uikit.KittyDelete(KittyImageID)
	}
	v.kittyPlaced = want
	var img image.Image
	if want != "" && v.res != nil {
		img = v.res.img
	}
	w, h := v.imageBox()
	term, cell := v.term, v.cell
	return func() tea.Msg {
		if img != nil {
			out += uikit.KittyImage(KittyImageID, img, row, col, w, h, cell())
		}
		if term != nil && out != "" {
			io.WriteString(term, out)
		}
		return nil
	}
}

var _ uikit.Component = (*Preview)(nil)
