package transfer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/text"
)

// TestLiveCountsOnlyAcknowledgedBytes: bytes written to connections are in
// flight until their part is acknowledged; a retry takes a part's bytes out
// of flight; a restart starts the count again.
func TestLiveCountsOnlyAcknowledgedBytes(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLive(300, nil, 5*time.Second, now)
	snap := func() JobSnapshot {
		var j JobSnapshot
		l.fill(&j, now)
		return j
	}
	l.apply(hosts.PartEvent{Kind: hosts.UploadStarted, Parts: 3, Size: 100, Total: 300}, now)
	l.apply(hosts.PartEvent{Kind: hosts.PartStarted, Part: 1}, now)
	l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: 100}, now)
	l.apply(hosts.PartEvent{Kind: hosts.PartStarted, Part: 2}, now)
	l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 2, Sent: 160}, now)
	if j := snap(); j.Acked != 0 || j.InFlight != 160 || j.Parts[0] != PartSending {
		t.Fatalf("before any answer: acked %d in flight %d parts %v", j.Acked, j.InFlight, j.Parts)
	}
	l.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 1, Size: 100}, now)
	l.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 1, Size: 100}, now) // reported twice, counted once
	if j := snap(); j.Acked != 100 || j.InFlight != 60 || j.Parts[0] != PartDone {
		t.Fatalf("after part 1: acked %d in flight %d parts %v", j.Acked, j.InFlight, j.Parts)
	}
	l.apply(hosts.PartEvent{Kind: hosts.PartRetry, Part: 2, Err: errors.New("503")}, now)
	if j := snap(); j.InFlight != 0 || j.Parts[1] != PartRetrying || j.Retries != 1 || j.LastRetry != "503" || !j.Retrying {
		t.Fatalf("after retry: %+v", j)
	}
	l.apply(hosts.PartEvent{Kind: hosts.UploadRestarted, Reason: "gone"}, now)
	if j := snap(); j.Acked != 0 || j.Parts != nil || j.Restarted != "gone" {
		t.Fatalf("after restart: %+v", j)
	}
}

// TestLiveResumedPartsDoneAndNotInSpeed: a resumed session's parts are done
// before the job starts, and speed counts only bytes acknowledged in this
// run (bytes in flight are not, issue 22 item 11).
func TestLiveResumedPartsDoneAndNotInSpeed(t *testing.T) {
	t0 := time.Unix(1000, 0)
	sess := &hosts.Session{PartSize: 100, Parts: 3, Done: []hosts.DonePart{{Number: 1, Size: 100}, {Number: 2, Size: 100}}}
	l := newLive(300, sess, 5*time.Second, t0)
	var j JobSnapshot
	l.fill(&j, t0)
	if j.Acked != 200 || j.Resumed != 200 || j.Parts[0] != PartDone || j.Parts[1] != PartDone || j.Parts[2] != PartPending {
		t.Fatalf("before start: %+v", j)
	}
	// The client reports the resumed bytes in Sent from the start.
	l.apply(hosts.PartEvent{Kind: hosts.UploadStarted, Parts: 3, Size: 100, Total: 300, Sent: 200}, t0)
	l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 3, Sent: 250}, t0.Add(time.Second))
	j = JobSnapshot{State: Running}
	l.fill(&j, t0.Add(2*time.Second))
	if j.Acked != 200 || j.InFlight != 50 {
		t.Fatalf("acked %d in flight %d", j.Acked, j.InFlight)
	}
	if j.Speed != 0 { // 50 bytes in flight, none acknowledged
		t.Fatalf("speed %v, want 0 (nothing acknowledged in this run)", j.Speed)
	}
	l.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 3, Size: 100}, t0.Add(2*time.Second))
	j = JobSnapshot{State: Running}
	l.fill(&j, t0.Add(4*time.Second))
	if j.Speed != 25 { // 100 bytes acknowledged in 4 s, not 300
		t.Fatalf("speed %v, want 25 B/s (resumed bytes are not acknowledged in this run)", j.Speed)
	}
}

