package localpane

import (
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/fsnotify/fsnotify"
)

// watchDebounce gathers a burst of changes (an unpacked archive, a build)
// into one relisting.
const watchDebounce = 300 * time.Millisecond

// dirWatch watches one directory; changed receives (at most one pending)
// signal per debounced burst of changes.
type dirWatch struct {
	w       *fsnotify.Watcher
	changed chan struct{}
	done    chan struct{}
	once    sync.Once
}

// watchStartedMsg hands a new watch to the pane that asked for it.
type watchStartedMsg struct {
	gen   int
	watch *dirWatch
}

// dirChangedMsg says the watched directory changed.
type dirChangedMsg struct{ gen int }

// startWatch watches dir in a command; a directory that cannot be watched
// (too many watches, a filesystem without events) is simply not watched:
// the refresh key still works.
func startWatch(dir string, gen int) tea.Cmd {
	return func() tea.Msg {
		w, err := fsnotify.NewWatcher()
		if err != nil {
			return nil
		}
		if err := w.Add(dir); err != nil {
			w.Close()
			return nil
		}
		d := &dirWatch{w: w, changed: make(chan struct{}, 1), done: make(chan struct{})}
		go d.run()
		return watchStartedMsg{gen: gen, watch: d}
	}
}

// run turns events into debounced signals until the watch is closed.
func (d *dirWatch) run() {
	var timer <-chan time.Time
	for {
		select {
		case _, ok := <-d.w.Events:
			if !ok {
				return
			}
			if timer == nil {
				timer = time.After(watchDebounce)
			}
		case _, ok := <-d.w.Errors:
			if !ok {
				return
			}
		case <-timer:
			timer = nil
			select {
			case d.changed <- struct{}{}:
			default:
			}
		}
	}
}

// wait returns the next change (nil once the watch is closed).
func (d *dirWatch) wait(gen int) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-d.changed:
			return dirChangedMsg{gen: gen}
		case <-d.done:
			return nil
		}
	}
}

// stop closes the watch in a command.
func (d *dirWatch) stop() tea.Cmd {
	return func() tea.Msg {
		d.close()
		return nil
	}
}

func (d *dirWatch) close() {
	d.once.Do(func() {
		close(d.done)
		d.w.Close()
	})
}
