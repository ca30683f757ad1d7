package transfer

import (
	"testing"
	"time"
)

// BenchmarkSnapshot measures one Snapshot of an engine holding n jobs (a
// front end takes one per frame, 10–20 a second), and one Summary (the
// group rows only) of the same engine.
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range []int{50, 20000} {
		b.Run(map[int]string{50: "jobs=50", 20000: "jobs=20000"}[n], func(b *testing.B) {
			now := time.Unix(5000, 0)
			e := New(b.Context(), Options{Now: func() time.Time { return now }})
			e.groups = []*group{{id: 1}}
			for i := range n {
				e.jobs = append(e.jobs, &job{id: JobID(i + 1), group: 1, size: 1000, state: Queued,
					live: newLive(1000, nil, time.Second, now)})
			}
			b.ReportAllocs()
			b.Run("Snapshot", func(b *testing.B) {
				for b.Loop() {
					_ = e.Snapshot()
				}
			})
			b.Run("Summary", func(b *testing.B) {
				for b.Loop() {
					_ = e.Summary()
				}
			})
		})
	}
}
