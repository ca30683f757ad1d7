package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
)

// goldenSnapshot is the engine's snapshot of a panel in every state.
func goldenSnapshot() transfer.Snapshot {
	const mib = 1 << 20
	p := []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartDone, transfer.PartRetrying,
		transfer.PartSending, transfer.PartSending, transfer.PartPending, transfer.PartPending}
	jobs := []transfer.JobSnapshot{
		{Name: "videos/holiday.mp4", State: transfer.Running, Size: 64 * mib, Acked: 27 * mib, InFlight: 16 * mib, Parts: p,
			Retries: 1, LastRetry: "send part 4: 503 Service Unavailable", Retrying: true, Attempt: 2,
			Speed: 4 * mib, ETA: 9 * time.Second, Started: fixedNow},
		{Name: "notes.txt", State: transfer.Done, Size: 13, Acked: 13, Handle: "NOTESHANDLE123", Parts: []transfer.PartState{transfer.PartDone}},
		{Name: "photo.jpg", Dir: transfer.Download, State: transfer.Failed, Size: 2 * mib, Acked: mib / 2,
			Err: "download: gave up after 8 attempts over 31s: cannot connect: connection refused"},
		{Name: "big.iso", State: transfer.Paused, Size: 700 * mib, Acked: 100 * mib, Parts: make([]transfer.PartState, 88)},
		{Name: "moved.bin", State: transfer.Done, Size: 5 * mib, Acked: 5 * mib, Restarted: "the upload session belonged to another server",
			Parts: []transfer.PartState{transfer.PartDone}},
		{Name: "queued.bin", State: transfer.Queued, Size: 5 * mib},
	}
	for i := range jobs {
		jobs[i].ID = transfer.JobID(i + 1)
	}
	return transfer.Snapshot{Seq: 1, Jobs: jobs, Total: transfer.Totals{Files: 6, Done: 2, Failed: 1, Running: 1, Queued: 1, Paused: 1,
		Bytes: 64*mib + 13 + 2*mib + 700*mib + 10*mib, Acked: 27*mib + 13 + mib/2 + 105*mib, InFlight: 16 * mib,
		Speed: 4 * mib, ETA: 2 * time.Minute}}
}

// A transfers panel in every state, drawn from the engine's snapshot:
// acknowledged bytes as done, in-flight bytes lighter, a failed row with
// what was accepted and why, the header with the engine's totals.
func TestGoldenTransfers(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := New(e.deps(fixtureTree(t)))
	tr := m.transfers
	tr.apply(goldenSnapshot())
	tr.SetSize(100, 15)
	tr.Focus()
	v := tr.View()
	lines := strings.Split(v, "\n")
	for _, want := range []string{"retrying, attempt 2 ■■■!▶▶··", "1 retry, last: send part 4: 503", "— ETA —",
		"failed, 512 KiB of 2 MiB accepted: download: gave up after 8 attempts over 31s", "paused: p resumes", "queued",
		"restarted: the upload session belonged to another server",
		"17% 2/6 files · 133 MiB/776 MiB · 1 failed · 4 MiB/s ETA 2m00s"} {
		if !strings.Contains(v, want) {
			t.Errorf("transfers view lacks %q:\n%s", want, v)
		}
	}
	if !regexp.MustCompile(`█+[▏▎▍▌▋▊▉]?▒{3,}░`).MatchString(lines[2]) {
		t.Errorf("in-flight bytes not drawn lighter after the acknowledged ones: %q", lines[2])
	}
	if failed := lines[6]; !strings.Contains(failed, "░") || !strings.Contains(failed, "512 KiB/2 MiB") || strings.Contains(failed, "100%") {
		t.Errorf("a failed row must show what was accepted, not a full bar: %q", failed)
	}
	golden.RequireEqual(t, []byte(v))
}

