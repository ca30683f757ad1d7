package uikit

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
)

// Overlay is a dialog drawn over the screen that takes every key while
// open. Update returns nil when the dialog closes; the root sends it a
// WindowSizeMsg when it opens and on every resize.
type Overlay interface {
	Update(msg tea.Msg) (Overlay, tea.Cmd)
	View() string
	// Keys is the dialog's key map (the hint line and help show it).
	Keys() KeyHelp
}

// Dialog is what every overlay shares: styles, keys and the screen size.
type Dialog struct {
	st   *Styles
	keys *KeyMap
	w, h int
}

// NewDialog is the base of a dialog drawn with env's styles and keys.
func NewDialog(e *Env) Dialog { return Dialog{st: e.Styles(), keys: e.Keys(), w: 80, h: 24} }

// Styles are the dialog's styles (read them, never change them).
func (d *Dialog) Styles() *Styles { return d.st }

// KeyMap is the key map the dialog answers to (read it, never change it).
func (d *Dialog) KeyMap() *KeyMap { return d.keys }

// Size is the screen's size as the last WindowSizeMsg said.
func (d *Dialog) Size() (w, h int) { return d.w, d.h }

// Resized takes a WindowSizeMsg; it reports whether msg was one.
func (d *Dialog) Resized(msg tea.Msg) bool {
	ws, ok := msg.(tea.WindowSizeMsg)
	if ok {
		d.w, d.h = ws.Width, ws.Height
	}
	return ok
}

// OpenMsg opens a dialog from a command or a component.
type OpenMsg struct{ Overlay Overlay }

// Open is a command that opens o.
func Open(o Overlay) tea.Cmd { return Emit(OpenMsg{Overlay: o}) }

// DialogAction is an extra key of a text dialog (details: h hashes, y copy).
type DialogAction struct {
	Key key.Binding
	Cmd tea.Cmd
}

// Text shows lines (help, details, the message log) and scrolls.
type Text struct {
	Dialog
	title   string
	lines   []string
	offset  int
	actions []DialogAction
}

// NewText shows lines under title, with extra action keys.
func NewText(e *Env, title string, lines []string, actions ...DialogAction) Text {
	return Text{Dialog: NewDialog(e), title: title, lines: lines, actions: actions}
}

// Lines are every line the dialog holds (not only those on screen).
func (t Text) Lines() []string { return append([]string(nil), t.lines...) }

// Append is the dialog with lines added at the end.
func (t Text) Append(lines ...string) Text {
	t.lines = append(append([]string(nil), t.lines...), lines...)
	return t
}

// Offset is the first line on screen.
func (t Text) Offset() int { return t.offset }

// ScrollTo is the dialog scrolled to show line i first.
func (t Text) ScrollTo(i int) Text {
	t.offset = i
	return t
}

// Update scrolls, runs an action key, or closes.
func (t Text) Update(msg tea.Msg) (Overlay, tea.Cmd) {
	if t.Resized(msg) {
		return t, nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return t, nil
	}
	k := t.keys
	switch {
	case key.Matches(km, k.Close), key.Matches(km, k.Choose), key.Matches(km, k.Quit), key.Matches(km, k.Help):
		return nil, nil
	case key.Matches(km, k.Down):
		t.offset = min(t.offset+1, t.lastOffset())
	case key.Matches(km, k.Up):
		t.offset = max(0, min(t.offset, t.lastOffset())-1)
	case key.Matches(km, k.PageDown):
		t.offset = min(t.offset+10, t.lastOffset())
	case key.Matches(km, k.PageUp):
		t.offset = max(0, min(t.offset, t.lastOffset())-10)
	}
	for _, a := range t.actions {
		if key.Matches(km, a.Key) {
			return t, a.Cmd
		}
	}
	return t, nil
}

// Keys lists closing, scrolling and the dialog's actions.
func (t Text) Keys() KeyHelp {
	bs := []key.Binding{t.keys.Close}
	for _, a := range t.actions {
		bs = append(bs, a.Key)
	}
	scroll := []key.Binding{t.keys.Up, t.keys.Down, t.keys.PageUp, t.keys.PageDown}
	both := key.NewBinding(key.WithKeys(append(t.keys.Up.Keys(), t.keys.Down.Keys()...)...),
		key.WithHelp(t.keys.Up.Help().Key+"/"+t.keys.Down.Help().Key, "scroll"))
	return KeyHelp{Short: append(bs, both), Full: [][]key.Binding{bs, scroll}}
}

