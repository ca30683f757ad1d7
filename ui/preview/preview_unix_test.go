//go:build unix

package preview

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/muesli/termenv"
)

// A named pipe is never opened (that would block until a writer comes):
// the preview says what it is. /dev/zero, endless, is not read either.
func TestPreviewSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan previewResult, 2)
	go func() {
		done <- previewOf(t, fifo, termenv.Ascii)
		done <- previewOf(t, "/dev/zero", termenv.Ascii)
	}()
	for _, want := range []string{"special file · named pipe", "special file · character device"} {
		select {
		case r := <-done:
			if r.info != want {
				t.Fatalf("got %q, want %q", r.info, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("the preview blocked instead of saying %q", want)
		}
	}
}
