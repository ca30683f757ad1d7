package cli

import (
	"testing"

	"github.com/fsdeck/fsdeck/ui"
)

// The replies to CSI 16 t and DA1 give the cell size and the sixel
// attribute; DA1 ends the wait whatever came before it.
func TestParseProbe(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  termProbe
		done  bool
	}{
		{"\x1b[6;20;10t\x1b[?63;1;2;4;6;9;15;22c", termProbe{cell: ui.CellSize{W: 10, H: 20}, sixel: true}, true}, // xterm -ti vt340
		{"\x1b[6;17;8t\x1b[?62;22c", termProbe{cell: ui.CellSize{W: 8, H: 17}}, true},
		{"\x1b[?1;2c", termProbe{}, true}, // no XTWINOPS: DA1 alone
		{"\x1b[?4c", termProbe{}, true},   // 4 as the class is not sixel
		{"\x1b[6;20;10t", termProbe{cell: ui.CellSize{W: 10, H: 20}}, false},
		{"\x1b[6;0;0t\x1b[?65;4c", termProbe{sixel: true}, true},
	} {
		got, done := parseProbe([]byte(tc.reply))
		if got != tc.want || done != tc.done {
			t.Errorf("parseProbe(%q) = %+v, %v; want %+v, %v", tc.reply, got, done, tc.want, tc.done)
		}
	}
	if c := cellFromWinsize(1200, 800, 120, 40); c != (ui.CellSize{W: 10, H: 20}) {
		t.Errorf("cellFromWinsize = %+v", c)
	}
	if c := cellFromWinsize(0, 0, 120, 40); c.Known() {
		t.Errorf("no pixels gave %+v", c)
	}
}