// TestRefusedBytesAreNotSpeed: a server that refuses every part (503 on
// each PUT) must not show a speed (and so no ETA): the bytes it threw away
// were never acknowledged, so never counted.
func TestRefusedBytesAreNotSpeed(t *testing.T) {
	t0 := time.Unix(1000, 0)
	l := newLive(300, nil, 5*time.Second, t0)
	l.apply(hosts.PartEvent{Kind: hosts.UploadStarted, Parts: 3, Size: 100, Total: 300}, t0)
	var moved int64
	for i := 1; i <= 4; i++ {
		at := t0.Add(time.Duration(i) * 500 * time.Millisecond)
		moved += l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: int64(i) * 100}, at)
		moved += l.apply(hosts.PartEvent{Kind: hosts.PartRetry, Part: 1, Attempt: i, Err: errors.New("503")}, at)
	}
	j := JobSnapshot{State: Running}
	l.fill(&j, t0.Add(3*time.Second))
	if j.Speed != 0 || moved != 0 {
		t.Fatalf("refused bytes show as speed %v B/s, moved %d", j.Speed, moved)
	}
	// Accepted bytes still count.
	l.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: 500}, t0.Add(3*time.Second))
	l.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 1, Size: 100}, t0.Add(3*time.Second))
	j = JobSnapshot{State: Running}
	l.fill(&j, t0.Add(4*time.Second))
	if j.Speed <= 0 {
		t.Fatalf("accepted bytes show no speed: %+v", j)
	}
}

// TestMeterRollingWindow: the rate covers the window only, falls during a
// stall, and reads 0 until enough time passed to tell.
func TestMeterRollingWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	m := meter{window: 5 * time.Second}
	m.start(t0)
	if r := m.rate(t0.Add(100 * time.Millisecond)); r != 0 {
		t.Fatalf("rate right after start %v", r)
	}
	for i := 1; i <= 10; i++ { // 1000 B/s for 10 s
		m.add(t0.Add(time.Duration(i)*time.Second), 1000)
	}
	if r := m.rate(t0.Add(10 * time.Second)); r != 1000 {
		t.Fatalf("steady rate %v, want 1000", r)
	}
	for i := 11; i <= 20; i++ { // then 100 B/s
		m.add(t0.Add(time.Duration(i)*time.Second), 100)
	}
	if r := m.rate(t0.Add(20 * time.Second)); r != 100 {
		t.Fatalf("rate after slowing %v, want 100 (window only)", r)
	}
	if r := m.rate(t0.Add(30 * time.Second)); r != 0 {
		t.Fatalf("rate after a 10 s stall %v, want 0", r)
	}
	if len(m.buckets) > 6 {
		t.Fatalf("%d buckets kept for a 5 s window", len(m.buckets))
	}
}

// TestSpeedUsesInjectedClock: the engine's speed and ETA come from
// Options.Now, not the wall clock.
func TestSpeedUsesInjectedClock(t *testing.T) {
	now := time.Unix(5000, 0)
	e := New(t.Context(), Options{Now: func() time.Time { return now }})
	j := &job{id: 1, group: 1, size: 1000, state: Running, live: newLive(1000, nil, 5*time.Second, now)}
	e.jobs, e.groups = []*job{j}, []*group{{id: 1}}
	e.meter.start(now)
	j.live.apply(hosts.PartEvent{Kind: hosts.UploadStarted, Parts: 5, Size: 200, Total: 1000}, now)
	now = now.Add(2 * time.Second)
	e.moved(j.live.apply(hosts.PartEvent{Kind: hosts.PartProgress, Part: 1, Sent: 400}, now))
	e.moved(j.live.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 1, Size: 200}, now))
	e.moved(j.live.apply(hosts.PartEvent{Kind: hosts.PartDone, Part: 2, Size: 200}, now))
	s := e.Snapshot()
	if s.Total.Speed != 200 || s.Jobs[0].Speed != 200 {
		t.Fatalf("speed %v / %v, want 200 B/s", s.Total.Speed, s.Jobs[0].Speed)
	}
	if s.Jobs[0].ETA != 3*time.Second || s.Total.ETA != 3*time.Second {
		t.Fatalf("ETA %v / %v, want 3s (600 unacknowledged bytes at 200 B/s)", s.Jobs[0].ETA, s.Total.ETA)
	}
}