// Bytes in flight are never drawn as done, and a job whose bytes were
// all sent but none acknowledged is at 0%.
func TestInFlightIsNotDone(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Running, Size: 100, InFlight: 100,
		Started: fixedNow}}, Total: transfer.Totals{Files: 1, Running: 1, Bytes: 100, InFlight: 100}})
	tr.SetSize(80, 6)
	v := tr.View()
	if strings.Contains(v, "█") || !strings.Contains(v, "▒") || !strings.Contains(v, "0% 0/1 files") {
		t.Fatalf("in-flight bytes drawn as done:\n%s", v)
	}
}

// Transfers of empty files progress by files: the header counts them
// and its bar follows them.
func TestHeaderCountsFiles(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Total: transfer.Totals{Files: 20000, Done: 5000, Failed: 3, Queued: 14997}})
	tr.SetSize(100, 6)
	v := tr.View()
	if !strings.Contains(v, "25% 5000/20000 files · 0 B/0 B · 3 failed") || !strings.Contains(v, "█") {
		t.Fatalf("empty files shown without progress:\n%s", v)
	}
}

// A cancelled file leaves the bytes to send; the header says it was
// cancelled, so 100% beside 1/2 files is explained.
func TestHeaderNamesCancelled(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Total: transfer.Totals{Files: 2, Done: 1, Cancelled: 1, Bytes: 600 << 20, Acked: 600 << 20}})
	tr.SetSize(100, 6)
	if v := tr.View(); !strings.Contains(v, "100% 1/2 files · 600 MiB/600 MiB · 1 cancelled") {
		t.Fatalf("header:\n%s", v)
	}
}

// A row shows what the engine's snapshot says: state, bytes, parts,
// retries, speed and ETA.
func TestRowOfSnapshot(t *testing.T) {
	j := transfer.JobSnapshot{ID: 7, Dir: transfer.Download, State: transfer.Paused, Name: "a.bin", Size: 100, Acked: 40,
		Parts:   []transfer.PartState{transfer.PartDone, transfer.PartSending, transfer.PartRetrying, transfer.PartPending},
		Retries: 2, LastRetry: "503", Speed: 10, ETA: 6 * time.Second, Started: fixedNow}
	r := rowOf(j)
	want := []chunkState{chunkDone, chunkSending, chunkRetried, chunkPending}
	if r.id != 7 || r.dir != dirDown || r.state != tPaused || r.snap.sent != 40 || r.total() != 100 || r.snap.retries != 2 ||
		r.speed() != 10 || r.eta() != 6*time.Second || !r.snap.started || fmt.Sprint(r.snap.parts) != fmt.Sprint(want) {
		t.Fatalf("%+v", r)
	}
	for s := transfer.Queued; s <= transfer.Cancelled; s++ {
		name := tstateNames[rowOf(transfer.JobSnapshot{State: s}).state]
		if name != s.String() && !(s == transfer.Running && name == "sending") {
			t.Fatalf("state %v shows as %s", s, name)
		}
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
		done[strconv.Itoa(p.Number)] = true
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

// waitIdle waits until the engine runs nothing, then lets the panel take
// its snapshot.
func waitIdle(t *testing.T, m Model) Model {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tot := m.transfers.eng.Snapshot().Total
		if tot.Running+tot.Queued == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("transfers never finished: %+v", tot)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mm, cmd := m.Update(transferTickMsg{})
	return drain(t, mm.(Model), cmd)
}

// D drops finished rows from the panel (and the engine's snapshots).
func TestClearFinished(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	writeFile(t, dir, "b.txt")
	m := startModel(t, e.deps(dir))
	m = waitIdle(t, press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u")))
	if len(m.transfers.rows) != 2 || m.transfers.rows[0].state != tDone {
		t.Fatalf("rows %+v", m.transfers.rows)
	}
	m = press(t, m, keyRunes("w"), keyRunes("D"))
	if len(m.transfers.rows) != 0 || !strings.Contains(statusText(m), "cleared 2 finished transfers") {
		t.Fatalf("after D: %d rows, status %q", len(m.transfers.rows), statusText(m))
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
	m = waitIdle(t, press(t, m, keyRunes("u")))
	states := map[string]*xferRow{}
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

// A resumed upload draws the parts already on the server as done from
// its first frame, and its bar counts them.
func TestResumedPartsDrawnDone(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	const part = 8 << 20
	tr.apply(transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "r.bin", State: transfer.Running, Size: 4 * part,
		Acked: 2 * part, Resumed: 2 * part, PartSize: part, Started: fixedNow,
		Parts: []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartPending, transfer.PartPending}}},
		Total: transfer.Totals{Files: 1, Running: 1, Bytes: 4 * part, Acked: 2 * part}})
	tr.SetSize(100, 6)
	v := tr.View()
	if !strings.Contains(v, "■■··") || !strings.Contains(v, "50%     16 MiB/32 MiB") {
		t.Fatalf("resumed parts not drawn done:\n%s", v)
	}
}

// A failed row draws what the server accepted, and why it failed, in the
// failure colour; a running row's bar is not.
func TestFailedRowInFailureColour(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Jobs: []transfer.JobSnapshot{
		{ID: 1, Name: "f.bin", State: transfer.Failed, Size: 100, Acked: 50, Err: "send part 2: gave up after 8 attempts"},
		{ID: 2, Name: "r.bin", State: transfer.Running, Size: 100, Acked: 50, Started: fixedNow}},
		Total: transfer.Totals{Files: 2, Failed: 1, Running: 1, Bytes: 200, Acked: 100}})
	tr.SetSize(100, 8)
	lines := strings.Split(tr.View(), "\n")
	red := strings.TrimSuffix(tr.styles.Error.Render("x"), "x\x1b[0m")
	red = strings.TrimSuffix(red, "x")
	if red == "" || !strings.Contains(lines[2], red+"█") || !strings.Contains(lines[3], red+"failed, 50 B of 100 B accepted: send part 2: gave up") {
		t.Fatalf("failed row not in the failure colour %q:\n%q\n%q", red, lines[2], lines[3])
	}
	if !strings.Contains(lines[4], "r.bin") || strings.Contains(lines[4], red+"█") {
		t.Fatalf("a running row's bar in the failure colour: %q", lines[4])
	}
}

