package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
)

// A transfers panel in every state, with a chunk strip, at a fixed size.
func TestGoldenTransfers(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := New(e.deps(fixtureTree(t)))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = mm.(Model)
	parts := []chunkState{chunkDone, chunkDone, chunkDone, chunkRetried, chunkSending, chunkSending, chunkPending, chunkPending}
	rows := []*transfer{
		{name: "videos/holiday.mp4", dir: dirUp, size: 64 << 20, state: tRunning,
			snap: liveSnap{sent: 27 << 20, total: 64 << 20, parts: parts, retries: 1, lastRetry: "send part 4: 503 Service Unavailable",
				started: true, retrying: true},
			samples: []sample{{at: fixedNow.Add(-2 * time.Second), sent: 19 << 20}, {at: fixedNow, sent: 27 << 20}}},
		{name: "notes.txt", dir: dirUp, size: 13, state: tDone, snap: liveSnap{sent: 13, total: 13, parts: []chunkState{chunkDone}}},
		{name: "photo.jpg", dir: dirDown, size: 2 << 20, state: tFailed, err: "download: 404 Not Found: File not found"},
		{name: "big.iso", dir: dirUp, size: 700 << 20, state: tPaused, snap: liveSnap{sent: 100 << 20, total: 700 << 20, parts: make([]chunkState, 88)}},
		{name: "queued.bin", dir: dirUp, size: 5 << 20, state: tQueued},
	}
	for i, r := range rows {
		r.id = i + 1
		m.transfers.add(r)
	}
	m.showXfers = true
	m.setFocus(focusTransfers)
	m.layout()
	v := m.transfers.View()
	for _, want := range []string{"retrying ■■■!▶▶··", "1 retry, last: send part 4: 503", "4 MiB/s", "ETA 9s", "failed: download: 404", "paused: p resumes", "queued"} {
		if !strings.Contains(v, want) {
			t.Errorf("transfers view lacks %q:\n%s", want, v)
		}
	}
	golden.RequireEqual(t, []byte(v))
}

func TestSpeedAndETA(t *testing.T) {
	r := &transfer{size: 100 << 20, snap: liveSnap{total: 100 << 20}}
	for i := 0; i <= 10; i++ {
		r.snap.sent = int64(i) << 20
		r.observe(fixedNow.Add(time.Duration(i) * time.Second))
	}
	if s := r.speed(); s < 0.99*(1<<20) || s > 1.01*(1<<20) {
		t.Fatalf("speed %f, want 1 MiB/s over the window", s)
	}
	if len(r.samples) > 7 {
		t.Fatalf("window keeps %d samples", len(r.samples))
	}
	if eta := r.eta(); eta < 89*time.Second || eta > 91*time.Second {
		t.Fatalf("eta %s, want 90s", eta)
	}
	if (&transfer{}).eta() != -1 {
		t.Fatal("unknown speed must give an unknown ETA")
	}
}

// The live accumulator never runs backwards and coalesces any event rate.
func TestLiveApply(t *testing.T) {
	var l live
	l.apply(filestack.Event{Kind: filestack.EventStarted, Total: 100, Parts: 3})
	l.apply(filestack.Event{Kind: filestack.EventPartStarted, Part: 1, Total: 100, Parts: 3})
	l.apply(filestack.Event{Kind: filestack.EventProgress, Sent: 40, Total: 100, Parts: 3})
	l.apply(filestack.Event{Kind: filestack.EventRetry, Part: 2, Err: context.DeadlineExceeded, Total: 100, Parts: 3})
	l.apply(filestack.Event{Kind: filestack.EventProgress, Sent: 30, Total: 100, Parts: 3})
	l.apply(filestack.Event{Kind: filestack.EventPartDone, Part: 1, Total: 100, Parts: 3})
	s := l.snapshot(nil)
	if s.sent != 40 || s.parts[0] != chunkDone || s.parts[1] != chunkRetried || s.retries != 1 {
		t.Fatalf("%+v", s)
	}
	l.apply(filestack.Event{Kind: filestack.EventRestarted, Reason: "file changed"})
	if s := l.snapshot(nil); s.sent != 0 || s.restarted != "file changed" {
		t.Fatalf("restart: %+v", s)
	}
}

// seededBytes are random bytes seeded by the test's name, so a failure
// reproduces on the next run.
func seededBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8(sha256.Sum256([]byte(t.Name()))).Read(b)
	return b
}

