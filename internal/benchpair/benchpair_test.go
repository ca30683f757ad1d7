package benchpair

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{0.8, 1.2, 5, 0.9, 1.1}, 1.1},
	} {
		in := slices.Clone(c.xs)
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", in, got, c.want)
		}
		if !slices.Equal(c.xs, in) {
			t.Errorf("Median reordered its input: %v, was %v", c.xs, in)
		}
	}
}

func TestRatios(t *testing.T) {
	if got := AOverB(2, 4); got != 0.5 {
		t.Errorf("AOverB(2, 4) = %v, want 0.5", got)
	}
	if got := BOverA(2, 4); got != 2 {
		t.Errorf("BOverA(2, 4) = %v, want 2", got)
	}
}

// fakeB stands in for a testing.B: Loop runs n iterations, and what is
// logged and reported is recorded.
type fakeB struct {
	n       int
	logs    []string
	metrics map[string]float64
}

func (f *fakeB) Helper() {}

func (f *fakeB) Loop() bool { f.n--; return f.n >= 0 }

func (f *fakeB) Logf(format string, args ...any) {
	f.logs = append(f.logs, fmt.Sprintf(format, args...))
}

func (f *fakeB) ReportMetric(n float64, unit string) {
	if f.metrics == nil {
		f.metrics = map[string]float64{}
	}
	f.metrics[unit] = n
}

// Alternate runs A first on even iterations and B first on odd ones and
// hands back each side's results pair by pair, as each pair ends.
func TestAlternateOrder(t *testing.T) {
	var order []string
	step := 0
	side := func(name string) func() int {
		return func() int { order = append(order, name); step++; return step }
	}
	var pairs []string
	as, bs := alternate(&fakeB{n: 4}, side("A"), side("B"), func(i, ra, rb int) {
		pairs = append(pairs, fmt.Sprint(i, ra, rb, len(order)))
	})
	if want := []string{"A", "B", "B", "A", "A", "B", "B", "A"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if !slices.Equal(as, []int{1, 4, 5, 8}) || !slices.Equal(bs, []int{2, 3, 6, 7}) {
		t.Errorf("as %v, bs %v: want [1 4 5 8] and [2 3 6 7]", as, bs)
	}
	if want := []string{"0 1 2 2", "1 4 3 4", "2 5 6 6", "3 8 7 8"}; !slices.Equal(pairs, want) {
		t.Errorf("pairs (index, A, B, runs so far) %v, want %v", pairs, want)
	}
}

// Run logs every pair with its ratio in the direction asked for and
// reports the median of the per-pair ratios.
func TestRunReportsMedianRatio(t *testing.T) {
	times := func(ts ...float64) func() float64 {
		return func() float64 { t := ts[0]; ts = ts[1:]; return t }
	}
	f := fakeB{n: 3}
	r := run(&f, "ours", times(1, 2, 0.5), "theirs", times(3, 2, 0.04567891), BOverA)
	if want := []float64{3, 1, 0.04567891 / 0.5}; !slices.Equal(r.Ratios, want) {
		t.Errorf("ratios %v, want %v", r.Ratios, want)
	}
	if !slices.Equal(r.A, []float64{1, 2, 0.5}) || !slices.Equal(r.B, []float64{3, 2, 0.04567891}) {
		t.Errorf("times A %v, B %v", r.A, r.B)
	}
	if got := f.metrics["median-ratio"]; got != 1 {
		t.Errorf("median-ratio %v, want 1", got)
	}
	want := []string{
		"pair 1: ours 1s, theirs 3s, ratio 3.000",
		"pair 2: ours 2s, theirs 2s, ratio 1.000",
		"pair 3: ours 500ms, theirs 45.68ms, ratio 0.091",
	}
	if !slices.Equal(f.logs, want) {
		t.Errorf("logs\n%q\nwant\n%q", f.logs, want)
	}
	f = fakeB{n: 2}
	run(&f, "a", times(1, 4), "b", times(2, 2), AOverB)
	if got := f.metrics["median-ratio"]; got != 1.25 {
		t.Errorf("A÷B median-ratio %v, want 1.25 (of 0.5 and 2)", got)
	}
}

// fatalTB records what Fatal was given instead of stopping.
type fatalTB struct {
	testing.TB
	fatal []any
}

func (f *fatalTB) Fatal(args ...any) { f.fatal = append(f.fatal, args...) }

// Log lines give times to four significant digits.
func TestSeconds(t *testing.T) {
	for _, c := range []struct {
		s    float64
		want string
	}{
		{1.4828345, "1.483s"},
		{12.345678, "12.35s"},
		{0.0456789, "45.68ms"},
		{0.00101234, "1.012ms"},
		{0.000012345, "12.35µs"},
		{0, "0s"},
	} {
		if got := seconds(c.s).String(); got != c.want {
			t.Errorf("seconds(%v) = %s, want %s", c.s, got, c.want)
		}
	}
}

// Timed returns the seconds a call took and fails on its error.
func TestTimed(t *testing.T) {
	var ok fatalTB
	if s := Timed(&ok, func() error { return nil })(); s < 0 || len(ok.fatal) != 0 {
		t.Errorf("Timed = %v s, Fatal %v", s, ok.fatal)
	}
	var bad fatalTB
	boom := errors.New("boom")
	Timed(&bad, func() error { return boom })()
	if len(bad.fatal) != 1 || bad.fatal[0] != boom {
		t.Errorf("Fatal got %v, want the call's error", bad.fatal)
	}
}
