package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// overlay is a dialog drawn over the screen that takes every key while
// open. Update returns nil when the dialog closes; the root sends it a
// WindowSizeMsg when it opens and on every resize.
type overlay interface {
	Update(msg tea.Msg) (overlay, tea.Cmd)
	View() string
	// Keys is the dialog's key map (the hint line and help show it).
	Keys() uikit.KeyHelp
}

// dialog is what every overlay shares: styles, keys and the screen size.
type dialog struct {
	st   *uikit.Styles
	keys *uikit.KeyMap
	w, h int
}

func newDialog(e *env) dialog { return dialog{st: &e.styles, keys: &e.keys, w: 80, h: 24} }

// resized takes a WindowSizeMsg; it reports whether msg was one.
func (d *dialog) resized(msg tea.Msg) bool {
	ws, ok := msg.(tea.WindowSizeMsg)
	if ok {
		d.w, d.h = ws.Width, ws.Height
	}
	return ok
}

// overlayMsg opens a dialog from a command or a component.
type overlayMsg struct{ o overlay }

func openDialog(o overlay) tea.Cmd { return uikit.Emit(overlayMsg{o: o}) }

// dialogAction is an extra key of a text dialog (details: h hashes, y copy).
type dialogAction struct {
	b   key.Binding
	cmd tea.Cmd
}

// textOverlay shows lines (help, details, the message log) and scrolls.
type textOverlay struct {
	dialog
	title   string
	lines   []string
	offset  int
	actions []dialogAction
}

func newTextOverlay(e *env, title string, lines []string, actions ...dialogAction) textOverlay {
	return textOverlay{dialog: newDialog(e), title: title, lines: lines, actions: actions}
}

// Update scrolls, runs an action key, or closes.
func (t textOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if t.resized(msg) {
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
		if key.Matches(km, a.b) {
			return t, a.cmd
		}
	}
	return t, nil
}

// Keys lists closing, scrolling and the dialog's actions.
func (t textOverlay) Keys() uikit.KeyHelp {
	bs := []key.Binding{t.keys.Close}
	for _, a := range t.actions {
		bs = append(bs, a.b)
	}
	scroll := []key.Binding{t.keys.Up, t.keys.Down, t.keys.PageUp, t.keys.PageDown}
	both := key.NewBinding(key.WithKeys(append(t.keys.Up.Keys(), t.keys.Down.Keys()...)...),
		key.WithHelp(t.keys.Up.Help().Key+"/"+t.keys.Down.Help().Key, "scroll"))
	return uikit.KeyHelp{Short: append(bs, both), Full: [][]key.Binding{bs, scroll}}
}

// rows is how many lines the dialog shows at once (title and footer
// take the rest of its height).
func (t textOverlay) rows() int { return max(3, min(t.h-4, len(t.lines)+3)) - 3 }

// lastOffset is the offset that shows the last line on the dialog's last
// row: scrolling stops there, so the box never shows less than it can hold.
func (t textOverlay) lastOffset() int { return max(0, len(t.lines)-t.rows()) }

// View draws the visible lines and a footer from the dialog's keys.
func (t textOverlay) View() string {
	s := t.st
	w := min(t.w-4, 96)
	h := t.rows() + 3
	// A resize can make the offset overshoot; draw as if clamped.
	body := t.lines[min(t.offset, t.lastOffset()):]
	if len(body) > h-3 {
		body = body[:h-3]
	}
	out := make([]string, 0, h)
	out = append(out, s.DialogTitle.Render(uikit.Fit(t.title, w-4)))
	for _, l := range body {
		out = append(out, uikit.FitStyled(l, w-4))
	}
	out = append(out, s.Muted.Render(uikit.Fit(uikit.FooterOf(t.Keys().Short), w-4)))
	return s.Dialog.Width(w - 2).Render(strings.Join(out, "\n"))
}

// confirmOverlay asks a yes/no question; yes runs onYes.
type confirmOverlay struct {
	dialog
	title, question string
	onYes           tea.Cmd
}