func writeRandom(t *testing.T, dir, name string, n int) []byte {
	t.Helper()
	b := seededBytes(t, n)
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// End to end with the emulator failing part PUTs: the row shows retries and
// the file still arrives byte-exact.
func TestEndToEndRetriesUnderFaults(t *testing.T) {
	e := newTestEnv(t, emulator.Options{MinPartSize: filestack.MinPartSize,
		Faults: []emulator.Fault{{Endpoint: "put", Nth: 2, Count: 2, Status: 503}}})
	dir := t.TempDir()
	data := writeRandom(t, dir, "big.bin", 3*filestack.MinPartSize+4242)
	tm := teatest.NewTestModel(t, New(e.deps(dir)), teatest.WithInitialTermSize(120, 36))
	waitFor(t, tm, "listing", func(b []byte) bool { return bytes.Contains(b, []byte("big.bin")) })
	tm.Send(keyRunes("u"))
	waitFor(t, tm, "done", func(b []byte) bool { return bytes.Contains(b, []byte("uploaded big.bin as")) })
	tm.Send(tea.QuitMsg{})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	r := m.transfers.rows[0]
	if r.state != tDone || r.snap.retries == 0 {
		t.Fatalf("row state %v with %d retries (want done after retries)", tstateNames[r.state], r.snap.retries)
	}
	for _, p := range r.snap.parts {
		if p != chunkDone {
			t.Fatalf("chunk strip not all done: %v", r.snap.parts)
		}
	}
	var got bytes.Buffer
	e.client.Download(context.Background(), r.handle, &got, filestack.DownloadOptions{})
	if !bytes.Equal(got.Bytes(), data) {
		t.Fatal("bytes differ")
	}
}

// Quit mid-upload; a new model on the same ledger offers to resume and
// sends only the missing parts (checked in the emulator's request log).
func TestResumeAfterQuitThroughNewModel(t *testing.T) {
	e := newTestEnv(t, emulator.Options{MinPartSize: filestack.MinPartSize,
		Faults: []emulator.Fault{{Endpoint: "put", Latency: 150 * time.Millisecond}}})
	dir := t.TempDir()
	data := writeRandom(t, dir, "big.bin", 5*filestack.MinPartSize)
	d := e.deps(dir)
	d.Settings.PartConcurrency = 1
	tm := teatest.NewTestModel(t, New(d), teatest.WithInitialTermSize(120, 36))
	waitFor(t, tm, "listing", func(b []byte) bool { return bytes.Contains(b, []byte("big.bin")) })
	tm.Send(keyRunes("u"))
	var sess filestack.Session
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		jobs, _ := e.ledger.Jobs(context.Background(), e.scope)
		if len(jobs) == 1 && jobs[0].Session != "" {
			json.Unmarshal([]byte(jobs[0].Session), &sess)
			if len(sess.Parts) >= 2 {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(sess.Parts) < 2 {
		t.Fatal("upload never journaled two parts")
	}
	tm.Send(keyRunes("q"))
	waitFor(t, tm, "confirm", func(b []byte) bool { return bytes.Contains(b, []byte("Quit anyway?")) })
	tm.Send(keyRunes("y"))
	tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
	time.Sleep(300 * time.Millisecond) // let the cancelled upload settle

	jobs, _ := e.ledger.Jobs(context.Background(), e.scope)
	if len(jobs) != 1 {
		t.Fatalf("journal has %d jobs after quitting mid-upload", len(jobs))
	}
	json.Unmarshal([]byte(jobs[0].Session), &sess)
	done := map[string]bool{}
	for _, p := range sess.Parts {
		done[itoa(p.Number)] = true
	}
	e.emu.ResetRequests()
	tm2 := teatest.NewTestModel(t, New(e.deps(dir)), teatest.WithInitialTermSize(120, 36))
	waitFor(t, tm2, "offer", func(b []byte) bool { return bytes.Contains(b, []byte("unfinished upload")) })
	tm2.Send(keyRunes("r"))
	waitFor(t, tm2, "resumed", func(b []byte) bool { return bytes.Contains(b, []byte("uploaded big.bin as")) })
	tm2.Send(tea.QuitMsg{})
	m := tm2.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "start" {
			t.Fatal("resume started a new upload")
		}
		if r.Endpoint == "put" && done[r.Part] {
			t.Fatalf("part %s was sent again after resume", r.Part)
		}
	}
	var got bytes.Buffer
	e.client.Download(context.Background(), m.transfers.rows[0].handle, &got, filestack.DownloadOptions{})
	if !bytes.Equal(got.Bytes(), data) {
		t.Fatal("bytes differ after resume")
	}
	if jobs, _ := e.ledger.Jobs(context.Background(), e.scope); len(jobs) != 0 {
		t.Fatal("journal not cleared")
	}
}

func TestClearFinished(t *testing.T) {
	tr := NewTransfers(testEnvOf(Deps{}))
	for i, s := range []tstate{tDone, tRunning, tCancelled, tFailed, tPaused} {
		tr.add(&transfer{id: i, state: s})
	}
	if n := tr.clearFinished(); n != 2 || len(tr.rows) != 3 {
		t.Fatalf("cleared %d, %d left", n, len(tr.rows))
	}
}

// Files that vanish after being marked, and things that are not regular
// files, become failed rows naming the reason (the status line alone would
// be overwritten by the next upload's message); the rest upload.
func TestUploadOfVanishedAndOddFilesFailsVisibly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	for _, n := range []string{"keep.txt", "gone.txt", "empty.txt"} {
		body := []byte("data")
		if n == "empty.txt" {
			body = nil
		}
		os.WriteFile(filepath.Join(dir, n), body, 0o600)
	}
	m := newSync(e.deps(dir))
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m = drain(t, mm.(Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA})
	os.Remove(filepath.Join(dir, "gone.txt"))
	m = press(t, m, keyRunes("u"))
	states := map[string]*transfer{}
	for _, r := range m.transfers.rows {
		states[r.name] = r
	}
	if r := states["gone.txt"]; r == nil || r.state != tFailed || !strings.Contains(r.err, "no longer exists") {
		t.Fatalf("vanished file row: %+v", r)
	}
	if states["keep.txt"] == nil || states["keep.txt"].state != tDone || states["empty.txt"] == nil || states["empty.txt"].state != tDone {
		t.Fatalf("rows: %+v", m.transfers.rows)
	}
	v := m.View()
	if !strings.Contains(v, "no longer exists") {
		t.Fatalf("the reason is not on screen:\n%s", v)
	}
	// The finished empty file reads 100%, not 0%.
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "empty.txt") && strings.Contains(line, "done") && !strings.Contains(line, "100%") {
			t.Fatalf("empty file row: %q", line)
		}
	}
}
