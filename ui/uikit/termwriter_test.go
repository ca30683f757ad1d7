package uikit

import (
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// overlapWriter records whether two writes were ever inside it at once.
type overlapWriter struct {
	inside, overlaps atomic.Int32
}

func (o *overlapWriter) Write(p []byte) (int, error) {
	if o.inside.Add(1) > 1 {
		o.overlaps.Add(1)
	}
	time.Sleep(time.Millisecond)
	o.inside.Add(-1)
	return len(p), nil
}

// The renderer and OSC 52 / OSC 9 / kitty writers share one lock: no two
// writes reach the terminal at once.
func TestTerminalWriterSerialises(t *testing.T) {
	var under overlapWriter
	w := NewTerminalWriter(&under)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				w.Write([]byte("\x1b]52;c;eA==\a"))
			}
		}()
	}
	wg.Wait()
	if n := under.overlaps.Load(); n != 0 {
		t.Fatalf("%d overlapping writes", n)
	}
	f, err := os.CreateTemp(t.TempDir(), "tty")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if tf, ok := NewTerminalWriter(f).(terminalFile); !ok || tf.Fd() != f.Fd() {
		t.Fatal("a wrapped file no longer looks like a terminal file")
	}
}
