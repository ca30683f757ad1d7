package hosts

import "sync"

// DefaultEmulatorBudget is the memory the emulators mounted together
// (builtin.Mount) may hold in stored files, all services together.
const DefaultEmulatorBudget = 256 << 20

// Budget is a byte budget shared by emulators that keep files in memory:
// stored files hold bytes of it, and a file that does not fit evicts the
// oldest held files (of any emulator) until it does. It protects the host
// running the emulators; the real services have no such shared limit.
type Budget struct {
	mu    sync.Mutex
	limit int64
	used  int64
	held  []*Hold // oldest first
}

// NewBudget returns a budget of limit bytes (0 or less: DefaultEmulatorBudget).
func NewBudget(limit int64) *Budget {
	if limit <= 0 {
		limit = DefaultEmulatorBudget
	}
	return &Budget{limit: limit}
}

// Limit is the budget's size in bytes.
func (b *Budget) Limit() int64 { return b.limit }

// Cap is n, or the budget's size when smaller: what one request may
// buffer (nil budget: n).
func (b *Budget) Cap(n int64) int64 {
	if b == nil {
		return n
	}
	return min(n, b.limit)
}

// Used is the bytes held now.
func (b *Budget) Used() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Hold is the bytes one stored file holds of a Budget.
type Hold struct {
	b       *Budget
	n       int64
	drop    func()
	evicted bool
}

// Take holds n bytes for a file that drop removes from its store. When
// they do not fit, the oldest holds are evicted first: their drop runs
// before Take returns, without the budget's lock, so the caller must not
// hold the lock its own drop takes. A file larger than the whole budget is
// refused (ok false), and nothing is evicted for it. A nil budget holds
// nothing and refuses nothing.
func (b *Budget) Take(n int64, drop func()) (h *Hold, ok bool) {
	if b == nil {
		return nil, true
	}
	if n > b.limit {
		return nil, false
	}
	b.mu.Lock()
	var evict []func()
	for b.used+n > b.limit && len(b.held) > 0 {
		old := b.held[0]
		b.held = b.held[1:]
		old.evicted = true
		b.used -= old.n
		evict = append(evict, old.drop)
	}
	h = &Hold{b: b, n: n, drop: drop}
	b.held = append(b.held, h)
	b.used += n
	b.mu.Unlock()
	for _, d := range evict {
		if d != nil {
			d()
		}
	}
	return h, true
}

// Release gives a hold's bytes back (its file was deleted or expired). It
// is safe on nil and more than once.
func (h *Hold) Release() {
	if h == nil {
		return
	}
	b := h.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if h.evicted {
		return
	}
	h.evicted = true
	b.used -= h.n
	for i, x := range b.held {
		if x == h {
			b.held = append(b.held[:i:i], b.held[i+1:]...)
			break
		}
	}
}

// Evicted reports whether the hold was evicted or released: a store that
// took it before locking itself checks this once it has, so a file
// evicted in between is not stored uncounted.
func (h *Hold) Evicted() bool {
	if h == nil {
		return false
	}
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	return h.evicted
}

// EmulatorSetup is what an emulator is built from when mounted.
type EmulatorSetup struct {
	// Prefix is the path it is mounted under (e.g. "/imgbb").
	Prefix string
	// Keys are the keys it accepts.
	Keys []string
	// Budget is the memory shared with the other mounted emulators (nil:
	// the emulator's own per-store cap only).
	Budget *Budget
}
