package ui

import (
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// The terminal is asked what it says of its images (its cell size in
// pixels, CSI 16 t, and whether its primary device attributes, DA1, list
// sixel graphics) once the interface runs, and its replies are read among
// the keys: the first frame never waits for them. Until they come, images
// use the fallbacks (the cell assumed twice as high as wide, half-blocks).

// ProbeQuery asks for the cell size, then for the device attributes
// (every terminal answers DA1).
const ProbeQuery = "\x1b[16t\x1b[c"

var (
	cellReply = regexp.MustCompile(`^\x1b\[6;(\d+);(\d+)t$`)
	da1Reply  = regexp.MustCompile(`^\x1b\[\?([0-9;]*)c$`)
)

// termReply is one reply to ProbeQuery.
type termReply struct {
	cell  uikit.CellSize // a CSI 16 t reply's (zero: none, or not plausible)
	da1   bool           // the DA1 reply
	sixel bool           // DA1 lists sixel (attribute 4)
}

// parseReply reads seq, a whole control sequence, as a reply to
// ProbeQuery (false: it is none).
func parseReply(seq []byte) (termReply, bool) {
	if m := cellReply.FindSubmatch(seq); m != nil {
		h, _ := strconv.Atoi(string(m[1]))
		w, _ := strconv.Atoi(string(m[2]))
		if w > 0 && h > 0 && w < 1000 && h < 1000 {
			return termReply{cell: uikit.CellSize{W: w, H: h}}, true
		}
		return termReply{}, true
	}
	m := da1Reply.FindSubmatch(seq)
	if m == nil {
		return termReply{}, false
	}
	r := termReply{da1: true}
	for _, a := range strings.Split(string(m[1]), ";")[1:] { // the first is the terminal class
		if a == "4" {
			r.sixel = true
		}
	}
	return r, true
}

// controlSequence is the bytes of a control sequence Bubble Tea read from
// the terminal and did not know (it hands them on as a message of an
// unexported type holding the bytes); false for any other message.
func controlSequence(msg tea.Msg) ([]byte, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.Uint8 || v.Type().PkgPath() != reflect.TypeFor[tea.KeyMsg]().PkgPath() {
		return nil, false
	}
	b := v.Bytes()
	if len(b) < 3 || b[0] != '\x1b' || b[1] != '[' {
		return nil, false
	}
	return b, true
}

// termGraphics is what the terminal has said of its images so far: read
// by image encoders on other goroutines, so kept atomically.
type termGraphics struct {
	cell  atomic.Pointer[uikit.CellSize]
	sixel atomic.Bool
}

// cellSize is the cell size the terminal replied with (zero: none yet).
func (g *termGraphics) cellSize() uikit.CellSize {
	if c := g.cell.Load(); c != nil {
		return *c
	}
	return uikit.CellSize{}
}

// AskTerminal makes the interface ask the terminal, through w (the
// terminal writer the renderer uses), for its cell size and sixel support
// as it starts; the replies arrive with the keys. Call it before the
// program runs, only for a terminal that takes the queries silently (not
// the Linux console, not a dumb terminal).
func (b *Boot) AskTerminal(w io.Writer) { b.ask = w }

// askCmd sends ProbeQuery (nil when the terminal is not to be asked).
func (b *Boot) askCmd() tea.Cmd {
	w := b.ask
	if w == nil {
		return nil
	}
	return func() tea.Msg {
		io.WriteString(w, ProbeQuery)
		return nil
	}
}

// takeReply records a reply to ProbeQuery, reporting whether msg was one;
// a DA1 reply that comes after the interface exists changes its image
// protocol there.
func (b *Boot) takeReply(msg tea.Msg) (bool, tea.Cmd) {
	seq, ok := controlSequence(msg)
	if !ok {
		return false, nil
	}
	r, ok := parseReply(seq)
	if !ok {
		return false, nil
	}
	if r.cell.Known() {
		c := r.cell
		b.gfx.cell.Store(&c)
	}
	if !r.da1 || !r.sixel {
		return true, nil
	}
	b.gfx.sixel.Store(true)
	if b.model == nil {
		return true, nil
	}
	return true, terminalSaysSixel(b.model)
}

// withGraphics is deps with what the terminal has said so far: its
// replied cell size where the kernel gives none, and sixel.
func (b *Boot) withGraphics(d Deps) Deps {
	own, g := d.CellSize, &b.gfx
	d.CellSize = func() uikit.CellSize {
		if own != nil {
			if c := own(); c.Known() {
				return c
			}
		}
		return g.cellSize()
	}
	d.Sixel = d.Sixel || g.sixel.Load()
	return d
}

// terminalSaysSixel switches images to sixel where the protocol was
// chosen before the terminal said it draws them ([preview] mode auto).
// (A function, not a method: the root model's methods are capped.)
func terminalSaysSixel(m *Model) tea.Cmd {
	m.env.SetSixel()
	return m.preview.SetMode(m.env.PreviewMode())
}