// rows is how many lines the dialog shows at once (title and footer
// take the rest of its height).
func (t Text) rows() int { return max(3, min(t.h-4, len(t.lines)+3)) - 3 }

// lastOffset is the offset that shows the last line on the dialog's last
// row: scrolling stops there, so the box never shows less than it can hold.
func (t Text) lastOffset() int { return max(0, len(t.lines)-t.rows()) }

// View draws the visible lines and a footer from the dialog's keys.
func (t Text) View() string {
	s := t.st
	w := min(t.w-4, 96)
	h := t.rows() + 3
	// A resize can make the offset overshoot; draw as if clamped.
	body := t.lines[min(t.offset, t.lastOffset()):]
	if len(body) > h-3 {
		body = body[:h-3]
	}
	out := make([]string, 0, h)
	out = append(out, s.DialogTitle.Render(Fit(t.title, w-4)))
	for _, l := range body {
		out = append(out, FitStyled(l, w-4))
	}
	out = append(out, s.Muted.Render(Fit(FooterOf(t.Keys().Short), w-4)))
	return s.Dialog.Width(w - 2).Render(strings.Join(out, "\n"))
}

// Confirm asks a yes/no question; yes runs onYes.
type Confirm struct {
	Dialog
	title, question string
	onYes, onNo     tea.Cmd
}

// NewConfirm asks question under title; yes runs onYes.
func NewConfirm(e *Env, title, question string, onYes tea.Cmd) Confirm {
	return Confirm{Dialog: NewDialog(e), title: title, question: question, onYes: onYes}
}

// WithOnNo is the dialog doing cmd when the answer is no (n or esc).
func (c Confirm) WithOnNo(cmd tea.Cmd) Confirm {
	c.onNo = cmd
	return c
}

// Title is the dialog's title.
func (c Confirm) Title() string { return c.title }

// Question is what the dialog asks.
func (c Confirm) Question() string { return c.question }

// WithQuestion is the dialog asking q instead.
func (c Confirm) WithQuestion(q string) Confirm {
	c.question = q
	return c
}

// Update answers yes or no.
func (c Confirm) Update(msg tea.Msg) (Overlay, tea.Cmd) {
	if c.Resized(msg) {
		return c, nil
	}
	if km, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(km, c.keys.Confirm):
			return nil, c.onYes
		case key.Matches(km, c.keys.Deny), key.Matches(km, c.keys.Quit):
			return nil, c.onNo
		}
	}
	return c, nil
}

// Keys are yes and no.
func (c Confirm) Keys() KeyHelp {
	bs := []key.Binding{c.keys.Confirm, c.keys.Deny}
	return KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// View draws the question and the answers.
func (c Confirm) View() string {
	s := c.st
	w := min(c.w-4, 72)
	q := lipgloss.NewStyle().Width(w - 4).Render(c.question)
	return s.Dialog.Width(w - 2).Render(s.DialogTitle.Render(c.title) + "\n\n" + q + "\n\n" +
		s.StatusKey.Render(c.keys.Confirm.Help().Key) + s.Muted.Render(" yes   ") + s.StatusKey.Render(c.keys.Deny.Help().Key) + s.Muted.Render(" no"))
}

// Input reads one line; submit gets the text. Masked inputs never
// show what is typed (API keys, secrets).
type Input struct {
	Dialog
	title  string
	hint   string
	input  textinput.Model
	submit func(string) tea.Cmd
}

// NewInput reads one line under title with a hint and a placeholder
// (masked: never shown); submit gets what was typed.
func NewInput(e *Env, title, hint, placeholder string, masked bool, submit func(string) tea.Cmd) Input {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.Prompt = "› "
	ti.CharLimit = 4096
	if masked {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '•'
	}
	ti.Focus()
	return Input{Dialog: NewDialog(e), title: title, hint: hint, input: ti, submit: submit}
}

// Update edits the line; enter submits, esc cancels. Keys go to the text
// field whole, so only enter and esc (not remappable letters) act.
func (o Input) Update(msg tea.Msg) (Overlay, tea.Cmd) {
	if o.Resized(msg) {
		return o, nil
	}
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return o, nil
	}
	switch {
	case key.Matches(km, o.keys.Close):
		return nil, nil
	case key.Matches(km, o.keys.Choose):
		return nil, o.submit(strings.TrimSpace(o.input.Value()))
	}
	var cmd tea.Cmd
	o.input, cmd = o.input.Update(km)
	return o, cmd
}

