// Package studio is the transform studio: it edits a chain of
// transformation tasks on one remote image, renders the processing URL
// live and shows the result, fetched in a command and cached by URL
// (Filestack bills transformations). Its answers reach the root and the
// remote pane as messages (uikit.StudioClosedMsg, uikit.LedgerChangedMsg).
//
// It imports ui/uikit and service packages only; never ui or another
// component.
package studio

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"slices"
	"strings"
	"time"

	"github.com/muesli/termenv"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack/transform"
	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// studioTasks are the tasks the studio offers, with a menu key taken from
// the name (upper case for the second task of a letter) and a starting
// value.
var studioTasks = []struct {
	key     string
	name    string
	initial []any
}{
	{"r", "resize", []any{"width", 300}}, {"c", "crop", []any{"dim", transform.Ints(0, 0, 200, 200)}},
	{"R", "rotate", []any{"deg", 90}}, {"f", "flip", nil}, {"F", "flop", nil}, {"u", "rounded_corners", []any{"radius", 20}},
	{"C", "circle", nil}, {"b", "border", []any{"width", 4, "color", "000000"}}, {"l", "blur", []any{"amount", 4}},
	{"s", "sharpen", []any{"amount", 4}}, {"m", "monochrome", nil}, {"S", "sepia", []any{"tone", 80}}, {"n", "negative", nil},
	{"p", "pixelate", []any{"amount", 10}}, {"M", "modulate", []any{"brightness", 110, "saturation", 120, "hue", 0}},
	{"o", "output", []any{"format", "webp"}}, {"q", "quality", []any{"value", 80}},
}

// Studio edits a processing chain on one remote image, with the URL
// rendered live and a preview fetched (debounced, cached by URL).
type Studio struct {
	env      *uikit.Env
	keys     *uikit.KeyMap
	styles   *uikit.Styles
	targets  uikit.Targets // the shown target (a hosts.Transformer) is the image's
	previews *Cache
	// kittyPlaced is what the kitty image shows now ("" when none is on
	// screen); covered hides it while a dialog is open over the studio.
	kittyPlaced string
	covered     bool
	// closed: a close key was pressed; the root drops the studio.
	closed   bool
	entry    store.Entry
	tasks    []transform.Task
	cursor   int
	editing  bool // editing the parameters of tasks[cursor]
	param    int
	input    textinput.Model
	fieldErr string
	// lastGood is the task's parameters as they last were valid while a
	// field is edited: esc (or moving to another field) from a value
	// that is not valid puts them back.
	lastGood []transform.Param
	chainErr string
	version  int
	mode     uikit.PreviewMode
	// gen counts the sixel or iTerm2 images made (uikit.Graphic).
	gen     int
	profile termenv.Profile // the terminal's colours, for half-blocks
	width   int
	height  int
}

// New opens the studio on the image e with the chain tasks (the one last
// used on it, or none), for a width×height screen. Previews are kept in
// cache, which outlives the studio. Start fetches the first preview.
func New(env *uikit.Env, targets uikit.Targets, cache *Cache, e store.Entry, tasks []transform.Task, width, height int) *Studio {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 256
	return &Studio{env: env, keys: &env.Scoped().Studio, styles: env.Styles(), targets: targets, previews: cache, entry: e,
		mode: env.PreviewMode(), input: in, profile: uikit.ColorProfile(),
		tasks: append([]transform.Task(nil), tasks...), width: width, height: height}
}

// Start checks the chain and schedules the first preview.
func (s *Studio) Start() tea.Cmd { return s.changed() }

// Closed reports whether a close key was pressed: the root drops the
// studio then (its StudioClosedMsg is on its way).
func (s *Studio) Closed() bool { return s.closed }

// Chain is the chain being edited, on the image's handle.
func (s *Studio) Chain() transform.Chain { return s.chain() }

// Problem is why the chain cannot be used now, as the URL line says it
// ("" when it can).
func (s *Studio) Problem() string { return s.problem() }

// SetSize sets the screen's size (a WindowSizeMsg also redraws).
func (s *Studio) SetSize(w, h int) { s.width, s.height = w, h }

// chain is the current chain on the entry's handle.
func (s *Studio) chain() transform.Chain {
	return transform.Chain{Tasks: append([]transform.Task(nil), s.tasks...), Source: transform.Handle(s.entry.Handle)}
}

