package localpane

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/dustin/go-humanize"

	"github.com/fsdeck/fsdeck/internal/text"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// findShown is how many of the best matches the find keeps ranked.
const findShown = 500

// finder is ctrl+f: a fuzzy find over the tree below the directory shown.
// The walk streams in batches from its own goroutine while the dialog
// takes keys (typing re-ranks in a command); esc cancels the walk, enter
// goes to the chosen entry's directory with the entry selected.
type finder struct {
	uikit.Dialog
	root   string
	hidden bool
	ignore bool // .gitignore is respected
	input  textinput.Model
	cancel context.CancelFunc
	// walkID is this walk's number among the pane's (seq), so a batch of
	// an earlier walk or finder is never taken for this one's.
	walkID int
	seq    *int
	// keys counts the keys taken, for the walker to give way to them.
	keys atomic.Uint64

	hits       hitStore
	scanned    int
	unreadable int
	done       bool

	pattern string
	rankSeq int
	// ranked are the best matches (indices into hits), best first;
	// upto is how many hits they cover (the rest are merged as they come).
	ranked []scoredHit
	upto   int
	list   uikit.List
	view   findView
}

type scoredHit struct{ i, score int }

// findRankedMsg carries the ranking of the first upto hits for pattern.
type findRankedMsg struct {
	seq    int
	ranked []scoredHit
	upto   int
}

// findJumpMsg asks the pane to show dir with name under the cursor.
type findJumpMsg struct{ dir, name string }

var (
	findIgnoreKey = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", ".gitignore"))
	findMoveKeys  = key.NewBinding(key.WithKeys("up", "down", "ctrl+p", "ctrl+n", "pgup", "pgdown"), key.WithHelp("↑↓", "choose"))
)

// newFinder opens the find below root and starts its walk; seq numbers
// the pane's walks. The pane hands the walk's batches to the finder (they
// may come before the root has opened it).
func newFinder(e *uikit.Env, root string, hidden bool, seq *int) (*finder, tea.Cmd) {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.Placeholder = "fuzzy: letters of the path, in order"
	ti.CharLimit = 256
	ti.Focus()
	f := &finder{Dialog: uikit.NewDialog(e), root: root, hidden: hidden, ignore: true, input: ti, seq: seq}
	return f, f.restart()
}

// restart walks again from the start (the .gitignore setting changed).
func (f *finder) restart() tea.Cmd {
	f.stop()
	var ctx context.Context
	ctx, f.cancel = context.WithCancel(context.Background())
	*f.seq++
	f.walkID = *f.seq
	f.hits, f.scanned, f.unreadable, f.done = hitStore{}, 0, 0, false
	f.ranked, f.upto = nil, 0
	f.list.Reset()
	f.view = findView{}
	return startFind(ctx, f.walkID, f.root, findOptions{hidden: f.hidden, gitignore: f.ignore, keys: &f.keys})
}

