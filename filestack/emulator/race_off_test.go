//go:build !race

package emulator

// raceEnabled: the race detector changes what allocations cost and take,
// so memory measurements are skipped under it.
const raceEnabled = false
