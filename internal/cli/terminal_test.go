package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Without a terminal, fsdeck says so and exits non-zero before writing a
// single byte to standard output (no alternate screen, no mouse modes).
func TestNeedsATerminal(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("FSDECK_DATA_DIR", dir)
	t.Setenv("FSDECK_CONFIG_DIR", dir)
	t.Setenv("FILESTACK_API_KEY", "")
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var errb bytes.Buffer
	err = runStd(context.Background(), []string{"--local", "--addr", "127.0.0.1:0"}, devnull, out, &errb)
	code := exitCode(err, &errb)
	if code == 0 || !strings.Contains(errb.String(), "fsdeck: the interface needs a terminal, and its standard input is not one") ||
		strings.Contains(errb.String(), "fsdeck: fsdeck") ||
		!strings.Contains(errb.String(), "fsdeck serve") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if b, _ := os.ReadFile(out.Name()); len(b) != 0 {
		t.Fatalf("wrote %q to a non-terminal", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "ledger.db")); err == nil {
		t.Fatal("opened the ledger before checking for a terminal")
	}
}

// panicky panics on its first message.
type panicky struct{}

func (p panicky) Init() tea.Cmd { return func() tea.Msg { return "boom" } }
func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if msg == "boom" {
		panic("a bug")
	}
	return p, nil
}
func (p panicky) View() string { return "x" }

// idle runs until it is stopped from outside.
type idle struct{}

func (idle) Init() tea.Cmd                       { return nil }
func (idle) Update(tea.Msg) (tea.Model, tea.Cmd) { return idle{}, nil }
func (idle) View() string                        { return "x" }

// A panic is an error (not a quiet exit 0), and a signal (ctx) a clean
// end; both leave the terminal restored: the last bytes written turn the
// modes off and leave the alternate screen.
func TestRunProgramRestoresTerminal(t *testing.T) {
	in, w := io.Pipe()
	defer w.Close()
	var out lockedBuffer
	_, err := runProgram(context.Background(), panicky{}, in, &out, os.Getenv)
	if err == nil || !errors.Is(err, tea.ErrProgramPanic) {
		t.Fatalf("panic: %v", err)
	}
	if !strings.HasSuffix(out.String(), restoreSeq) {
		t.Fatalf("panic: output ends %q", tail(out.String()))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out2 lockedBuffer
	time.AfterFunc(300*time.Millisecond, cancel)
	if _, err := runProgram(ctx, idle{}, in, &out2, os.Getenv); err != nil {
		t.Fatalf("signal: %v", err)
	}
	if !strings.HasSuffix(out2.String(), restoreSeq) {
		t.Fatalf("signal: output ends %q", tail(out2.String()))
	}
}

func tail(s string) string { return s[max(0, len(s)-80):] }
