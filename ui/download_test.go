package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/transfer"
	"github.com/fsdeck/fsdeck/store"
	"github.com/fsdeck/fsdeck/ui/transfers"
	"github.com/fsdeck/fsdeck/ui/uikit"
)

// gatedRemote is the real client, except that while gated a download stops
// after `after` bytes until its context ends, as a slow link would; it
// records the offsets downloads start from.
type gatedRemote struct {
	*filestack.Client
	after   int64
	mu      sync.Mutex
	gated   bool
	offsets []int64
	blocked chan struct{}
}

func (g *gatedRemote) Download(ctx context.Context, h string, w io.Writer, o filestack.DownloadOptions) (int64, error) {
	g.mu.Lock()
	g.offsets = append(g.offsets, o.Offset)
	gated := g.gated
	g.mu.Unlock()
	if gated {
		w = &gateWriter{w: w, left: g.after, ctx: ctx, blocked: g.blocked}
	}
	return g.Client.Download(ctx, h, w, o)
}

type gateWriter struct {
	w       io.Writer
	left    int64
	ctx     context.Context
	blocked chan struct{}
}

func (g *gateWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.w.Write(p)
	g.left -= int64(n)
	if err == nil && g.left == 0 {
		close(g.blocked)
		<-g.ctx.Done()
		return n, g.ctx.Err()
	}
	return n, err
}

// waitJob waits until the engine shows the first job in state, then lets
// the panel take its snapshot.
func waitJob(t *testing.T, m *Model, state transfer.State) *Model {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		snap := m.engine.Snapshot()
		if len(snap.Jobs) > 0 && snap.Jobs[0].State == state {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job never became %v: %+v", state, snap.Jobs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mm, cmd := m.Update(transfers.TickMsg{})
	return drain(t, mm.(*Model), cmd)
}

func partials(dir string) []string {
	left, _ := filepath.Glob(filepath.Join(dir, transfer.PartialPrefix+"*"))
	return left
}

// gatedDownload starts a 3 MiB download that stops after 1 MiB until its
// context ends.
func gatedDownload(t *testing.T) (*Model, *gatedRemote, []byte, string) {
	t.Helper()
	m, gr, data, dir, _ := gatedDownloadDeps(t)
	return m, gr, data, dir
}

// gatedDownloadDeps is gatedDownload that also returns the Deps, for a
// second start against the same ledger.
func gatedDownloadDeps(t *testing.T) (*Model, *gatedRemote, []byte, string, Deps) {
	t.Helper()
	e := newTestEnv(t, emulator.Options{})
	src := filepath.Join(t.TempDir(), "big.bin")
	data := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	os.WriteFile(src, data, 0o600)
	f, err := e.client.Upload(context.Background(), src, filestack.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gr := &gatedRemote{Client: e.client, after: 1 << 20, gated: true, blocked: make(chan struct{})}
	dir := t.TempDir()
	d := e.deps(dir)
	d.Remote = gr
	m := newSync(d)
	m = drain(t, m, m.Init())
	mm, cmd := m.Update(uikit.DownloadRequestMsg{Entries: []store.Entry{{Handle: f.Handle, Filename: "big.bin", Size: f.Size}}})
	m = drain(t, mm.(*Model), cmd)
	<-gr.blocked
	return m, gr, data, dir, d
}

// Pausing a download keeps its partial file; resuming asks only for the
// rest (Range from the partial size) and ends byte-exact under the final
// name, with no partial file left behind.
func TestDownloadPauseResumesFromPartialFile(t *testing.T) {
	m, gr, data, dir := gatedDownload(t)
	mm, cmd := transferKey(m, firstJob(m).ID, "p")
	m = waitJob(t, drain(t, mm.(*Model), cmd), transfer.Paused)
	left := partials(dir)
	if len(left) != 1 || firstJob(m).State != transfer.Paused {
		t.Fatalf("paused: partial files %v, row %v", left, firstJob(m).State)
	}
	if info, err := os.Stat(left[0]); err != nil || info.Size() != 1<<20 {
		t.Fatalf("partial file: %v %v", info, err)
	}
	gr.mu.Lock()
	gr.gated = false
	gr.mu.Unlock()
	mm, cmd = transferKey(m, firstJob(m).ID, "p") // resume
	m = waitJob(t, drain(t, mm.(*Model), cmd), transfer.Done)
	got, err := os.ReadFile(filepath.Join(dir, "big.bin"))
	if firstJob(m).State != transfer.Done || err != nil || !bytes.Equal(got, data) {
		t.Fatalf("resumed: state %v err %v equal %v", firstJob(m).State, err, bytes.Equal(got, data))
	}
	if !strings.Contains(statusText(m), "downloaded big.bin") {
		t.Fatalf("status %q", statusText(m))
	}
	// The finished file has the permissions any new file gets here (umask),
	// not a temp file's 0600.
	ref, _ := os.Create(filepath.Join(t.TempDir(), "ref"))
	ref.Close()
	want, _ := os.Stat(ref.Name())
	if fi, _ := os.Stat(filepath.Join(dir, "big.bin")); fi.Mode().Perm() != want.Mode().Perm() {
		t.Fatalf("downloaded file mode %v, want %v", fi.Mode().Perm(), want.Mode().Perm())
	}
	if len(gr.offsets) != 2 || gr.offsets[0] != 0 || gr.offsets[1] != 1<<20 {
		t.Fatalf("download offsets %v, want [0 %d]", gr.offsets, 1<<20)
	}
	if left := partials(dir); len(left) != 0 {
		t.Fatalf("partial file still there: %v", left)
	}
}

// Cancelling a paused download removes its partial file.
func TestPartialDownloadsAreCleanedUp(t *testing.T) {
	m, _, _, dir := gatedDownload(t)
	mm, cmd := transferKey(m, firstJob(m).ID, "p")
	m = waitJob(t, drain(t, mm.(*Model), cmd), transfer.Paused)
	if len(partials(dir)) != 1 {
		t.Fatal("no partial file while paused")
	}
	mm, cmd = transferKey(m, firstJob(m).ID, "c")
	m = waitJob(t, drain(t, mm.(*Model), cmd), transfer.Cancelled)
	deadline := time.Now().Add(10 * time.Second)
	for len(partials(dir)) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("cancel left the partial file: %v", partials(dir))
		}
		time.Sleep(10 * time.Millisecond)
	}
	m.Shutdown(time.Second)
}

// Quitting with a download running stops it and keeps its partial file
// journaled: the next start offers to resume it, and resuming finishes
// it byte-exact.
func TestShutdownKeepsJournaledDownload(t *testing.T) {
	m, gr, data, dir, d := gatedDownloadDeps(t)
	if left := partials(dir); len(left) != 1 {
		t.Fatalf("partial files while running: %v", left)
	}
	m.Shutdown(10 * time.Second)
	if left := partials(dir); len(left) != 1 {
		t.Fatalf("after shutdown the partial file must stay for the next start: %v", left)
	}
	gr.mu.Lock()
	gr.gated = false
	gr.mu.Unlock()
	m = startModel(t, d)
	if m.overlay == nil || !strings.Contains(m.View(), "1 unfinished download (big.bin) from an earlier run") || !strings.Contains(m.View(), "only what is missing is downloaded") {
		t.Fatalf("no offer to resume the download:\n%s", m.View())
	}
	m = press(t, m, keyRunes("r"))
	m = waitJob(t, m, transfer.Done)
	got, err := os.ReadFile(filepath.Join(dir, "big.bin"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("resumed download differs: %v", err)
	}
	m.Shutdown(time.Second)
}
