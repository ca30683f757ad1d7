package hosts

import (
	"context"
	"testing"
	"time"
)

// A request waits for its share of the memory budget and gives up with
// its context; a released share lets the next one in.
func TestMemoryBoundsBufferedBodies(t *testing.T) {
	m := NewMemory(100)
	release, ok := m.Take(context.Background(), 80)
	if !ok {
		t.Fatal("first share refused")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, ok := m.Take(ctx, 30); ok {
		t.Fatal("a share past the budget was granted")
	}
	release()
	if r, ok := m.Take(context.Background(), 500); !ok { // capped at the whole budget
		t.Fatal("a share after release refused")
	} else {
		r()
	}
}
