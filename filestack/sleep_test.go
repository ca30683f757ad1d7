package filestack

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// A wait between attempts ends at once when the upload is cancelled, as
// the network error for its operation; otherwise it waits its time.
func TestSleepBetweenAttempts(t *testing.T) {
	e := newEnv(t, emulator.Options{}, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	err := e.c.sleep(ctx, "upload complete", time.Minute)
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "upload complete" || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v, want the network error of \"upload complete\" wrapping context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("a cancelled wait took %v", d)
	}
	start = time.Now()
	if err := e.c.sleep(context.Background(), "upload", 20*time.Millisecond); err != nil || time.Since(start) < 20*time.Millisecond {
		t.Fatalf("wait: %v after %v, want nil after 20 ms", err, time.Since(start))
	}
}
