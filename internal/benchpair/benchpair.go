// Package benchpair holds what fsdeck's paired benchmarks share: running
// two sides once each per iteration in alternating order (A B, then B A,
// …) in one process, so that a loaded machine slows both alike, logging
// each pair and reporting the median of the per-pair ratios.
// It is imported by tests only, and imports nothing of fsdeck.
package benchpair

import (
	"math"
	"slices"
	"testing"
	"time"
)

// Median is the middle value of xs (the mean of the two middle ones; 0
// for none). xs is left as it is.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// A Ratio is one pair's ratio of A's time and B's.
type Ratio func(a, b float64) float64

// AOverB is A's time ÷ B's: below 1 when A is faster.
func AOverB(a, b float64) float64 { return a / b }

// BOverA is B's time ÷ A's: above 1 when A is faster (A the side under
// test, B its baseline).
func BOverA(a, b float64) float64 { return b / a }

// Alternate runs a and b once each per iteration of bm.Loop, a first on
// even iterations and b first on odd ones, and returns what each run
// returned, pair by pair. each, if not nil, is called after every pair
// with its index (from 0), for instance to log it as it comes.
func Alternate[T any](bm *testing.B, a, b func() T, each func(i int, ra, rb T)) (as, bs []T) {
	bm.Helper()
	return alternate(bm, a, b, each)
}

// looper is the part of *testing.B that alternate uses.
type looper interface {
	Helper()
	Loop() bool
}

func alternate[T any](bm looper, a, b func() T, each func(i int, ra, rb T)) (as, bs []T) {
	bm.Helper()
	for i := 0; bm.Loop(); i++ {
		var ra, rb T
		if i%2 == 0 {
			ra, rb = a(), b()
		} else {
			rb, ra = b(), a()
		}
		as, bs = append(as, ra), append(bs, rb)
		if each != nil {
			each(i, ra, rb)
		}
	}
	return as, bs
}

// Result is what Run measured, pair by pair: each side's time in seconds
// and the pair's ratio.
type Result struct {
	A, B, Ratios []float64
}

// Run runs a and b, each returning the seconds one run took (Timed makes
// such a function), once each per iteration in alternating order
// (Alternate); it logs every pair as it comes ("pair 3: fsdeck 1.2345s,
// curl loop 1.5s, ratio 1.215"), reports the median of the per-pair
// ratios as "median-ratio" and returns the times for any further metric.
func Run(bm *testing.B, nameA string, a func() float64, nameB string, b func() float64, ratio Ratio) Result {
	bm.Helper()
	return run(bm, nameA, a, nameB, b, ratio)
}

// reporter is the part of *testing.B that run uses.
type reporter interface {
	looper
	Logf(format string, args ...any)
	ReportMetric(n float64, unit string)
}

func run(bm reporter, nameA string, a func() float64, nameB string, b func() float64, ratio Ratio) Result {
	bm.Helper()
	var r Result
	r.A, r.B = alternate(bm, a, b, func(i int, ta, tb float64) {
		bm.Helper()
		q := ratio(ta, tb)
		r.Ratios = append(r.Ratios, q)
		bm.Logf("pair %d: %s %v, %s %v, ratio %.3f", i+1, nameA, seconds(ta), nameB, seconds(tb), q)
	})
	bm.ReportMetric(Median(r.Ratios), "median-ratio")
	return r
}

// seconds is s seconds as a duration for a log line, rounded to four
// significant digits (1.483s, 45.68ms, 1.012ms).
func seconds(s float64) time.Duration {
	d := time.Duration(s * float64(time.Second))
	if d < 1000 {
		return d
	}
	step := time.Duration(math.Pow10(int(math.Floor(math.Log10(float64(d)))) - 3))
	return d.Round(step)
}

// Timed is f as a function returning the seconds one call took; an error
// from f fails the test or benchmark.
func Timed(tb testing.TB, f func() error) func() float64 {
	return func() float64 {
		start := time.Now()
		if err := f(); err != nil {
			tb.Fatal(err)
		}
		return time.Since(start).Seconds()
	}
}
