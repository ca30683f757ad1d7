package ui

import (
	"context"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
)

// copiedMsg reports how a copy went (the status line words it).
type copiedMsg struct {
	what string
	via  []string
}

// copyToClipboard writes OSC 52 to the terminal, which works over SSH; in
// tmux it also sends the passthrough-wrapped form (tmux ignores plain OSC
// 52 from programs unless set-clipboard is on, and drops passthrough unless
// allow-passthrough is on; sending both covers either setting). A native
// tool is used as well when one is available for the local display.
func copyToClipboard(term io.Writer, text, what string, getenv func(string) string, native bool) tea.Cmd {
	return func() tea.Msg {
		var via []string
		if term != nil {
			seq := osc52.New(text)
			_, plainErr := io.WriteString(term, seq.String())
			tmuxErr := io.ErrShortWrite // not tried outside tmux
			if getenv("TMUX") != "" {
				_, tmuxErr = io.WriteString(term, seq.Tmux().String())
			}
			switch {
			case tmuxErr == nil:
				via = append(via, "OSC 52 (tmux)")
			case plainErr == nil:
				via = append(via, "OSC 52")
			}
		}
		if native {
			if tool := nativeClipboard(getenv); tool != nil {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, tool[0], tool[1:]...)
				cmd.Stdin = strings.NewReader(text)
				if cmd.Run() == nil {
					via = append(via, tool[0])
				}
			}
		}
		return copiedMsg{what: what, via: via}
	}
}

// nativeClipboard picks a clipboard program for the local display, or nil
// (over SSH without a forwarded display there is none; OSC 52 covers it).
func nativeClipboard(getenv func(string) string) []string {
	var candidates [][]string
	switch runtime.GOOS {
	case "darwin":
		candidates = [][]string{{"pbcopy"}}
	case "windows":
		candidates = [][]string{{"clip.exe"}}
	default:
		if getenv("WAYLAND_DISPLAY") != "" {
			candidates = append(candidates, []string{"wl-copy"})
		}
		if getenv("DISPLAY") != "" {
			candidates = append(candidates, []string{"xclip", "-selection", "clipboard"}, []string{"xsel", "--clipboard", "--input"})
		}
	}
	for _, c := range candidates {
		if _, err := exec.LookPath(c[0]); err == nil {
			return c
		}
	}
	return nil
}

// notify rings the bell and sends an OSC 9 desktop notification (terminals
// that do not know OSC 9 ignore it).
func notify(term io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		if term != nil {
			io.WriteString(term, "\a\x1b]9;"+Sanitize(text)+"\x07")
		}
		return nil
	}
}
