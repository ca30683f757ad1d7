package hosts

import "testing"

// A file that does not fit evicts the oldest holds first (their drop runs),
// a released hold gives its bytes back once, and a file larger than the
// whole budget is refused without evicting anything.
func TestBudgetEvictsOldestAndRefusesTooLarge(t *testing.T) {
	b := NewBudget(100)
	var dropped []string
	take := func(name string, n int64) *Hold {
		h, ok := b.Take(n, func() { dropped = append(dropped, name) })
		if !ok {
			t.Fatalf("%s (%d bytes) refused", name, n)
		}
		return h
	}
	a := take("a", 40)
	take("b", 40)
	c := take("c", 10)
	if len(dropped) != 0 || b.Used() != 90 {
		t.Fatalf("fits: dropped %v, used %d", dropped, b.Used())
	}
	take("d", 50) // needs a and b gone (90+50 > 100, 50+50 fits after a)
	if len(dropped) != 1 || dropped[0] != "a" || !a.Evicted() || b.Used() != 100 {
		t.Fatalf("after d: dropped %v, used %d", dropped, b.Used())
	}
	c.Release()
	c.Release()
	a.Release() // evicted already: no double credit
	if b.Used() != 90 {
		t.Fatalf("after releases: used %d", b.Used())
	}
	if _, ok := b.Take(101, func() { dropped = append(dropped, "huge") }); ok || len(dropped) != 1 || b.Used() != 90 {
		t.Fatalf("a file over the budget: ok %v, dropped %v, used %d", ok, dropped, b.Used())
	}
	var nb *Budget
	if h, ok := nb.Take(1<<40, nil); !ok || h != nil || nb.Cap(7) != 7 {
		t.Fatal("a nil budget must refuse nothing")
	}
	if b.Cap(1000) != 100 {
		t.Fatalf("Cap = %d", b.Cap(1000))
	}
}
