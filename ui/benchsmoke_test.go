package ui

import "os"

// smoke is full, or small under FSDECK_BENCH_SMOKE=1, which .ci/run sets
// to run every benchmark once: what it checks is that each still runs,
// not its figures.
func smoke(full, small int) int {
	if os.Getenv("FSDECK_BENCH_SMOKE") == "1" {
		return small
	}
	return full
}