func (s *Studio) validate() {
	s.chainErr = ""
	if err := s.chain().Validate(); err != nil {
		s.chainErr = err.Error()
	}
}

// previewTickMsg fires after typing stops; version drops stale ticks.
type previewTickMsg struct{ version int }

func (s *Studio) changed() tea.Cmd {
	s.validate()
	s.version++
	v := s.version
	return tea.Tick(350*time.Millisecond, func(time.Time) tea.Msg { return previewTickMsg{version: v} })
}

// params lists the task's parameters from the catalogue.
func (s *Studio) params() []transform.ParamSpec {
	if len(s.tasks) == 0 {
		return nil
	}
	spec, ok := transform.Lookup(s.tasks[s.cursor].Name)
	if !ok {
		return nil
	}
	return spec.Params
}

// onKey handles keys outside a parameter field; a close key closes.
func (s *Studio) onKey(msg tea.KeyMsg) tea.Cmd {
	if s.editing {
		return s.updateEditing(msg)
	}
	k := s.keys
	switch {
	case key.Matches(msg, k.StudioClose):
		s.closed = true
		return s.close()
	case key.Matches(msg, k.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(msg, k.Down):
		s.cursor = max(0, min(len(s.tasks)-1, s.cursor+1))
	case key.Matches(msg, k.StudioAdd):
		return uikit.Open(s.addMenu())
	case key.Matches(msg, k.StudioRemove):
		if len(s.tasks) > 0 {
			s.tasks = append(s.tasks[:s.cursor], s.tasks[s.cursor+1:]...)
			s.cursor = max(0, min(s.cursor, len(s.tasks)-1))
			return s.changed()
		}
	case key.Matches(msg, k.StudioMoveUp):
		if s.cursor > 0 {
			s.tasks[s.cursor], s.tasks[s.cursor-1] = s.tasks[s.cursor-1], s.tasks[s.cursor]
			s.cursor--
			return s.changed()
		}
	case key.Matches(msg, k.StudioMoveDown):
		if s.cursor < len(s.tasks)-1 {
			s.tasks[s.cursor], s.tasks[s.cursor+1] = s.tasks[s.cursor+1], s.tasks[s.cursor]
			s.cursor++
			return s.changed()
		}
	case key.Matches(msg, k.StudioEdit):
		if len(s.params()) > 0 {
			s.editing, s.param = true, 0
			s.loadField()
		}
	case key.Matches(msg, k.StudioPreview):
		s.mode = uikit.NextMode(s.mode, s.env.OfferedGraphics())
		return s.redraw()
	default:
		return s.onActionKey(msg)
	}
	return nil
}

func (s *Studio) addTask(name string) tea.Cmd {
	for _, st := range studioTasks {
		if st.name == name {
			t := transform.NewTask(name, st.initial...)
			at := min(len(s.tasks), s.cursor+1)
			s.tasks = append(s.tasks[:at], append([]transform.Task{t}, s.tasks[at:]...)...)
			s.cursor = at
			return s.changed()
		}
	}
	return nil
}

// loadField puts the selected parameter's current value in the input.
func (s *Studio) loadField() {
	ps := s.params()[s.param]
	v, ok := s.tasks[s.cursor].Lookup(ps.Name)
	s.input.SetValue("")
	if ok {
		s.input.SetValue(v.String())
	}
	s.input.CursorEnd()
	s.input.Focus()
	s.fieldErr = ""
	s.lastGood = slices.Clone(s.tasks[s.cursor].Params)
}

func (s *Studio) updateEditing(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.keys.Close):
		s.editing = false
		s.input.Blur()
		return s.keepLastGood()
	case msg.Type == tea.KeyUp, msg.Type == tea.KeyDown, msg.Type == tea.KeyTab:
		cmd := s.keepLastGood()
		n := len(s.params())
		if msg.Type == tea.KeyUp {
			s.param = (s.param + n - 1) % n
		} else {
			s.param = (s.param + 1) % n
		}
		s.loadField()
		return cmd
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return tea.Batch(cmd, s.applyField())
}

