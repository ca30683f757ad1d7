package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/term"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/ui"
)

// needTerminal is checked before anything is written to the terminal: the
// interface needs one on both standard input and output.
func needTerminal(ios *iostreams.IOStreams) error {
	which := ""
	switch {
	case !ios.IsStdinTTY():
		which = "standard input"
	case !ios.IsStdoutTTY():
		which = "standard output"
	}
	if which == "" {
		return nil
	}
	return fmt.Errorf("the interface needs a terminal, and its %s is not one. For scripts use the commands that need none: "+
		"fsdeck upload, get, ls, url and the rest of fsdeck --help, and fsdeck serve, fsdeck key, fsdeck config, fsdeck doctor", which)
}

// restoreSeq takes back a kitty preview image (while still on the
// alternate screen, where it is), turns off every mouse mode, bracketed
// paste and focus reports, leaves the alternate screen and shows the
// cursor.
const restoreSeq = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[?1049l\x1b[?25h"

// runProgram runs the interface and puts the terminal back on every way
// out. Bubble Tea restores it on a quit, a signal and a panic in its loop,
// but not when it fails after entering the alternate screen (as it did
// reading from /dev/null), and a panic elsewhere in this goroutine skips
// it; so the modes are switched off and the saved tty state restored here
// whenever the program did not end normally.
//
// Signals (SIGINT, SIGTERM, SIGHUP) arrive only through ctx (see main):
// with Bubble Tea's own handler as well, a signal could leave that handler
// blocked sending a quit message to a loop that had already ended on ctx,
// and Run would never return.
func runProgram(ctx context.Context, m tea.Model, stdin io.Reader, stdout io.Writer, getenv func(string) string) (tea.Model, error) {
	restore := saveTerminal(stdin, stdout, getenv)
	defer func() {
		if r := recover(); r != nil {
			restore()
			panic(r)
		}
	}()
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx),
		tea.WithoutSignalHandler(), tea.WithInput(stdin), tea.WithOutput(stdout))
	final, err := p.Run()
	if err == nil {
		return final, nil
	}
	restore()
	if errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic) {
		return final, nil // a signal: the person asked for it
	}
	return final, err
}

// saveTerminal remembers the tty mode of stdin and returns what puts it
// and the screen modes back.
func saveTerminal(stdin io.Reader, stdout io.Writer, getenv func(string) string) func() {
	var fd uintptr
	var state *term.State
	if f, ok := stdin.(term.File); ok {
		fd = f.Fd()
		state, _ = term.GetState(fd)
	}
	return func() {
		seq := restoreSeq
		// The Linux console and the Windows console print APC sequences
		// instead of ignoring them; neither shows kitty images anyway.
		if getenv("TERM") != "linux" && runtime.GOOS != "windows" {
			seq = ui.KittyCleanup() + seq
		}
		io.WriteString(stdout, seq)
		if state != nil {
			term.Restore(fd, state)
		}
	}
}
