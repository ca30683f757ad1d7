package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsdeck/fsdeck/filestack/emulator"
	"github.com/fsdeck/fsdeck/internal/clitest"
	"github.com/fsdeck/fsdeck/store"
)

// TestParallelLocalUploads: eight `fsdeck upload` processes at once in
// local mode, with no `fsdeck serve` running (`ls *.bin | xargs -P8 -n1
// fsdeck upload -q`). The first serves the local address and the others
// use its server; when it exits, one of them takes the address over (and
// so on down the line), and the rest carry on through their retries.
// Every upload ends 0, and every file comes back byte-exact.
func TestParallelLocalUploads(t *testing.T) {
	c := newCLI(t)
	c.addr = clitest.FreeAddr(t)
	const n = 8
	want := map[string][]byte{}
	var names []string
	for i := range n {
		// Each size different; the first (the one serving) is small, so
		// it exits while the others are still sending their parts.
		size := (6 + 2*i) << 20
		if i == 0 {
			size = 64 << 10
		}
		data := make([]byte, size)
		rand.NewChaCha8(sha256.Sum256([]byte(fmt.Sprint(t.Name(), i)))).Read(data)
		name := fmt.Sprintf("f%d.bin", i)
		c.file(name, data)
		want[name] = data
		names = append(names, name)
	}
	type proc struct {
		cmd      *exec.Cmd
		out, err bytes.Buffer
		done     chan error
	}
	start := func(name string) *proc {
		p := &proc{cmd: c.command("", "upload", "-q", "--part-size", "5MiB", name), done: make(chan error, 1)}
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.done <- p.cmd.Wait() }()
		return p
	}
	// The first process is held once its server is up (its first ledger
	// write waits for this transaction), until the others have opened the
	// ledger, which they do after choosing their server: so they all use
	// the first one's, and it exits while they are still sending.
	release := holdLedger(t, filepath.Join(c.data, "ledger.db"))
	procs := []*proc{start(names[0])}
	waitServing(t, c.addr, procs[0].done)
	for _, name := range names[1:] {
		procs = append(procs, start(name))
	}
	for deadline := time.Now().Add(4 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		opened := 0
		for _, p := range procs[1:] {
			if hasOpen(p.cmd.Process.Pid, "ledger.db") {
				opened++
			}
		}
		if opened == len(procs)-1 {
			break
		}
	}
	release()
	var handles []string
	for i, p := range procs {
		select {
		case err := <-p.done:
			if err != nil {
				t.Errorf("upload %s: %v\nstderr: %s", names[i], err, p.err.String())
				continue
			}
		case <-time.After(3 * time.Minute):
			p.cmd.Process.Kill()
			t.Fatalf("upload %s did not end; stderr: %s", names[i], p.err.String())
		}
		h := strings.TrimSpace(p.out.String())
		if len(h) != 20 {
			t.Errorf("upload %s printed %q (stderr %q)", names[i], p.out.String(), p.err.String())
			continue
		}
		handles = append(handles, h)
	}
	if t.Failed() {
		return
	}
	dl := t.TempDir()
	if _, errOut, code := c.run("", append([]string{"get", "-q", "-o", dl}, handles...)...); code != 0 {
		t.Fatalf("get: exit %d: %s", code, errOut)
	}
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dl, name))
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: stored bytes differ from the file (%d of %d bytes, %v)", name, len(got), len(data), err)
		}
	}
}

// waitServing waits until an fsdeck server answers at addr, or the process
// that would serve it has ended (done; its error is put back).
func waitServing(t *testing.T, addr string, done chan error) {
	t.Helper()
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			done <- err
			return
		default:
		}
		if res, err := hc.Get("http://" + addr + "/"); err == nil {
			res.Body.Close()
			if res.Header.Get("Server") == emulator.ServerName {
				return
			}
		}
	}
	t.Fatalf("nothing served %s within a minute", addr)
}

// holdLedger creates the ledger (unless it exists) and holds its write
// lock until release (at most a few seconds: fsdeck waits 10 s for it),
// waiting for a running fsdeck's write to end first.
func holdLedger(t *testing.T, path string) (release func()) {
	t.Helper()
	l, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// hasOpen reports whether process pid has a file named name open (Linux
// /proc; elsewhere it says yes at once).
func hasOpen(pid int, name string) bool {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	fds, err := os.ReadDir(dir)
	if err != nil {
		return runtime.GOOS != "linux"
	}
	for _, fd := range fds {
		if link, err := os.Readlink(filepath.Join(dir, fd.Name())); err == nil && filepath.Base(link) == name {
			return true
		}
	}
	return false
}