// applyField validates the typed value against the parameter's spec and
// applies it when valid; an empty field removes the parameter.
func (s *Studio) applyField() tea.Cmd {
	ps := s.params()[s.param]
	t := &s.tasks[s.cursor]
	text := strings.TrimSpace(s.input.Value())
	if text == "" {
		var kept []transform.Param
		for _, p := range t.Params {
			if spec, _ := transform.Lookup(t.Name); spec == nil || p.Key != ps.Name {
				kept = append(kept, p)
			}
		}
		t.Params = kept
		s.fieldErr = ""
		if t.Validate() == nil {
			s.lastGood = slices.Clone(t.Params)
		}
		return s.changed()
	}
	v, err := transform.ParseValue(text)
	if err == nil {
		err = ps.Check(v)
	}
	if err != nil {
		s.fieldErr = err.Error()
		return nil
	}
	t.Set(ps.Name, v)
	// The field check and the chain check must agree: a value the
	// parameter accepts can still leave the task invalid (width 0 is
	// "no width" to resize), and the field says so in its own words.
	s.fieldErr = ""
	if terr := t.Validate(); terr != nil {
		s.fieldErr = terr.Error()
		if v.String() == "0" {
			s.fieldErr = fmt.Sprintf("%s 0 counts as not set: %s", ps.Name, terr.Error())
		}
	} else {
		s.lastGood = slices.Clone(t.Params)
	}
	return s.changed()
}

// keepLastGood leaves a field: a value that is not valid (or leaves the
// task invalid, as an emptied width of resize does) gives way to the last
// valid one, so esc never leaves a broken chain behind.
func (s *Studio) keepLastGood() tea.Cmd {
	t := &s.tasks[s.cursor]
	if s.fieldErr == "" && t.Validate() == nil {
		return nil
	}
	t.Params = slices.Clone(s.lastGood)
	s.fieldErr = ""
	return s.changed()
}

// previewState is a fetched (and decoded) transformation result.
type previewState struct {
	url      string
	img      image.Image
	mimetype string
	size     int
	err      string
	rendered string
	renderW  int
	renderH  int
	// graphic is img as a sixel or iTerm2 sequence for graphicW×graphicH
	// cells.
	graphic            string
	graphicW, graphicH int
}

// previewFetchedMsg carries a fetch result back.
type previewFetchedMsg struct {
	url      string
	img      image.Image
	mimetype string
	size     int
	err      error
}

// fetchPreview downloads and decodes a chain's result in a command.
func fetchPreview(r hosts.Transformer, ch transform.Chain, url string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var buf bytes.Buffer
		ct, err := r.FetchTransform(ctx, ch, &buf, 64<<20)
		if err != nil {
			return previewFetchedMsg{url: url, err: err}
		}
		img, _, err := image.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			return previewFetchedMsg{url: url, mimetype: ct, size: buf.Len(), err: fmt.Errorf("the result (%s) is not an image fsdeck can draw", ct)}
		}
		return previewFetchedMsg{url: url, img: img, mimetype: ct, size: buf.Len()}
	}
}

// previewRenderedMsg carries half-block text (or a sixel or iTerm2
// sequence: graphic) for a size.
type previewRenderedMsg struct {
	url     string
	w, h    int
	text    string
	graphic bool
}

func renderPreview(p *previewState, w, h int, profile termenv.Profile) tea.Cmd {
	img, url := p.img, p.url
	return func() tea.Msg {
		return previewRenderedMsg{url: url, w: w, h: h, text: uikit.RenderHalfBlocks(img, w, h, profile)}
	}
}

// encodeGraphic makes the sixel or iTerm2 sequence of a preview in a
// command.
func encodeGraphic(p *previewState, mode uikit.PreviewMode, w, h int, cell func() uikit.CellSize) tea.Cmd {
	img, url := p.img, p.url
	return func() tea.Msg {
		return previewRenderedMsg{url: url, w: w, h: h, graphic: true, text: uikit.EncodeInText(mode, img, w, h, cell())}
	}
}

// Graphic is the sixel or iTerm2 image to draw into the preview box's
// cells, while that mode is on and nothing covers it (false: none yet).
func (s *Studio) Graphic() (uikit.Graphic, bool) {
	if !s.mode.InText() || s.chainErr != "" || s.covered {
		return uikit.Graphic{}, false
	}
	p := s.previews.get(s.studioURL())
	row, col, w, h := s.previewBox()
	if p == nil || p.img == nil || p.graphic == "" || p.graphicW != w || p.graphicH != h {
		return uikit.Graphic{}, false
	}
	return uikit.Graphic{Row: row, Col: col, Rows: h, Seq: p.graphic, Gen: s.gen}, true
}

var _ uikit.Component = (*Studio)(nil)
