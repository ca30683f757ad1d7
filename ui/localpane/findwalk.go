package localpane

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// findHit is one entry below the find's root, slash-separated.
type findHit struct {
	rel   string
	isDir bool
}

// findBatchMsg carries the entries a find walked since its last batch;
// id drops the batches of a find that was restarted or closed.
type findBatchMsg struct {
	id      int
	hits    []findHit
	scanned int
	// unreadable counts the directories that could not be listed.
	unreadable int
	done       bool
	ch         <-chan findBatchMsg
}

// findLimit bounds what one find keeps (about 100 MB of names): a tree
// larger than that is cut, and the dialog says so.
const findLimit = 1_000_000

// findOptions say what a find walks.
type findOptions struct {
	hidden    bool // enter and list names starting with a dot
	gitignore bool // leave out what .gitignore files exclude (and .git)
}

// startFind walks root in its own goroutine and streams what it finds in
// batches (at most every 50 ms or 2,048 entries) until done or ctx ends.
// Links are listed, never followed, so a loop cannot trap it.
func startFind(ctx context.Context, id int, root string, o findOptions) tea.Cmd {
	ch := make(chan findBatchMsg, 4)
	go func() {
		defer close(ch)
		w := findWalker{ctx: ctx, id: id, ch: ch, o: o, last: time.Now()}
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

type findWalker struct {
	ctx        context.Context
	id         int
	ch         chan<- findBatchMsg
	o          findOptions
	hits       []findHit
	scanned    int
	unreadable int
	last       time.Time
}

// walk lists dir (rel from the root) depth first, names in directory
// order; it stops when the context ends or the limit is reached.
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
	slices.SortFunc(des, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if w.o.gitignore {
		rules = readIgnore(rules, dir, rel)
	}
	for _, de := range des {
		base := de.Name()
		if !w.o.hidden && strings.HasPrefix(base, ".") {
			continue
		}
		isDir := de.IsDir()
		r := base
		if rel != "" {
			r = rel + "/" + base
		}
		if w.o.gitignore && ((isDir && base == ".git") || rules.ignored(r, isDir)) {
			continue
		}
		w.hits = append(w.hits, findHit{rel: r, isDir: isDir})
		w.scanned++
		if w.scanned >= findLimit {
			return false
		}
		if len(w.hits) >= 2048 || time.Since(w.last) > 50*time.Millisecond {
			if !w.flush(false) {
				return false
			}
		}
		if isDir && !w.walk(filepath.Join(dir, base), r, rules) {
			return false
		}
	}
	return true
}

// flush sends what was found since the last batch; false when the find
// was cancelled meanwhile.
func (w *findWalker) flush(done bool) bool {
	b := findBatchMsg{id: w.id, hits: w.hits, scanned: w.scanned, unreadable: w.unreadable,
		done: done || w.scanned >= findLimit}
	w.hits, w.last = nil, time.Now()
	select {
	case w.ch <- b:
		return true
	case <-w.ctx.Done():
		return false
	}
}