// Keys are confirm and close (the one wording of every dialog; the hint
// line and the dialog say the same).
func (o Input) Keys() KeyHelp {
	bs := []key.Binding{WithDesc(o.keys.Choose, "confirm"), o.keys.Close}
	return KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// View draws the title, the hint and the field.
func (o Input) View() string {
	s := o.st
	w := min(o.w-4, 80)
	o.input.Width = w - 8
	parts := []string{s.DialogTitle.Render(o.title)}
	if o.hint != "" {
		parts = append(parts, s.Muted.Render(lipgloss.NewStyle().Width(w-4).Render(o.hint)))
	}
	parts = append(parts, "", o.input.View(), "")
	for _, l := range FooterLines("", o.Keys().Short, w-4) {
		parts = append(parts, s.Muted.Render(l))
	}
	return s.Dialog.Width(w - 2).Render(strings.Join(parts, "\n"))
}

// PlaceOverlay draws fg centred over bg, keeping bg visible around it.
// Each line is measured once and each background line under the dialog
// is cut in one pass (a dialog open over a busy screen is redrawn at
// every key and every batch of a find).
func PlaceOverlay(bg, fg string, width, height int) string {
	bgLines := strings.Split(bg, "\n")
	fgLines := strings.Split(fg, "\n")
	widths := make([]int, len(fgLines))
	fw := 0
	for i, fl := range fgLines {
		widths[i] = ansi.StringWidth(fl)
		fw = max(fw, widths[i])
	}
	x := max(0, (width-fw)/2)
	y := max(0, (height-len(fgLines))/2)
	for i, fl := range fgLines {
		row := y + i
		if row >= len(bgLines) {
			bgLines = append(bgLines, "")
		}
		left, lw, right := cutAround(bgLines[row], x, x+widths[i])
		if lw < x {
			left += strings.Repeat(" ", x-lw)
		}
		bgLines[row] = left + fl + right
	}
	return strings.Join(bgLines, "\n")
}

// cutAround is what s shows left of cell x (lw cells wide) and right of
// cell to, as ansi.Truncate(s, x, "") and ansi.TruncateLeft(s, to, "")
// are, in one pass: escape sequences stay on both sides, so the styles
// in force carry over the cut; a character straddling x is left out, one
// straddling to is kept.
func cutAround(s string, x, to int) (left string, lw int, right string) {
	var l, r strings.Builder
	l.Grow(len(s))
	cur, from := 0, -1 // from: where right takes the rest of s whole
	open := true       // left still takes what is printed
	pstate := parser.GroundState
	for i := 0; i < len(s); {
		state, action := parser.Table.Transition(pstate, s[i])
		if state == parser.Utf8State {
			cluster, w := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
			if cur += w; open && cur > x {
				open = false
			}
			if open {
				l.WriteString(cluster)
				lw = cur
			}
			if from < 0 && cur > to {
				from = i
			}
			i += len(cluster)
			pstate = parser.GroundState
			continue
		}
		switch action {
		case parser.PrintAction:
			if open && cur >= x {
				open = false
			}
			if cur++; open {
				l.WriteByte(s[i])
				lw = cur
			}
			if from < 0 && cur > to {
				from = i
			}
		case parser.ExecuteAction:
			if open {
				l.WriteByte(s[i])
			}
		default:
			l.WriteByte(s[i])
			if from < 0 {
				r.WriteByte(s[i])
			}
		}
		pstate = state
		i++
	}
	switch {
	case to <= 0:
		return l.String(), lw, s
	case from >= 0:
		r.WriteString(s[from:])
	}
	return l.String(), lw, r.String()
}