func newConfirm(e *env, title, question string, onYes tea.Cmd) confirmOverlay {
	return confirmOverlay{dialog: newDialog(e), title: title, question: question, onYes: onYes}
}

// Update answers yes or no.
func (c confirmOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if c.resized(msg) {
		return c, nil
	}
	if km, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(km, c.keys.Confirm):
			return nil, c.onYes
		case key.Matches(km, c.keys.Deny), key.Matches(km, c.keys.Quit):
			return nil, nil
		}
	}
	return c, nil
}

// Keys are yes and no.
func (c confirmOverlay) Keys() uikit.KeyHelp {
	bs := []key.Binding{c.keys.Confirm, c.keys.Deny}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// View draws the question and the answers.
func (c confirmOverlay) View() string {
	s := c.st
	w := min(c.w-4, 72)
	q := lipgloss.NewStyle().Width(w - 4).Render(c.question)
	return s.Dialog.Width(w - 2).Render(s.DialogTitle.Render(c.title) + "\n\n" + q + "\n\n" +
		s.StatusKey.Render(c.keys.Confirm.Help().Key) + s.Muted.Render(" yes   ") + s.StatusKey.Render(c.keys.Deny.Help().Key) + s.Muted.Render(" no"))
}

// inputOverlay reads one line; submit gets the text. Masked inputs never
// show what is typed (API keys, secrets).
type inputOverlay struct {
	dialog
	title  string
	hint   string
	input  textinput.Model
	submit func(string) tea.Cmd
}

func newInputOverlay(e *env, title, hint, placeholder string, masked bool, submit func(string) tea.Cmd) inputOverlay {
	ti := textinput.New()
	ti.Placeholder = placeholder
	ti.Prompt = "› "
	ti.CharLimit = 4096
	if masked {
		ti.EchoMode = textinput.EchoPassword
		ti.EchoCharacter = '•'
	}
	ti.Focus()
	return inputOverlay{dialog: newDialog(e), title: title, hint: hint, input: ti, submit: submit}
}

// Update edits the line; enter submits, esc cancels. Keys go to the text
// field whole, so only enter and esc (not remappable letters) act.
func (o inputOverlay) Update(msg tea.Msg) (overlay, tea.Cmd) {
	if o.resized(msg) {
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

// Keys are confirm and cancel.
func (o inputOverlay) Keys() uikit.KeyHelp {
	bs := []key.Binding{o.keys.Choose, o.keys.Close}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

// View draws the title, the hint and the field.
func (o inputOverlay) View() string {
	s := o.st
	w := min(o.w-4, 80)
	o.input.Width = w - 8
	parts := []string{s.DialogTitle.Render(o.title)}
	if o.hint != "" {
		parts = append(parts, s.Muted.Render(lipgloss.NewStyle().Width(w-4).Render(o.hint)))
	}
	parts = append(parts, "", o.input.View(), "", s.Muted.Render(o.keys.Choose.Help().Key+" confirm · "+o.keys.Close.Help().Key+" cancel"))
	return s.Dialog.Width(w - 2).Render(strings.Join(parts, "\n"))
}

// placeOverlay draws fg centred over bg, keeping bg visible around it.
func placeOverlay(bg, fg string, width, height int) string {
	bgLines := strings.Split(bg, "\n")
	fgLines := strings.Split(fg, "\n")
	fw := lipgloss.Width(fg)
	x := max(0, (width-fw)/2)
	y := max(0, (height-len(fgLines))/2)
	for i, fl := range fgLines {
		row := y + i
		if row >= len(bgLines) {
			bgLines = append(bgLines, "")
		}
		b := bgLines[row]
		left := ansi.Truncate(b, x, "")
		if w := lipgloss.Width(left); w < x {
			left += strings.Repeat(" ", x-w)
		}
		right := ansi.TruncateLeft(b, x+lipgloss.Width(fl), "")
		bgLines[row] = left + fl + right
	}
	return strings.Join(bgLines, "\n")
}
