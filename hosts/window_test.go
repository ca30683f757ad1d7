package hosts

import (
	"testing"
	"time"
)

// TestWindowRolls: limit calls per key within the period, keys apart, and
// a call leaves the window once the period has passed since it.
func TestWindowRolls(t *testing.T) {
	t0 := time.Unix(1000, 0)
	w := NewWindow(2, time.Second)
	if !w.Allow("a", t0) || !w.Allow("a", t0.Add(100*time.Millisecond)) {
		t.Fatal("the first two calls were refused")
	}
	if w.Allow("a", t0.Add(500*time.Millisecond)) {
		t.Fatal("a third call within the second was allowed")
	}
	if !w.Allow("b", t0.Add(500*time.Millisecond)) {
		t.Fatal("another key shares the count")
	}
	if !w.Allow("a", t0.Add(1000*time.Millisecond)) {
		t.Fatal("the first call did not leave the window after a second")
	}
	if !NewWindow(0, time.Second).Allow("a", t0) {
		t.Fatal("no limit refused a call")
	}
}
