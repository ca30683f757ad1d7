package ui

import (
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
)

// A local mark's identity is completed once it is made (pinMarks adds the
// birth time the listing does not read), compared again when its
// directory is listed (markedIn), and checked one last time when a file
// is removed (pinsOf, replacedSince).

// pinsOf is the identity each path had when it was marked (or listed,
// for the entry under the cursor), for the last check before a file is
// removed.
func (p *LocalPane) pinsOf(paths []string) map[string]fileID {
	out := make(map[string]fileID, len(paths))
	for _, path := range paths {
		if pin, ok := p.marks.ids[path]; ok {
			out[path] = pin.id
		}
	}
	if e, ok := p.current(); ok && p.marks.len() == 0 {
		out[e.Path] = e.ID
	}
	return out
}

// pinReq is a new mark to pin: its path, and what the mark holds.
type pinReq struct {
	path string
	pin  markPin
}

// marksPinnedMsg carries the identities learnt for new marks, and the
// marks whose file was already another one.
type marksPinnedMsg struct {
	pins []pinReq
	gone []goneMark
}

// pinMarks looks at newly marked files in a command and adds their birth
// time to the identity the listing gave: a delete and a new file reusing
// the inode are then told apart.
func (p *LocalPane) pinMarks() tea.Cmd {
	var todo []pinReq
	for path, pin := range p.marks.ids {
		if !pin.pinned {
			todo = append(todo, pinReq{path: path, pin: pin})
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return func() tea.Msg {
		var out marksPinnedMsg
		for _, r := range todo {
			now, err := lstatID(r.path)
			switch {
			case err != nil:
				// Vanished or unreadable: the next check says so.
			case r.pin.id.differs(now):
				out.gone = append(out.gone, goneMark{path: r.path, seq: r.pin.seq, why: "replaced by another file"})
				continue
			default:
				r.pin.id = r.pin.id.withBirth(now)
			}
			r.pin.pinned = true
			out.pins = append(out.pins, r)
		}
		return out
	}
}

// onMarksPinned stores what pinMarks learnt, for marks not made again
// since.
func (p LocalPane) onMarksPinned(msg marksPinnedMsg) (LocalPane, tea.Cmd) {
	for _, r := range msg.pins {
		if cur, ok := p.marks.ids[r.path]; ok && cur.seq == r.pin.seq {
			p.marks.ids[r.path] = r.pin
		}
	}
	return p, p.dropGone(msg.gone)
}

// markedIn is the set of marked paths in dir, for its listing (nil when
// none).
func (p *LocalPane) markedIn(dir string) map[string]bool {
	var out map[string]bool
	for m := range p.marks.ids {
		if filepath.Dir(m) == dir {
			if out == nil {
				out = map[string]bool{}
			}
			out[m] = true
		}
	}
	return out
}
