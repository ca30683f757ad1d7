//go:build unix

package filestack

import "syscall"

// processCPU is the process's user+system CPU time in seconds, so a
// benchmark can report CPU cost, which other load on the machine skews
// less than wall time. The emulator runs in the same process, so it counts.
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
