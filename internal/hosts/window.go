package hosts

import (
	"sync"
	"time"
)

// Window counts calls per key over a rolling period: what the emulators
// use to answer a service's rate limit as the service does. It is safe
// for concurrent use.
type Window struct {
	mu    sync.Mutex
	limit int
	per   time.Duration
	hits  map[string][]time.Time
}

// NewWindow allows limit calls per key within any span of per; a limit of
// zero or less allows everything.
func NewWindow(limit int, per time.Duration) *Window {
	return &Window{limit: limit, per: per, hits: map[string][]time.Time{}}
}

// Allow records a call by key at now, or reports false (recording
// nothing) when key already made limit calls within the period.
func (w *Window) Allow(key string, now time.Time) bool {
	if w.limit <= 0 {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	kept := w.hits[key][:0]
	for _, t := range w.hits[key] {
		if now.Sub(t) < w.per {
			kept = append(kept, t)
		}
	}
	if len(kept) >= w.limit {
		w.hits[key] = kept
		return false
	}
	w.hits[key] = append(kept, now)
	return true
}
