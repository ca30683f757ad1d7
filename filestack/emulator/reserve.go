package emulator

import (
	"context"
	"io"
)

// reservation is one request's share of the processing memory budget.
// Every byte it holds was acquired from the budget, so however it grows
// and shrinks, the budget is never exceeded.
type reservation struct {
	s    *Server
	held int64
}

// settle changes the reservation to want bytes: what is no longer needed
// goes back at once, more is waited for (QueueWait, then 503 busy).
func (v *reservation) settle(ctx context.Context, want int64) error {
	switch {
	case want < v.held:
		v.s.mem.Release(v.held - want)
	case want > v.held:
		if err := v.s.queued(ctx, func(ctx context.Context) error { return v.s.reserve(ctx, want-v.held) }); err != nil {
			return err
		}
	}
	v.held = want
	return nil
}

// shrink gives back all but keep bytes (at most what it holds) and
// returns what it still holds.
func (v *reservation) shrink(keep int64) int64 {
	if keep < v.held {
		v.s.mem.Release(v.held - keep)
		v.held = keep
	}
	return v.held
}

// release gives everything back.
func (v *reservation) release() { v.shrink(0) }

// Growth steps of a fetch of unknown size: small at first, so a small or
// slow source holds little, then up to fetchStepMax at a time, so a large
// one does not go to the budget for every read.
const (
	fetchStepMin = 64 << 10
	fetchStepMax = 1 << 20
)

// budgetReader reads an external source with its reservation growing
// ahead of the bytes that arrived, never behind: a read only takes as
// many bytes as are reserved, and when none are left it first grows the
// reservation by a step, up to limit in all; past that it fails with
// tooBig.
type budgetReader struct {
	ctx    context.Context
	r      io.Reader
	rsv    *reservation
	n      int64 // bytes read so far
	limit  int64
	tooBig error
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n >= b.rsv.held {
		step := min(max(b.rsv.held, fetchStepMin), fetchStepMax, b.limit-b.rsv.held)
		if step <= 0 {
			return 0, b.tooBig
		}
		if err := b.rsv.settle(b.ctx, b.rsv.held+step); err != nil {
			return 0, err
		}
	}
	if room := b.rsv.held - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}
