package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/internal/hosts"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
)

// d in the remote pane of a service that serves the bytes (ImgBB and Gyazo
// image URLs, Pastebin's raw URL) downloads through the transfers panel
// from its emulator: a row of the target, the bytes as uploaded, a safe
// name beside any existing file, never over it. GoFile serves only a page,
// so d says so and queues nothing.
func TestHostDownloadThroughTransfers(t *testing.T) {
	he := newHostsEnv(t)
	ctx := context.Background()
	dir := t.TempDir()
	payload := map[string][]byte{"imgbb": pngBytes(t), "gyazo": pngBytes(t), "pastebin": []byte("some text\nfor pastebin\n")}
	for name, data := range payload {
		tc := he.target(t, name)
		r, err := tc.Host.Upload(ctx, hosts.File{Name: "x.bin", Size: int64(len(data)), Body: bytes.NewReader(data)}, hosts.UploadOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The ledger's name is hostile; the local name must not be.
		he.ledger.Add(ctx, tc.Scope, store.Entry{Handle: r.ID, Filename: "../" + name + "\u202e.dat", URL: r.URL, Links: r.Links, Added: fixedNow})
	}
	os.WriteFile(filepath.Join(dir, "..imgbb_.dat"), []byte("mine"), 0o600)
	m := startModel(t, he.deps(dir))
	for name, data := range payload {
		m = switchTo(t, m, he, name)
		if m.focus != focusRemote {
			m = press(t, m, tea.KeyMsg{Type: tea.KeyTab})
		}
		before := jobCount(m)
		m = press(t, m, keyRunes("d"))
		if jobCount(m) != before+1 {
			t.Fatalf("d on %s queued nothing: %q", name, statusText(m))
		}
		j := waitJobAt(t, m, before)
		if j.State != transfer.Done || j.Target != name || j.Dir != transfer.Download {
			t.Fatalf("%s download: %+v", name, j)
		}
		if strings.ContainsAny(filepath.Base(j.SavedAs), "/\u202e") || filepath.Dir(j.SavedAs) != dir {
			t.Fatalf("%s saved as %q", name, j.SavedAs)
		}
		if got, _ := os.ReadFile(j.SavedAs); !bytes.Equal(got, data) {
			t.Fatalf("%s: saved %q, want the uploaded bytes", name, got)
		}
	}
	if mine, _ := os.ReadFile(filepath.Join(dir, "..imgbb_.dat")); string(mine) != "mine" {
		t.Fatal("an existing file was replaced")
	}
	gf := he.target(t, "gofile")
	r, err := gf.Host.Upload(ctx, hosts.File{Name: "a.bin", Size: 3, Body: strings.NewReader("abc")}, hosts.UploadOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	he.ledger.Add(ctx, gf.Scope, store.Entry{Handle: r.ID, Filename: "a.bin", URL: r.URL, Links: r.Links, Added: fixedNow})
	m = switchTo(t, m, he, "gofile")
	before := jobCount(m)
	m = press(t, m, keyRunes("d"))
	if jobCount(m) != before || !strings.Contains(statusText(m), "GoFile serves files through a web page") {
		t.Fatalf("d on GoFile: %d jobs, %q", jobCount(m)-before, statusText(m))
	}
	// A private paste is recorded without the /raw/ link (Pastebin serves
	// none for it): the note says that is why.
	pb := he.target(t, "pastebin")
	old, _ := he.ledger.List(ctx, pb.Scope)
	for _, e := range old {
		he.ledger.Remove(ctx, pb.Scope, e.Handle)
	}
	he.ledger.Add(ctx, pb.Scope, store.Entry{Handle: "PrIvAtE1", Filename: "p.txt", URL: "http://127.0.0.1:1/PrIvAtE1", Added: fixedNow})
	m = switchTo(t, m, he, "pastebin")
	before = jobCount(m)
	m = press(t, m, keyRunes("d"))
	if jobCount(m) != before || !strings.Contains(statusText(m), "cannot download: the paste is private") {
		t.Fatalf("d on a private paste: %d jobs, %q", jobCount(m)-before, statusText(m))
	}
}

// waitJobAt waits for job i of the engine to finish.
func waitJobAt(t *testing.T, m *Model, i int) transfer.JobSnapshot {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := m.engine.Snapshot()
		if len(s.Jobs) > i && s.Jobs[i].State.Finished() {
			return s.Jobs[i]
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d did not finish: %+v", i, s.Jobs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
