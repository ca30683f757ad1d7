package localpane

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// findHit is one entry below the find's root, slash-separated.
type findHit struct {
	rel   string
	isDir bool
}

// findPage is how many hits one page of a hitStore holds.
const findPage = 4096

// hitStore holds a walk's hits in pages of findPage: the walker appends,
// and a batch hands the interface a copy of the page list, which later
// appends never change (they write past its end or to a new page). So a
// batch copies no hits, and a long walk never copies all it holds to
// grow, as one flat slice of 100,000 hits is copied some 20 times.
type hitStore struct {
	pages [][]findHit
	n     int
}

// len is how many hits the store holds.
func (s hitStore) len() int { return s.n }

// at is hit i.
func (s *hitStore) at(i int) *findHit { return &s.pages[i/findPage][i%findPage] }

// add appends h.
func (s *hitStore) add(h findHit) {
	if s.n%findPage == 0 {
		s.pages = append(s.pages, make([]findHit, 0, findPage))
	}
	last := len(s.pages) - 1
	s.pages[last] = append(s.pages[last], h)
	s.n++
}

// snapshot is the store as it is now, for another goroutine to read.
func (s *hitStore) snapshot() hitStore {
	return hitStore{pages: slices.Clone(s.pages), n: s.n}
}

// each calls fn with every hit from index from on, in order.
func (s *hitStore) each(from int, fn func(i int, h *findHit) bool) {
	for p := from / findPage; p < len(s.pages); p++ {
		page := s.pages[p]
		for j := from - p*findPage; j < len(page); j++ {
			if !fn(p*findPage+j, &page[j]) {
				return
			}
		}
		from = (p + 1) * findPage
	}
}

// findBatchMsg says how far a find has walked: hits holds every entry
// so far (the last batch's included); id drops the batches of a find
// that was restarted or closed.
type findBatchMsg struct {
	id      int
	hits    hitStore
	scanned int
	// unreadable counts the directories that could not be listed.
	unreadable int
	done       bool
	ch         <-chan findBatchMsg
}

// findLimit bounds what one find keeps (about 100 MB of names): a tree
// larger than that is cut, and the dialog says so.
const findLimit = 1_000_000

// findFirst, findEvery and findBatchMax pace the batches: the first
// once findFirst entries are found (the dialog fills at once), then one
// every findEvery, or sooner once findBatchMax entries wait. The
// interface redraws once per batch, so a fast walk of 100,000 entries
// takes a handful of redraws rather than one per few thousand entries.
const (
	findFirst    = 256
	findEvery    = 50 * time.Millisecond
	findBatchMax = 32_768
)

// findOptions say what a find walks.
type findOptions struct {
	hidden    bool // enter and list names starting with a dot
	gitignore bool // leave out what .gitignore files exclude (and .git)
	// keys counts the keys the dialog took: while it changes, the walker
	// gives way to the interface (nil: never).
	keys *atomic.Uint64
}

// While keys come, the walker rests findRest after each findRun of
// work, so on a busy machine a key press waits less behind it; between
// keys it walks at full speed.
const (
	findRun  = 2 * time.Millisecond
	findRest = 2 * time.Millisecond
)

// startFind walks root in its own goroutine and streams what it finds in
// batches (paced as findEvery and findBatchMax say) until
// done or ctx ends. Links are listed, never followed, so a loop cannot
// trap it.
func startFind(ctx context.Context, id int, root string, o findOptions) tea.Cmd {
	ch := make(chan findBatchMsg, 1)
	go func() {
		defer close(ch)
		w := findWalker{ctx: ctx, id: id, ch: ch, o: o, last: time.Now(), ran: time.Now()}
		w.walk(root, "", nil)
		if ctx.Err() == nil {
			w.flush(true)
		}
	}()
	return waitFind(ch)
}

// waitFind reads the next batch of a find (nil once it has ended).
func waitFind(ch <-chan findBatchMsg) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-ch
		if !ok {
			return nil
		}
		b.ch = ch
		return b
	}
}

// dirName is one name a directory lists.
type dirName struct {
	name  string
	isDir bool
}

type findWalker struct {
	ctx        context.Context
	id         int
	ch         chan<- findBatchMsg
	o          findOptions
	hits       hitStore
	sent       int // hits in the last batch sent
	scanned    int
	unreadable int
	last       time.Time
	// keys is the count of keys last seen; ran when the walker last
	// rested or started.
	keys uint64
	ran  time.Time
}

// walk lists dir (rel from the root) depth first, names in directory
// order; it stops when the context ends or the limit is reached. It
// yields the processor after each directory, so on a busy machine the
// interface's goroutine never waits for a whole subtree.
func (w *findWalker) walk(dir, rel string, rules ignoreRules) bool {
	if w.ctx.Err() != nil || w.scanned >= findLimit {
		return false
	}
	f, err := os.Open(dir)
	if err != nil {
		w.unreadable++
		return true
	}
	des, err := f.ReadDir(-1)
	f.Close()
	if err != nil && len(des) == 0 {
		w.unreadable++
		return true
	}
	runtime.Gosched()
	// Names sorted as plain strings: sorting the entries themselves calls
	// Name through the interface some 20,000 times for 1,000 entries.
	names := make([]dirName, 0, len(des))
	for _, de := range des {
		if w.o.hidden || !strings.HasPrefix(de.Name(), ".") {
			names = append(names, dirName{de.Name(), de.IsDir()})
		}
	}
	slices.SortFunc(names, func(a, b dirName) int { return strings.Compare(a.name, b.name) })
	if w.o.gitignore {
		rules = readIgnore(rules, dir, rel)
	}
	for _, de := range names {
		base, isDir := de.name, de.isDir
		r := base
		if rel != "" {
			r = rel + "/" + base
		}
		if w.o.gitignore && ((isDir && base == ".git") || rules.ignored(r, isDir)) {
			continue
		}
		w.hits.add(findHit{rel: r, isDir: isDir})
		w.scanned++
		if w.scanned >= findLimit {
			return false
		}
		if (isDir || w.scanned%64 == 0) && !w.paced() {
			return false
		}
		if isDir && !w.walk(filepath.Join(dir, base), r, rules) {
			return false
		}
	}
	return true
}

// paced rests while keys come and sends a batch when one is due; false
// when the find was cancelled meanwhile.
func (w *findWalker) paced() bool {
	if w.o.keys != nil && time.Since(w.ran) >= findRun {
		if k := w.o.keys.Load(); k != w.keys {
			w.keys = k
			t := time.NewTimer(findRest)
			select {
			case <-t.C:
			case <-w.ctx.Done():
				t.Stop()
				return false
			}
		}
		w.ran = time.Now()
	}
	most := findBatchMax
	if w.sent == 0 {
		most = findFirst
	}
	if w.hits.len()-w.sent < most && time.Since(w.last) < findEvery {
		return true
	}
	return w.flush(false)
}

// flush sends what was found so far; false when the find was cancelled
// meanwhile.
func (w *findWalker) flush(done bool) bool {
	b := findBatchMsg{id: w.id, hits: w.hits.snapshot(), scanned: w.scanned, unreadable: w.unreadable,
		done: done || w.scanned >= findLimit}
	w.sent, w.last = w.hits.len(), time.Now()
	select {
	case w.ch <- b:
		return true
	case <-w.ctx.Done():
		return false
	}
}