func TestSafeLocalName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"photo.jpg", "photo.jpg"},
		{"\u202efdp.exe", "_fdp.exe"},       // right-to-left override: would show as exe.pdf
		{"a\u2066b\u2069c\u200e", "a_b_c_"}, // isolates and marks
		{"x\u009b31my", "x_31my"},           // C1 CSI
		{"x\x1b[31my", "x_[31my"},           // C0 ESC
		{"\x85next", "_next"},               // invalid UTF-8 byte
		{"../../etc/passwd", "_.._etc_passwd"},
		{"a:b*c?d\"e<f>g|h\\i", "a_b_c_d_e_f_g_h_i"},
		{" .. ", "fallback"},
		{"", "fallback"},
		{"日本語.txt", "日本語.txt"},
	} {
		if got := text.SafeLocalName(tc.in, "fallback"); got != tc.want {
			t.Errorf("text.SafeLocalName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSnapshotSharesNothing: changing a snapshot does not change the
// engine or later snapshots.
func TestSnapshotSharesNothing(t *testing.T) {
	now := time.Unix(5000, 0)
	e := New(t.Context(), Options{Now: func() time.Time { return now }})
	sess := &hosts.Session{PartSize: 10, Parts: 2, Done: []hosts.DonePart{{Number: 1, Size: 10}}}
	j := &job{id: 1, group: 1, size: 20, state: Paused, warnings: []string{"w"}, live: newLive(20, sess, time.Second, now)}
	e.jobs, e.groups = []*job{j}, []*group{{id: 1}}
	s := e.Snapshot()
	s.Jobs[0].Parts[0], s.Jobs[0].Warnings[0] = PartPending, "changed"
	again := e.Snapshot()
	if again.Jobs[0].Parts[0] != PartDone || again.Jobs[0].Warnings[0] != "w" {
		t.Fatalf("a snapshot shares memory with the engine: %+v", again.Jobs[0])
	}
}

// TestWakeCoalescesAndNeverBlocks: changes with nobody listening neither
// block nor pile up; one receive stands for all of them, and Seq counts
// each.
func TestWakeCoalescesAndNeverBlocks(t *testing.T) {
	e := New(t.Context(), Options{})
	for range 10000 {
		e.poke()
	}
	if n := len(e.Wake()); n != 1 {
		t.Fatalf("%d wakes pending, want 1", n)
	}
	<-e.Wake()
	if s := e.Snapshot(); s.Seq != 10000 {
		t.Fatalf("Seq %d after 10000 changes", s.Seq)
	}
}

// TestAddNeedsTarget: an engine without a complete target refuses jobs
// instead of failing them later.
func TestAddNeedsTarget(t *testing.T) {
	e := New(t.Context(), Options{})
	if _, err := e.AddUploads("x", []UploadFile{{Path: "/x"}}); err != ErrNoTarget {
		t.Fatalf("AddUploads without a target: %v", err)
	}
	if _, err := e.Unfinished(t.Context()); err != ErrNoTarget {
		t.Fatalf("Unfinished without a target: %v", err)
	}
}

// TestHashStopsWithContext: the ledger's hash is not computed for a
// transfer that stopped, so pausing a large upload does not wait for it.
func TestHashStopsWithContext(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("abc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := fileSHA256(t.Context(), p); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("hash %q", got)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if got := fileSHA256(ctx, p); got != "" {
		t.Fatalf("hash of a stopped transfer: %q", got)
	}
}
