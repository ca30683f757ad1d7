package transfers

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/fsdeck/fsdeck/internal/transfer"
)

// A row nothing of which is acknowledged says "sending" (no count, speed
// or ETA); a running download names where it goes; a failed download
// says what was received; the title's percentage is of the active
// transfers only.
func TestRowWordsAndActivePercentage(t *testing.T) {
	const mib = 1 << 20
	p, eng := newTestPanel()
	p.SetSize(120, 20)
	jobs := []transfer.JobSnapshot{
		{ID: 1, Name: "old.bin", State: transfer.Done, Size: 800 * mib, Acked: 800 * mib},
		{ID: 2, Name: "big4.bin", State: transfer.Running, Size: 200 * mib, InFlight: 8 * mib, Speed: 79 * mib, Started: fixedNow,
			Parts: make([]transfer.PartState, 25)},
		{ID: 3, Name: "photo.jpg", Dir: transfer.Download, State: transfer.Running, Size: 100 * mib, Acked: 50 * mib,
			LocalPath: "/home/me/work/photo.jpg", Started: fixedNow, Speed: mib},
		{ID: 4, Name: "gone.jpg", Dir: transfer.Download, State: transfer.Failed, Size: 2 * mib, Acked: mib, Err: "refused"},
	}
	show(p, eng, transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: 4, Done: 1, Running: 2, Failed: 1,
		Bytes: 1102 * mib, Acked: 851 * mib}})
	v := ansi.Strip(p.View())
	lines := strings.Split(v, "\n")
	var big, photo string
	for i, l := range lines {
		switch {
		case strings.Contains(l, "big4.bin"):
			big = l
		case strings.Contains(l, "⇣ photo.jpg") && i+1 < len(lines):
			photo = lines[i+1]
		}
	}
	if !strings.Contains(big, "sending 200 MiB") || strings.Contains(big, "0 B/200 MiB") || strings.Contains(big, "ETA") {
		t.Fatalf("row with nothing acknowledged: %q", big)
	}
	if !strings.Contains(photo, "downloading to /home/me/work/photo.jpg") {
		t.Fatalf("download's second line: %q", photo)
	}
	if !strings.Contains(v, "failed, 1 MiB of 2 MiB received") {
		t.Fatalf("failed download:\n%s", v)
	}
	// Active: 50 MiB of 300 MiB is 16%; session-wide (851 of 1102) it was 77%.
	if got := p.Summary(); got != "⇅ 2 active · 16% " {
		t.Fatalf("title summary %q", got)
	}
}