// followSnapshot is n finished uploads followed by one running one.
func followSnapshot(n int) transfer.Snapshot {
	var jobs []transfer.JobSnapshot
	for i := 1; i <= n; i++ {
		jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(i), Name: fmt.Sprintf("done%02d.txt", i), State: transfer.Done, Size: 1, Acked: 1})
	}
	jobs = append(jobs, transfer.JobSnapshot{ID: transfer.JobID(n + 1), Name: fmt.Sprintf("new%02d.txt", n+1), State: transfer.Running,
		Size: 10, Started: fixedNow})
	return transfer.Snapshot{Jobs: jobs, Total: transfer.Totals{Files: n + 1, Done: n, Running: 1, Bytes: int64(n + 10), Acked: int64(n)}}
}

// New and running rows stay in view while the user has not scrolled
// the panel; once they move the cursor up, new rows leave it where it
// is, until they go back to the bottom.
func TestTransfersFollowNewRows(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.SetSize(100, 15) // six rows
	tr.Focus()
	tr.apply(followSnapshot(8))
	if v := tr.View(); !strings.Contains(v, "new09.txt") {
		t.Fatalf("the running upload (row 9) is not in view:\n%s", v)
	}
	tr, _ = tr.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	tr, _ = tr.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	tr, _ = tr.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	tr, _ = tr.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("k")})
	cur, off := tr.list.Cursor(), tr.list.Offset()
	tr.apply(followSnapshot(12))
	if tr.list.Cursor() != cur || tr.list.Offset() != off {
		t.Fatalf("the panel moved away from where the user scrolled: cursor %d offset %d, was %d %d", tr.list.Cursor(), tr.list.Offset(), cur, off)
	}
	tr, _ = tr.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("G")})
	tr.apply(followSnapshot(20))
	if v := tr.View(); !strings.Contains(v, "new21.txt") {
		t.Fatalf("after G the panel does not follow new rows again:\n%s", v)
	}
}