// stop ends the walk (if it still runs).
func (f *finder) stop() {
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

// Update takes rankings and keys (the pane hands it the batches).
func (f *finder) Update(msg tea.Msg) (uikit.Overlay, tea.Cmd) {
	if f.Resized(msg) {
		f.list.SetHeight(f.rows())
		return f, nil
	}
	switch msg := msg.(type) {
	case findRankedMsg:
		if msg.seq == f.rankSeq {
			f.ranked, f.upto = msg.ranked, msg.upto
			f.merge()
			f.list.Reset()
			f.list.SetHeight(f.rows())
			f.list.SetLen(len(f.ranked))
		}
		return f, nil
	case tea.KeyMsg:
		return f.onKey(msg)
	}
	return f, nil
}

// onBatch takes a batch of this walk and waits for the next.
func (f *finder) onBatch(msg findBatchMsg) tea.Cmd {
	if msg.id != f.walkID {
		return nil
	}
	f.hits = msg.hits
	f.scanned, f.unreadable, f.done = msg.scanned, msg.unreadable, msg.done
	f.merge()
	f.list.SetLen(len(f.ranked))
	if msg.done {
		f.stop()
		return nil
	}
	return waitFind(msg.ch)
}

// merge ranks the hits that came after the last ranking into it. With
// no pattern the first findShown in walk order are all that show.
func (f *finder) merge() {
	if f.upto < f.hits.len() && !(f.pattern == "" && len(f.ranked) >= findShown) {
		f.ranked = mergeRanked(f.ranked, scoreHits(&f.hits, f.upto, f.pattern))
	}
	f.upto = f.hits.len()
}

func (f *finder) onKey(km tea.KeyMsg) (uikit.Overlay, tea.Cmd) {
	f.keys.Add(1)
	k := f.KeyMap()
	switch {
	case key.Matches(km, k.Close):
		f.stop()
		return nil, nil
	case key.Matches(km, k.Choose):
		f.stop()
		if len(f.ranked) == 0 {
			return nil, nil
		}
		h := f.hits.at(f.ranked[f.list.Cursor()].i)
		dir, name := path.Split(h.rel)
		return nil, uikit.Emit(findJumpMsg{dir: filepath.Join(f.root, filepath.FromSlash(dir)), name: name})
	case key.Matches(km, findIgnoreKey):
		f.ignore = !f.ignore
		return f, f.restart()
	case key.Matches(km, findMoveKeys):
		switch km.String() {
		case "up", "ctrl+p":
			f.list.Move(-1)
		case "down", "ctrl+n":
			f.list.Move(1)
		case "pgup":
			f.list.Page(-1)
		default:
			f.list.Page(1)
		}
		return f, nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(km)
	if p := strings.TrimSpace(f.input.Value()); p != f.pattern {
		f.pattern = p
		f.rankSeq++
		return f, tea.Batch(cmd, rankFind(f.rankSeq, f.hits, p))
	}
	return f, cmd
}

// rankFind ranks hits for pattern in a command (hits is a batch's
// snapshot: the walker's later appends never change what it holds).
func rankFind(seq int, hits hitStore, pattern string) tea.Cmd {
	return func() tea.Msg {
		return findRankedMsg{seq: seq, ranked: mergeRanked(nil, scoreHits(&hits, 0, pattern)), upto: hits.len()}
	}
}

// scoreHits scores hits[from:] for pattern: the name counts more than
// the directories above it, and a name equal to the pattern most.
func scoreHits(hits *hitStore, from int, pattern string) []scoredHit {
	var out []scoredHit
	hits.each(from, func(i int, h *findHit) bool {
		if pattern == "" {
			out = append(out, scoredHit{i: i})
			return len(out) < findShown // walk order: the first findShown are all that show
		}
		s, ok := uikit.FuzzyScore(pattern, h.rel)
		if !ok {
			return true
		}
		name := path.Base(h.rel)
		if ns, ok := uikit.FuzzyScore(pattern, name); ok {
			s = max(s, ns+20)
		}
		if strings.EqualFold(name, pattern) {
			s += 1000
		}
		out = append(out, scoredHit{i: i, score: s})
		return true
	})
	return out
}

// mergeRanked keeps the findShown best of both, best first (ties in walk
// order: b comes after a). Once a is full, only what beats its last
// entry is sorted in, so a batch costs little however large the tree.
func mergeRanked(a, b []scoredHit) []scoredHit {
	if len(a) >= findShown {
		worst := a[len(a)-1].score
		b = slices.DeleteFunc(b, func(h scoredHit) bool { return h.score <= worst })
		if len(b) == 0 {
			return a
		}
	}
	out := append(append(make([]scoredHit, 0, len(a)+len(b)), a...), b...)
	sort.SliceStable(out, func(x, y int) bool {
		if out[x].score != out[y].score {
			return out[x].score > out[y].score
		}
		return out[x].i < out[y].i
	})
	return out[:min(len(out), findShown)]
}

// rows is how many results fit the dialog.
func (f *finder) rows() int {
	_, h := f.Size()
	return max(3, h-12)
}

// Keys: go, move, .gitignore, cancel.
func (f *finder) Keys() uikit.KeyHelp {
	k := f.KeyMap()
	goKey := uikit.WithDesc(k.Choose, "go there")
	bs := []key.Binding{goKey, findMoveKeys, uikit.WithDesc(findIgnoreKey, f.ignoreHelp()), uikit.WithDesc(k.Close, "cancel")}
	return uikit.KeyHelp{Short: bs, Full: [][]key.Binding{bs}}
}

func (f *finder) ignoreHelp() string {
	if f.ignore {
		return "show .gitignored"
	}
	return "hide .gitignored"
}

// state says how far the walk is and what it leaves out.
func (f *finder) state() string {
	entries := func(n int) string { return humanize.Comma(int64(n)) + " " + text.Plural(n, "entry", "entries") }
	st := "searching… " + entries(f.scanned) + " walked"
	if f.done {
		st = entries(f.scanned) + " below"
		if f.scanned >= findLimit {
			st = "stopped at " + entries(findLimit)
		}
	}
	if f.pattern != "" {
		st += fmt.Sprintf(" · %d shown", len(f.ranked))
	}
	if f.unreadable > 0 {
		st += fmt.Sprintf(" · %d unreadable %s", f.unreadable, text.Plural(f.unreadable, "directory", "directories"))
	}
	if f.ignore {
		st += " · .gitignore respected"
	}
	if !f.hidden {
		st += " · hidden left out"
	}
	return st
}
