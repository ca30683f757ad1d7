package hosts

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// DefaultEmulatorMemory bounds what the mounted emulators hold in memory
// for requests in flight, all together: 128 MiB. Stored files live on
// disk (Store); only request bodies an emulator must parse whole (ImgBB's
// base64 image field, a Pastebin form) are buffered, each also capped by
// its service's own size limit.
const DefaultEmulatorMemory = 128 << 20

// Memory is a byte budget for request bodies buffered in memory, shared
// by the mounted emulators; a request waits for its share (or gives up
// with its context). A nil Memory bounds nothing.
type Memory struct {
	limit int64
	sem   *semaphore.Weighted
}

// NewMemory returns a budget of limit bytes (0 or less:
// DefaultEmulatorMemory).
func NewMemory(limit int64) *Memory {
	if limit <= 0 {
		limit = DefaultEmulatorMemory
	}
	return &Memory{limit: limit, sem: semaphore.NewWeighted(limit)}
}

// Take waits for n bytes (at most the whole budget) and returns the
// function that gives them back; ok is false when ctx ended first.
func (m *Memory) Take(ctx context.Context, n int64) (release func(), ok bool) {
	if m == nil {
		return func() {}, true
	}
	n = min(max(n, 1), m.limit)
	if m.sem.Acquire(ctx, n) != nil {
		return func() {}, false
	}
	return func() { m.sem.Release(n) }, true
}
