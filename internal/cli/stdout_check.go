package cli

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall"

	"github.com/fsdeck/fsdeck/internal/iostreams"
	"github.com/fsdeck/fsdeck/internal/text"
)

// checkedOut is standard output remembering its first failed write. A
// script reads its results there (a handle, a saved path): when they
// could not be written (a full disk, a closed file), the run must not
// end as if they had been (coreutils and gh exit 1 too). Commands keep
// going after such a write, as their work is done either way; the status
// and message come at the end.
type checkedOut struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (c *checkedOut) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil {
		c.mu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.mu.Unlock()
	}
	return n, err
}

// Unwrap is the stream it checks (the interface draws on it directly, as
// a terminal).
func (c *checkedOut) Unwrap() io.Writer { return c.w }

// failed is the first write error, nil when all went, and nil for a
// closed pipe (`fsdeck ls | head`): the reader wanted no more, and the
// binary ends quietly there as every Unix tool does (Go's runtime turns
// EPIPE on fd 1 into SIGPIPE).
func (c *checkedOut) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil || errors.Is(c.err, syscall.EPIPE) {
		return nil
	}
	return c.err
}

// withCheckedOut is f with standard output checked. Whether it is a
// terminal is asked of the stream it wraps.
func withCheckedOut(f *Factory) (*Factory, *checkedOut) {
	ios := *f.IOStreams
	ios.SetStdoutTTY(f.IOStreams.IsStdoutTTY())
	out := &checkedOut{w: ios.Out}
	ios.Out = out
	g := *f
	g.IOStreams = &ios
	return &g, out
}

// stdoutCode is a run's exit status with a failed write to standard
// output counted: said on stderr, and status 1 at least.
func stdoutCode(code int, out *checkedOut, stderr io.Writer) int {
	werr := out.failed()
	if werr == nil {
		return code
	}
	fmt.Fprintln(stderr, "fsdeck: writing to standard output:", text.SanitizeLines(werr.Error()))
	return max(code, exitFailed)
}

// terminalOut is the stream the interface draws on: standard output as
// the process has it, unchecked (Bubble Tea asks it for its terminal).
func terminalOut(io *iostreams.IOStreams) io.Writer {
	if c, ok := io.Out.(*checkedOut); ok {
		return c.w
	}
	return io.Out
}
