package cli

import (
	"strings"
	"testing"
)

// A count of one reads as one: "1 unfinished upload stays journaled", not
// "1 unfinished uploads stay journaled".
func TestInterruptedNoteCounts(t *testing.T) {
	for _, c := range []struct {
		left      int
		downloads bool
		host      string
		want      string
	}{
		{1, false, "", "interrupted; 1 unfinished upload stays journaled."},
		{3, false, "", "interrupted; 3 unfinished uploads stay journaled."},
		{1, true, "", "interrupted; 1 download stopped and its partial file is kept (journaled). Run the same command again to continue it."},
		{2, true, "", "interrupted; 2 downloads stopped and their partial files are kept (journaled). Run the same command again to continue them."},
		{1, false, "ImgBB", "interrupted; 1 upload to ImgBB stopped. Uploads to it cannot resume: run the same command again to send it again."},
		{0, false, "", "fsdeck: interrupted"},
	} {
		if got := interruptedNote(c.left, c.downloads, c.host); !strings.Contains(got, c.want) {
			t.Errorf("interruptedNote(%d, %v, %q) = %q, want it to contain %q", c.left, c.downloads, c.host, got, c.want)
		}
	}
	if got := ledgerCounts(1, 1, 1, 1); got != "1 file, 1 unfinished upload, 1 unfinished download, 1 bookmark" {
		t.Errorf("ledgerCounts(1,1,1,1) = %q", got)
	}
	if got := ledgerCounts(2, 0, 3, 4); got != "2 files, 0 unfinished uploads, 3 unfinished downloads, 4 bookmarks" {
		t.Errorf("ledgerCounts(2,0,3,4) = %q", got)
	}
}
