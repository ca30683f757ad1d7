package ui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/fsdeck/fsdeck/filestack"
	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/store"
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

// runTree runs a command tree in the background and returns its messages.
func runTree(cmd tea.Cmd) <-chan tea.Msg {
	out := make(chan tea.Msg, 16)
	var run func(tea.Cmd)
	var wg sync.WaitGroup
	run = func(c tea.Cmd) {
		defer wg.Done()
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				wg.Add(1)
				go run(c)
			}
		default:
			out <- msg
		}
	}
	wg.Add(1)
	go run(cmd)
	go func() { wg.Wait(); close(out) }()
	return out
}

// Pausing a download keeps its partial file; resuming asks only for the
// rest (Range from the partial size) and ends byte-exact under the final
// name, with no partial file left behind.
func TestDownloadPauseResumesFromPartialFile(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	src := filepath.Join(t.TempDir(), "big.bin")
	data := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	os.WriteFile(src, data, 0o600)
	f, err := e.client.Upload(context.Background(), src, filestack.UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gr := &gatedRemote{Client: e.client, after: 1 << 20, gated: true, blocked: make(chan struct{})}
	d := e.deps(t.TempDir())
	d.Remote = gr
	m := newSync(d)
	m = drain(t, m, m.Init())
	mm, cmd := m.Update(downloadRequestMsg{entries: []store.Entry{{Handle: f.Handle, Filename: "big.bin", Size: f.Size}}})
	m = mm.(Model)
	msgs := runTree(cmd)
	<-gr.blocked
	r := m.transfers.rows[0]
	mm, _ = transferKey(m, r.id, "p")
	m = mm.(Model)
	done := nextOf[downloadDoneMsg](msgs)
	mm, _ = m.Update(done)
	m = mm.(Model)
	r = m.transfers.rows[0]
	partial := r.part.path
	info, err := os.Stat(partial)
	if r.state != tPaused || err != nil || info.Size() != 1<<20 || r.part.etag == "" {
		t.Fatalf("paused: state %v part %+v stat %v", r.state, r.part, err)
	}

	gr.mu.Lock()
	gr.gated = false
	gr.mu.Unlock()
	mm, cmd = transferKey(m, r.id, "p") // resume
	m = drain(t, mm.(Model), cmd)
	r = m.transfers.rows[0]
	got, err := os.ReadFile(filepath.Join(m.local.Dir(), "big.bin"))
	if r.state != tDone || err != nil || !bytes.Equal(got, data) {
		t.Fatalf("resumed: state %v err %v equal %v", r.state, err, bytes.Equal(got, data))
	}
	// The finished file has the permissions any new file gets here (umask),
	// not a temp file's 0600.
	ref, _ := os.Create(filepath.Join(t.TempDir(), "ref"))
	ref.Close()
	want, _ := os.Stat(ref.Name())
	if fi, _ := os.Stat(filepath.Join(m.local.Dir(), "big.bin")); fi.Mode().Perm() != want.Mode().Perm() {
		t.Fatalf("downloaded file mode %v, want %v", fi.Mode().Perm(), want.Mode().Perm())
	}
	if len(gr.offsets) != 2 || gr.offsets[0] != 0 || gr.offsets[1] != 1<<20 {
		t.Fatalf("download offsets %v, want [0 %d]", gr.offsets, 1<<20)
	}
	if _, err := os.Stat(partial); !os.IsNotExist(err) {
		t.Fatalf("partial file still there: %v", err)
	}
	if snap := r.live.snapshot(nil); snap.sent != int64(len(data)) {
		t.Fatalf("progress ended at %d", snap.sent)
	}
}

// Cancelling a paused download, and shutting down with one paused, remove
// the partial file.
func TestPartialDownloadsAreCleanedUp(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	dir := t.TempDir()
	m := newSync(e.deps(dir))
	for i, state := range []tstate{tPaused, tFailed, tPaused} {
		p := filepath.Join(dir, ".fsdeck-download-"+string(rune('a'+i)))
		os.WriteFile(p, []byte("partial"), 0o600)
		m.transfers.add(&transfer{id: i + 1, dir: dirDown, state: state, part: downloadPart{path: p}, live: &live{}})
	}
	mm, cmd := transferKey(m, 1, "c")
	m = drain(t, mm.(Model), cmd)
	if _, err := os.Stat(filepath.Join(dir, ".fsdeck-download-a")); !os.IsNotExist(err) || m.transfers.rows[0].state != tCancelled {
		t.Fatalf("cancel left the partial file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".fsdeck-download-b")); err != nil {
		t.Fatalf("the failed row's partial file went before shutdown: %v", err)
	}
	m.Shutdown(time.Second)
	left, _ := filepath.Glob(filepath.Join(dir, ".fsdeck-download-*"))
	if len(left) != 0 {
		t.Fatalf("after shutdown: %v", left)
	}
}

// Quitting with a download running stops it, waits for it and leaves no
// partial file behind.
func TestShutdownStopsRunningDownload(t *testing.T) {
	e := newTestEnv(t, emulator.Options{})
	src := filepath.Join(t.TempDir(), "big.bin")
	os.WriteFile(src, bytes.Repeat([]byte("x"), 2<<20), 0o600)
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
	mm, cmd := m.Update(downloadRequestMsg{entries: []store.Entry{{Handle: f.Handle, Filename: "big.bin", Size: f.Size}}})
	m = mm.(Model)
	runTree(cmd)
	<-gr.blocked
	if left, _ := filepath.Glob(filepath.Join(dir, ".fsdeck-download-*")); len(left) != 1 {
		t.Fatalf("partial files while running: %v", left)
	}
	m.Shutdown(10 * time.Second)
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Fatalf("after shutdown: %v", left)
	}
}
