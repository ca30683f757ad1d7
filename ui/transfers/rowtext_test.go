package transfers

import (
	"strings"
	"testing"
	"time"

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

// A retrying row says the attempt that failed, the client's limit and
// the wait before the next try, counting down as the clock moves with
// nothing else changing; what the client did not say is left out.
func TestRetryRowCountsDown(t *testing.T) {
	now := fixedNow
	p, eng := newTestPanelAt(func() time.Time { return now })
	p.SetSize(120, 20)
	jobs := []transfer.JobSnapshot{
		{ID: 1, Name: "big4.bin", State: transfer.Running, Size: 200 << 20, Acked: 8 << 20, Started: fixedNow,
			Parts: make([]transfer.PartState, 25), Retrying: true, Retries: 5, Attempt: 6, Attempts: 8, NextTry: fixedNow.Add(20 * time.Second),
			LastRetry: "upload part 2: 503 Service Unavailable"},
		{ID: 2, Name: "photo.jpg", Dir: transfer.Download, State: transfer.Running, Size: 1 << 20, Acked: 1 << 10, Started: fixedNow,
			Retrying: true, Retries: 2, Attempt: 2},
	}
	cmd := show(p, eng, transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: 2, Running: 2}})
	if v := ansi.Strip(p.View()); !strings.Contains(v, "retrying, attempt 6 of 8, next in 20s") || !strings.Contains(v, "retrying, attempt 2 ") {
		t.Fatalf("retry rows:\n%s", v)
	}
	if cmd == nil {
		t.Fatal("no tick to count down with")
	}
	now = now.Add(5*time.Second + 300*time.Millisecond)
	p.Update(countdownMsg{})
	if v := ansi.Strip(p.View()); !strings.Contains(v, "retrying, attempt 6 of 8, next in 15s") {
		t.Fatalf("after 5.3 s:\n%s", v)
	}
	now = fixedNow.Add(21 * time.Second)
	if cmd := p.Update(countdownMsg{}); cmd != nil {
		t.Fatal("still ticking once the wait is over")
	}
	if v := ansi.Strip(p.View()); !strings.Contains(v, "retrying, attempt 6 of 8, trying again") {
		t.Fatalf("after the wait:\n%s", v)
	}
}
