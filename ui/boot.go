package ui

import (
	"io"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Boot is the interface while its session opens: the first frame is drawn
// at once (the title and both panes saying "loading…") and what is slow
// (the local server, the keyring, the ledger) is opened in a command; when
// it answers, Boot builds the interface (New) and hands every message to
// it. Keys pressed meanwhile are kept and given to the interface in order;
// ctrl+c quits at once.
type Boot struct {
	open    func() (Deps, error)
	styles  uikit.Styles
	dir     string
	model   *Model
	err     error
	size    *tea.WindowSizeMsg
	pending []tea.Msg
	started time.Time
	// ask is where the terminal is asked about its images (nil: it is
	// not); gfx is what it has replied.
	ask io.Writer
	gfx termGraphics
}

// bootedMsg carries what open returned.
type bootedMsg struct {
	deps Deps
	err  error
}

// NewBoot is the interface that opens its dependencies with open, in a
// command (open may block: it runs off the event loop). startDir is shown
// in the local pane's title meanwhile; settings style the loading frame.
func NewBoot(open func() (Deps, error), startDir string, settings Settings) *Boot {
	if settings.Theme == (uikit.Theme{}) {
		settings.Theme = uikit.DefaultTheme()
	}
	return &Boot{open: open, styles: uikit.NewStyles(settings.Theme), dir: startDir, started: time.Now()}
}

// SetSize gives the terminal's size before the program runs, so that the
// frame Bubble Tea renders as it starts (before any message) is already
// the loading frame, not empty until its first WindowSizeMsg.
func (b *Boot) SetSize(width, height int) {
	if width > 0 && height > 0 {
		b.size = &tea.WindowSizeMsg{Width: width, Height: height}
	}
}

// Model is the interface once open has answered (nil before, or when it
// failed).
func (b *Boot) Model() *Model { return b.model }

// Err is what open failed with (nil when it has not failed).
func (b *Boot) Err() error { return b.err }

// Init opens the dependencies and asks the terminal about its images
// (see AskTerminal).
func (b *Boot) Init() tea.Cmd {
	return tea.Batch(func() tea.Msg {
		d, err := b.open()
		return bootedMsg{deps: d, err: err}
	}, b.askCmd())
}

// Update keeps the size and the keys until the interface exists, then
// builds it and gives it all of them; afterwards it is the interface's.
func (b *Boot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ok, cmd := b.takeReply(msg); ok {
		return b, cmd
	}
	if b.model != nil {
		_, cmd := b.model.Update(msg)
		return b, cmd
	}
	switch msg := msg.(type) {
	case bootedMsg:
		if msg.err != nil {
			b.err = msg.err
			return b, tea.Quit
		}
		b.model = New(b.withGraphics(msg.deps))
		cmds := []tea.Cmd{b.model.Init()}
		if b.size != nil {
			_, cmd := b.model.Update(*b.size)
			cmds = append(cmds, cmd)
		}
		for _, p := range b.pending {
			_, cmd := b.model.Update(p)
			cmds = append(cmds, cmd)
		}
		b.pending = nil
		return b, tea.Batch(cmds...)
	case tea.WindowSizeMsg:
		b.size = &msg
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return b, tea.Quit
		}
		b.pending = append(b.pending, msg)
	case tea.MouseMsg:
		// Clicks land on rows that are not drawn yet: dropped.
	}
	return b, nil
}

// View is the interface's, or the loading frame until it exists.
func (b *Boot) View() string {
	if b.model != nil {
		return b.model.View()
	}
	if b.err != nil || b.size == nil {
		return ""
	}
	w, h := b.size.Width, b.size.Height
	if w < minWidth || h < minHeight {
		return tooSmall(w, h)
	}
	st := &b.styles
	title := uikit.Fit(st.Title.Render(" fsdeck ")+" "+st.Muted.Render("loading…"), w)
	body := h - 3
	lw := w / 2
	pane := func(heading, path string, focused bool, width int) string {
		inner := max(10, width-2)
		head := st.PaneHeading(heading, focused)
		lines := []string{head + uikit.FitLeft(text.Sanitize(path), inner-lipgloss.Width(head)), "",
			st.Muted.Render(uikit.Fit("loading…", inner))}
		return st.PaneFrame(focused, lines, "", inner, body)
	}
	panes := lipgloss.JoinHorizontal(lipgloss.Top, pane("Local", b.dir, true, lw), pane("Remote", "", false, w-lw))
	hint := st.Muted.Render(uikit.Fit("ctrl+c quit", w))
	return strings.Join([]string{title, panes, "", hint}, "\n")
}
