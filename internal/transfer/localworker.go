package transfer

import (
	"sync"
	"time"
)

// localWorker runs local jobs on one goroutine whose thread has a lower
// priority (background). Giving each job a fresh niced thread would cost
// a thread creation per file (a niced thread cannot be reused: raising
// its priority back needs privileges), a third of the speed of copying
// 10,000 small files. The worker ends after localIdle without work.
type localWorker struct {
	mu      sync.Mutex
	running bool
	work    chan func()
}

// localIdle is how long the worker waits for the next job before its
// goroutine (and thread) ends.
const localIdle = 100 * time.Millisecond

// do runs f on the worker and waits for it.
func (w *localWorker) do(f func()) {
	done := make(chan struct{})
	w.mu.Lock()
	if w.work == nil {
		w.work = make(chan func(), localConcurrency)
	}
	// The queue holds at most localConcurrency jobs (the lane's limit), so
	// this send never blocks while the lock is held.
	w.work <- func() { defer close(done); f() }
	if !w.running {
		w.running = true
		go w.loop()
	}
	w.mu.Unlock()
	<-done
}

func (w *localWorker) loop() {
	background()
	idle := time.NewTimer(localIdle)
	defer idle.Stop()
	for {
		select {
		case f := <-w.work:
			f()
			idle.Reset(localIdle)
		case <-idle.C:
			w.mu.Lock()
			if len(w.work) == 0 {
				w.running = false
				w.mu.Unlock()
				return
			}
			w.mu.Unlock()
			idle.Reset(localIdle)
		}
	}
}
