package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/ui/transfers"
)

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
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	r := firstJob(m)
	if r.State != transfer.Done || r.Retries == 0 {
		t.Fatalf("job %v with %d retries (want done after retries)", r.State, r.Retries)
	}
	for _, p := range r.Parts {
		if p != transfer.PartDone {
			t.Fatalf("parts not all done: %v", r.Parts)
		}
	}
	var got bytes.Buffer
	e.client.Download(context.Background(), r.Handle, &got, filestack.DownloadOptions{})
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
	withEngine(&d, transfer.Options{PartConcurrency: 1})
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
	m := tm2.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	for _, r := range e.emu.Requests() {
		if r.Endpoint == "start" {
			t.Fatal("resume started a new upload")
		}
		if r.Endpoint == "put" && done[r.Part] {
			t.Fatalf("part %s was sent again after resume", r.Part)
		}
	}
	var got bytes.Buffer
	e.client.Download(context.Background(), firstJob(m).Handle, &got, filestack.DownloadOptions{})
	if !bytes.Equal(got.Bytes(), data) {
		t.Fatal("bytes differ after resume")
	}
	if jobs, _ := e.ledger.Jobs(context.Background(), e.scope); len(jobs) != 0 {
		t.Fatal("journal not cleared")
	}
}

// waitIdle waits until the engine runs nothing, then lets the panel take
// its snapshot.
func waitIdle(t *testing.T, m *Model) *Model {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tot := m.engine.Snapshot().Total
		if tot.Running+tot.Queued == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("transfers never finished: %+v", tot)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mm, cmd := m.Update(transfers.TickMsg{})
	return drain(t, mm.(*Model), cmd)
}

// D drops finished rows from the panel (and the engine's snapshots).
func TestClearFinished(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	writeFile(t, dir, "a.txt")
	writeFile(t, dir, "b.txt")
	m := startModel(t, e.deps(dir))
	m = waitIdle(t, press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA}, keyRunes("u")))
	if rows := panelRows(m); jobCount(m) != 2 || len(rows) != 2 || firstJob(m).State != transfer.Done {
		t.Fatalf("jobs %+v, rows %q", m.engine.Snapshot().Jobs, rows)
	}
	m = press(t, m, keyRunes("w"), keyRunes("D"))
	if jobCount(m) != 0 || len(panelRows(m)) != 0 || !strings.Contains(statusText(m), "cleared 2 finished transfers") {
		t.Fatalf("after D: %d rows, status %q", jobCount(m), statusText(m))
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
	m = drain(t, mm.(*Model), m.Init())
	m = press(t, m, tea.KeyMsg{Type: tea.KeyCtrlA})
	os.Remove(filepath.Join(dir, "gone.txt"))
	m = waitIdle(t, press(t, m, keyRunes("u")))
	states := map[string]transfer.JobSnapshot{}
	jobs := m.engine.Snapshot().Jobs
	for _, j := range jobs {
		states[j.Name] = j
	}
	if j, ok := states["gone.txt"]; !ok || j.State != transfer.Failed || !strings.Contains(j.Err, "no longer exists") {
		t.Fatalf("vanished file job: %+v", j)
	}
	if keep, empty := states["keep.txt"], states["empty.txt"]; keep.State != transfer.Done || empty.State != transfer.Done {
		t.Fatalf("jobs: %+v", jobs)
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
