//go:build linux

package transfer

import (
	"runtime"
	"syscall"
)

// background lowers the priority of the calling goroutine's thread for
// the rest of its life (nice 10), so a copy of many small files, which
// spends its time in the kernel creating files, leaves the CPU to the
// interface first. The goroutine keeps the thread locked and ends with
// it: Go then discards the thread instead of reusing it elsewhere.
func background() {
	runtime.LockOSThread()
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10)
}