// A finished, failed or cancelled row says what happened under it, never
// an unexplained row of done cells (a simple store's single ■ was one):
// at 80 and 120 columns, the part strip shows only while a transfer runs
// or, stopped, when it has several parts to tell apart.
func TestFinishedRowsExplainTheirSecondLine(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	m := New(e.deps(fixtureTree(t)))
	done1 := []transfer.PartState{transfer.PartDone}
	snap := transfer.Snapshot{Jobs: []transfer.JobSnapshot{
		{ID: 1, Name: "a.txt", State: transfer.Done, Size: 3, Acked: 3, Handle: "HANDLEAAA", Parts: done1},
		{ID: 2, Name: "b.bin", State: transfer.Done, Size: 9 << 20, Acked: 9 << 20, Handle: "HANDLEBBB",
			Parts: []transfer.PartState{transfer.PartDone, transfer.PartDone, transfer.PartDone}},
		{ID: 3, Name: "c.png", State: transfer.Done, Size: 3, Acked: 3, Target: "imgbb", Handle: "x1", URL: "https://i.ibb.co/x1/c.png", Parts: done1},
		{ID: 4, Name: "d.txt", State: transfer.Cancelled, Size: 3, Parts: []transfer.PartState{transfer.PartPending}},
		{ID: 5, Name: "e.txt", State: transfer.Failed, Size: 3, Err: "store: 500", Parts: done1},
		{ID: 6, Name: "f.bin", Dir: transfer.Download, State: transfer.Done, Size: 3, Acked: 3, SavedAs: "/tmp/dl/f.bin"},
	}}
	for _, w := range []int{80, 120} {
		tr := m.transfers
		tr.apply(snap)
		tr.SetSize(w, 20)
		v := tr.View()
		lines := strings.Split(v, "\n")
		for i := 3; i < len(lines); i += 2 { // each row's second line
			if l := lines[i]; strings.ContainsAny(l, "■·") {
				t.Errorf("width %d: line %d shows a part strip for a stopped simple or finished row: %q", w, i, l)
			}
		}
		for _, want := range []string{"stored as HANDLEAAA", "stored as HANDLEBBB", "at https://i.ibb.co/x1/c.png",
			"saved as /tmp/dl/f.bin", "failed, 0 B of 3 B accepted: store: 500"} {
			if !strings.Contains(v, want) {
				t.Errorf("width %d: panel lacks %q:\n%s", w, want, v)
			}
		}
	}
}

// A host upload held back by its service's pace says it is waiting, and
// for how long, instead of looking like a transfer that does not move.
func TestRowSaysPaceWait(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "n.txt", Target: "pastebin", State: transfer.Running, Size: 10,
		Started: fixedNow, PacedUntil: fixedNow.Add(8 * time.Second), Parts: []transfer.PartState{transfer.PartSending}}},
		Total: transfer.Totals{Files: 1, Running: 1, Bytes: 10}})
	tr.SetSize(100, 6)
	if v := tr.View(); !strings.Contains(v, "waiting 8s for pastebin's rate limit") || strings.Contains(v, "uploading") {
		t.Fatalf("paced row:\n%s", v)
	}
}

// On a finished row no row key applies; the footer offers clearing the
// finished transfers instead of showing nothing.
func TestFinishedRowFooterOffersClear(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	tr := New(e.deps(t.TempDir())).transfers
	tr.apply(transfer.Snapshot{Jobs: []transfer.JobSnapshot{{ID: 1, Name: "a", State: transfer.Done, Size: 1, Acked: 1}},
		Total: transfer.Totals{Files: 1, Done: 1, Bytes: 1, Acked: 1}})
	var short []string
	for _, b := range tr.Keys().Short {
		if b.Enabled() {
			short = append(short, b.Help().Key+" "+b.Help().Desc)
		}
	}
	if len(short) != 1 || short[0] != "D clear finished" {
		t.Fatalf("footer keys %q", short)
	}
}
