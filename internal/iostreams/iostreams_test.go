package iostreams

import (
	"os"
	"testing"
)

// Buffers are no terminal until a test says so; the overrides and the
// width answer what they were set to.
func TestOverrides(t *testing.T) {
	s, _, _, _ := Test()
	if s.IsStdinTTY() || s.IsStdoutTTY() || s.IsStderrTTY() || s.TerminalWidth() != 0 {
		t.Fatal("a buffer counted as a terminal")
	}
	s.SetStdinTTY(true)
	s.SetStdoutTTY(true)
	s.SetStderrTTY(true)
	s.SetTerminalWidth(93)
	if !s.IsStdinTTY() || !s.IsStdoutTTY() || !s.IsStderrTTY() || s.TerminalWidth() != 93 {
		t.Fatal("overrides not answered")
	}
	// A file that is no terminal (a pipe) is none.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if p := New(r, w, w); p.IsStdinTTY() || p.IsStdoutTTY() || p.IsStderrTTY() {
		t.Fatal("a pipe counted as a terminal")
	}
}
