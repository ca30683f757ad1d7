//go:build race

package cli

// raceEnabled: Bubble Tea's input reader on a real terminal
// (github.com/muesli/cancelreader v0.2.2) closes its file while its own
// wait goroutine still reads the descriptor, which the race detector
// reports inside the library; tests that run the interface on a
// pseudo-terminal run without it (.ci/run has a step for them).
const raceEnabled = true
