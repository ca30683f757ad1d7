package hosts

import (
	"context"
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

// A Pacer that holds a request back says until when through the context's
// notice, then clears it; a request that goes at once says nothing; a
// cancelled wait gives its slot back.
func TestPacerNotice(t *testing.T) {
	p := NewPacer(300 * time.Millisecond)
	var got []time.Time
	ctx := WithPaceNotice(context.Background(), func(until time.Time) { got = append(got, until) })
	if _, err := p.Wait(ctx); err != nil || len(got) != 0 {
		t.Fatalf("first request: %v, notices %v", err, got)
	}
	start := time.Now()
	if _, err := p.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Before(start.Add(200*time.Millisecond)) || !got[1].IsZero() || time.Since(start) < 200*time.Millisecond {
		t.Fatalf("paced request: notices %v after %v", got, time.Since(start))
	}
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(20*time.Millisecond, cancel)
	if _, err := p.Wait(cctx); err == nil {
		t.Fatal("a cancelled wait returned no error")
	}
}

// A request waits an interval after the previous one finished, not only
// after it went: one whose reply took long does not let the next go at
// once.
func TestPacerCountsFromTheLastReply(t *testing.T) {
	p := NewPacer(200 * time.Millisecond)
	done, err := p.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the reply takes longer than the interval
	done()
	start := time.Now()
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Fatalf("the next request went %v after the last reply, want about 200ms", waited)
	}
}
