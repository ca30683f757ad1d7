package ui

import (
	"context"
	"image"
	"io"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// previewDebounce is how long the cursor must rest on an entry before its
// preview is computed, so holding j does not start a read per row.
const previewDebounce = 120 * time.Millisecond

// filePreview shows the local entry under the cursor: text highlighted,
// images as half-blocks, directories listed, binaries as a hexdump. It
// takes the remote pane's place while on and the local pane has focus.
type filePreview struct {
	styles  *uikit.Styles
	ctx     context.Context
	profile termenv.Profile
	// tick schedules the debounce (tea.Tick; tests replace it).
	tick          func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	width, height int

	key    string // what is previewed: path, size, time and kind
	entry  localEntry
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
}

// kittyFileImageID is the file preview's kitty image (the studio has its
// own, so taking one down never takes down the other).
const kittyFileImageID = 7332

// previewDueMsg ends the debounce; previewLoadedMsg carries a preview;
// previewDrawnMsg an image drawn again for a new size.
type (
	previewDueMsg    struct{ seq int }
	previewLoadedMsg struct {
		seq int
		res previewResult
	}
	previewDrawnMsg struct {
		seq, w, h int
		text      string
	}
)

func newFilePreview(e *env) filePreview {
	ctx := e.d.Context
	if ctx == nil {
		ctx = context.Background()
	}
	return filePreview{styles: &e.styles, ctx: ctx, profile: uikit.ColorProfile(), tick: tea.Tick,
		mode: uikit.ChoosePreview(e.d.Settings.Preview, e.d.Getenv), term: e.d.Clipboard}
}

// SetSize sets the outer size (border included).
func (v *filePreview) SetSize(w, h int) { v.width, v.height = w, h }

// imageBox is the cells an image is drawn into: inside the border, below
// the name line, above the summary line.
func (v *filePreview) imageBox() (w, h int) { return max(1, v.width-2), max(1, v.height-4) }

// follow points the preview at the entry under the cursor. A new entry
// cancels the running preview and starts the debounce.
func (v *filePreview) follow(e localEntry, ok bool) tea.Cmd {
	k := ""
	if ok {
		k = e.Path + "\x00" + strconv.FormatInt(e.Size, 10) + "\x00" + e.ModTime.String() + "\x00" + strconv.FormatBool(e.IsDir) + e.Err
	}
	if k == v.key {
		return nil
	}
	v.stop()
	v.seq++
	v.key, v.entry, v.res = k, e, nil
	if !ok {
		return nil
	}
	seq := v.seq
	return v.tick(previewDebounce, func(time.Time) tea.Msg { return previewDueMsg{seq: seq} })
}

// hide forgets the entry (the pane is off), so showing it again reloads.
func (v *filePreview) hide() {
	if v.key == "" {
		return
	}
	v.stop()
	v.seq++
	v.key, v.res = "", nil
}

func (v *filePreview) stop() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
}

// Update starts the preview when the debounce ends and takes results,
// dropping any for an entry no longer under the cursor.
func (v filePreview) Update(msg tea.Msg) (filePreview, tea.Cmd) {
	switch msg := msg.(type) {
	case previewDueMsg:
		if msg.seq != v.seq || v.key == "" {
			return v, nil
		}
		ctx, cancel := context.WithCancel(v.ctx)
		v.cancel = cancel
		w, h := v.imageBox()
		req := previewRequest{entry: v.entry, w: w, h: h, profile: v.profile, draw: v.mode == uikit.PreviewHalfBlock}
		v.drawing = [2]int{w, h}
		seq := v.seq
		return v, func() tea.Msg { return previewLoadedMsg{seq: seq, res: loadPreview(ctx, req)} }
	case previewLoadedMsg:
		if msg.seq != v.seq {
			return v, nil
		}
		v.stop()
		v.drawing = [2]int{}
		res := msg.res
		v.res = &res
		return v, v.redraw()
	case previewDrawnMsg:
		if msg.seq != v.seq || v.res == nil {
			return v, nil
		}
		v.drawing = [2]int{}
		res := *v.res
		res.drawn, res.drawnW, res.drawnH = msg.text, msg.w, msg.h
		v.res = &res
	}
	return v, nil
}

// redraw draws the image again when the box changed size.
func (v *filePreview) redraw() tea.Cmd {
	w, h := v.imageBox()
	if v.res == nil || v.res.img == nil || v.mode != uikit.PreviewHalfBlock || (v.res.drawnW == w && v.res.drawnH == h) || v.drawing == [2]int{w, h} {
		return nil
	}
	v.drawing = [2]int{w, h}
	img, seq, profile := v.res.img, v.seq, v.profile
	return func() tea.Msg {
		return previewDrawnMsg{seq: seq, w: w, h: h, text: uikit.RenderHalfBlocks(img, w, h, profile)}
	}
}

// View draws the name, the preview cut to the box (never wrapped) and a
// summary line.
func (v filePreview) View() string {
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
		lines = append(lines, v.body(inner, rows)...)
	}
	return st.PaneFrame(false, lines, footer, inner, v.height)
}

// body is the result's lines (or drawn image) cut to w×rows.
func (v filePreview) body(w, rows int) []string {
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
	out := make([]string, 0, min(rows, len(src)))
	for _, l := range src[:min(rows, len(src))] {
		out = append(out, cutLine(l, w))
	}
	return out
}

// place puts the kitty image at want ("seq@row,col,w,h", "" for none),
// taking down what was placed before; the PNG is encoded in the command.
func (v *filePreview) place(want string, row, col int) tea.Cmd {
	if want == v.kittyPlaced {
		return nil
	}
	out := ""
	if v.kittyPlaced != "" {
		out = uikit.KittyDelete(kittyFileImageID)
	}
	v.kittyPlaced = want
	var img image.Image
	if want != "" && v.res != nil {
		img = v.res.img
	}
	w, h := v.imageBox()
	term := v.term
	return func() tea.Msg {
		if img != nil {
			out += uikit.KittyImage(kittyFileImageID, img, row, col, w, h)
		}
		if term != nil && out != "" {
			io.WriteString(term, out)
		}
		return nil
	}
}
