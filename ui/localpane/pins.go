package localpane

import (
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/ui/uikit"
)

// A local mark's identity is completed once it is made (pinMarks adds the
// birth time the listing does not read), compared again when its
// directory is listed (markedIn), and checked one last time when a file
// is removed (pinsOf, replacedSince).

// pinsOf is the identity each path had when it was marked (or listed,
// for the entry under the cursor), for the last check before a file is
// removed.
func (p *Pane) pinsOf(paths []string) map[string]uikit.FileID {
	out := make(map[string]uikit.FileID, len(paths))
	for _, path := range paths {
		if pin, ok := p.marks.Pin(path); ok {
			out[path] = pin.ID
		}
	}
	if e, ok := p.current(); ok && p.marks.Len() == 0 {
		out[e.Path] = e.ID
	}
	return out
}

// pinReq is a new mark to pin: its path, and what the mark holds.
type pinReq struct {
	path string
	pin  uikit.MarkPin
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
func (p *Pane) pinMarks() tea.Cmd {
	var todo []pinReq
	for path, pin := range p.marks.Pins() {
		if !pin.Pinned {
			todo = append(todo, pinReq{path: path, pin: pin})
		}
	}
	if len(todo) == 0 {
		return nil
	}
	return func() tea.Msg {
		var out marksPinnedMsg
		for _, r := range todo {
			now, err := uikit.LstatID(r.path)
			switch {
			case err != nil:
				// Vanished or unreadable: the next check says so.
			case r.pin.ID.Differs(now):
				out.gone = append(out.gone, goneMark{path: r.path, seq: r.pin.Seq, why: "replaced by another file"})
				continue
			default:
				r.pin.ID = r.pin.ID.WithBirth(now)
			}
			r.pin.Pinned = true
			out.pins = append(out.pins, r)
		}
		return out
	}
}

// onMarksPinned stores what pinMarks learnt, for marks not made again
// since.
func (p *Pane) onMarksPinned(msg marksPinnedMsg) tea.Cmd {
	for _, r := range msg.pins {
		if cur, ok := p.marks.Pin(r.path); ok && cur.Seq == r.pin.Seq {
			p.marks.SetPin(r.path, r.pin)
		}
	}
	return p.dropGone(msg.gone)
}

// markedIn is the set of marked paths in dir, for its listing (nil when
// none).
func (p *Pane) markedIn(dir string) map[string]bool {
	var out map[string]bool
	for m := range p.marks.Pins() {
		if filepath.Dir(m) == dir {
			if out == nil {
				out = map[string]bool{}
			}
			out[m] = true
		}
	}
	return out
}
