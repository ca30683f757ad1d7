//go:build unix

package localpane

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// Details (i, enter, a double click) of a named pipe say what it is
// without opening it (opening blocked the command until a writer came, so
// the dialog never appeared).
func TestLocalDetailsOfSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	p := newTestLocal(t, filepath.Dir(fifo))
	cmd := p.Update(key1("i"))
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		o, ok := msg.(uikit.OpenMsg)
		if !ok {
			t.Fatalf("got %T", msg)
		}
		if text := strings.Join(o.Overlay.(uikit.Text).Lines(), "\n"); !strings.Contains(text, "Type      named pipe (not read)") || strings.Contains(text, "SHA-256") {
			t.Fatalf("details:\n%s", text)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("details of a named pipe blocked")
	}
}
